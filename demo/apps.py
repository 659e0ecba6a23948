from django.apps import AppConfig


class DemoConfig(AppConfig):
    """No models: the demo builds its rows through the services of the domain apps."""

    name = "demo"
