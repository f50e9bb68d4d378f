"""The one error of recovery work, raised by the services, attachments and dossier checks
alike; a module of its own so that each of them imports it without a circle."""


class CaseError(Exception):
    """A rule refused the change; the message is for the user."""
