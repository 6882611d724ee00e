#!/usr/bin/env python
"""Django's command-line utility for administrative tasks."""

import os
import sys

from config.env import load_env_file

if __name__ == "__main__":
    load_env_file()  # the optional .env (never overrides the environment), then the development default
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)
