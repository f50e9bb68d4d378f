from django.apps import AppConfig


class DemoConfig(AppConfig):
    """Development only: the demo province and ``load_demo`` (which refuses to run unless
    DEBUG is on). Nothing below it imports it."""

    name = "demo"
    verbose_name = "Demo"
