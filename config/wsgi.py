"""WSGI entry point for gunicorn (production settings unless told otherwise)."""

import os

from django.core.wsgi import get_wsgi_application

from config.env import load_env_file

load_env_file()  # the optional .env (never overrides the environment), then the production default
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.production")

application = get_wsgi_application()
