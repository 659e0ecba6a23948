"""Celery application: Redis broker; task results and progress live in PostgreSQL rows."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "esaylov.settings")

app = Celery("esaylov")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
