# syntax=docker/dockerfile:1
#
# E-saylov production image.  One image runs every process of docker-compose.yml:
#   web     gunicorn esaylov.wsgi:application   (the default command below)
#   worker  celery -A esaylov worker ...
#   beat    celery -A esaylov beat ...
#   migrate python manage.py migrate --noinput
# Configuration comes from the environment at run time (see .env.example and
# docs/deployment.md); nothing secret is baked into the image.

ARG PYTHON_IMAGE=python:3.11-slim

# ---------------------------------------------------------------------------
# build: a virtualenv with the pinned requirements, the source without any
# development state, compiled translations
# ---------------------------------------------------------------------------
FROM ${PYTHON_IMAGE} AS build

ENV PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PYTHONDONTWRITEBYTECODE=1

# gettext: msgfmt for compilemessages (only in this stage)
RUN apt-get update \
 && apt-get install -y --no-install-recommends gettext \
 && rm -rf /var/lib/apt/lists/*

# psycopg[binary] brings its own libpq: no compiler or libpq-dev needed.
RUN python -m venv /opt/venv
ENV PATH=/opt/venv/bin:$PATH
COPY requirements.txt /tmp/requirements.txt
RUN pip install -r /tmp/requirements.txt

WORKDIR /src
COPY . .
# A developer checkout may hold a virtualenv, the embedded PostgreSQL/Redis data
# under var/ and a .env with secrets: none of it may reach the image.  (A
# .dockerignore keeps them out of the build context as well; this is the backstop.)
RUN rm -rf .venv var .env .git .pytest_cache .ruff_cache bench/results.json static-collected \
 && find . -name __pycache__ -type d -prune -exec rm -rf {} + \
 && find . -name '*.pyc' -delete

# Settings need SECRET_KEY and, to skip the embedded servers, DATABASE_URL and
# REDIS_URL.  These dummy values exist only for this command; nothing connects.
RUN if find . -name '*.po' -path '*/LC_MESSAGES/*' | grep -q .; then \
      DATABASE_URL=postgres://x@localhost/x REDIS_URL=redis://localhost:6379/0 SECRET_KEY=build-only \
      python manage.py compilemessages; \
    fi

# ---------------------------------------------------------------------------
# runtime
# ---------------------------------------------------------------------------
FROM ${PYTHON_IMAGE}

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PATH=/opt/venv/bin:$PATH \
    DJANGO_SETTINGS_MODULE=esaylov.settings \
    WEB_CONCURRENCY=3

# fonts-dejavu-core: Cyrillic and Latin glyphs for the PDFs (precinct lists, badges)
RUN apt-get update \
 && apt-get install -y --no-install-recommends fonts-dejavu-core \
 && rm -rf /var/lib/apt/lists/*

RUN groupadd --system --gid 10001 esaylov \
 && useradd --system --uid 10001 --gid esaylov --home-dir /app --no-create-home \
            --shell /usr/sbin/nologin esaylov

COPY --from=build /opt/venv /opt/venv
COPY --from=build /src /app
WORKDIR /app

# Code and collected static files stay owned by root (read-only for the app);
# only var/media (uploaded documents, MEDIA_ROOT, a volume in production) is
# writable by the app user.  Byte-compile now so nothing is written at run time.
RUN DATABASE_URL=postgres://x@localhost/x REDIS_URL=redis://localhost:6379/0 SECRET_KEY=build-only \
      python manage.py collectstatic --noinput \
 && python -m compileall -q /app \
 && mkdir -p /app/var/media \
 && chown esaylov:esaylov /app/var/media

USER esaylov:esaylov
EXPOSE 8000

# Workers: WEB_CONCURRENCY (default 3).  More gunicorn flags: GUNICORN_CMD_ARGS.
# gunicorn's control socket (for `gunicornc`) defaults to $HOME/.gunicorn, which is
# read-only here: keep it in /tmp.
CMD ["sh", "-c", "exec gunicorn esaylov.wsgi:application --bind 0.0.0.0:8000 --workers \"${WEB_CONCURRENCY:-3}\" --access-logfile - --error-logfile - --control-socket /tmp/gunicorn.ctl"]
