from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ArrearsConfig(AppConfig):
    name = "arrears"
    verbose_name = _("Nợ đóng và thu hồi")

    def ready(self) -> None:
        # Connects the receiver that re-dates contributions when an employer import changes a
        # payment method (participants.imports.employers.payment_methods_changed).
        from arrears import tasks  # noqa: F401  (registers the tasks services queue by name)
        from arrears.imports import contributions  # noqa: F401
        from arrears.interest import services  # noqa: F401  (resplits when the split changes)
