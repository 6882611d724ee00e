"""The optional ``.env`` file: read into the environment by ``manage.py``, ``config/wsgi.py`` and gunicorn.

``.env.example`` lists every variable; a server may copy it to ``.env``
beside ``manage.py`` (or point ``ENV_FILE`` at another path, e.g.
``/etc/coursive/env``) instead of setting them in the service. Variables
already set in the environment always win: the file only fills the gaps, so a
systemd unit or ``make serve`` keeps the last word. A missing file is fine.

It is read before ``DJANGO_SETTINGS_MODULE`` gets its default, so that the
file's ``DJANGO_SETTINGS_MODULE=config.settings.production`` is what a bare
``python manage.py migrate`` on the server uses (not the development
settings, with ``DEBUG=True``). The settings modules do not read it: tests
never pick up a developer's ``.env``.
"""

import os
from pathlib import Path

from dotenv import load_dotenv

DEFAULT_ENV_FILE = Path(__file__).resolve().parent.parent / ".env"


def load_env_file():
    """Fill the environment from the ``.env`` file (``ENV_FILE`` or beside manage.py); True if a file was read."""
    path = Path(os.environ.get("ENV_FILE") or DEFAULT_ENV_FILE)
    return load_dotenv(path, override=False) if path.is_file() else False
