from django.apps import AppConfig


class TestAppConfig(AppConfig):
    name = "tests.testapp"
    label = "testapp"

    def ready(self):
        from tests.testapp import workflows  # noqa: F401  (registers the workflow policy)
