"""Settings for the pytest suite: the normal settings plus test-only values."""

import os

os.environ.setdefault("SECRET_KEY", "test-secret-key-not-for-production-0123456789abcdef")
os.environ.setdefault("CELERY_QUEUE", f"esaylov-test-{os.getpid()}")

from esaylov.settings import *  # noqa: E402,F403

STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}  # noqa: F405
WHITENOISE_USE_FINDERS = True
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # fast; tests only
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
MEDIA_ROOT = BASE_DIR / "var" / "test-media"  # noqa: F405
CACHES["default"]["KEY_PREFIX"] = f"esaylov-test-{os.getpid()}"  # noqa: F405
INSTALLED_APPS = [*INSTALLED_APPS, "tests.testapp"]  # noqa: F405  (a model for the workflow tests)
DEMO_SEED_ALLOWED = True
REST_FRAMEWORK = {**REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"anon": "100000/min", "user": "100000/min"}}  # noqa: F405
