"""Where eligibility proofs are kept: a private disk folder, never served as media.

``PRIVATE_MEDIA_ROOT`` (a setting, from the environment) is outside
``MEDIA_ROOT``: no URL leads to it. Staff with the registrations permission
download a proof through ``admin/proofs.py``, which streams the file. The
storage reads the setting at each use, so a test may point it elsewhere.
File names are random (``proof_path``): nothing of the person's own file name
or identity is written on disk.
"""

import os
import secrets

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.utils import timezone


class PrivateStorage(FileSystemStorage):
    """Files under ``settings.PRIVATE_MEDIA_ROOT``, without any public URL."""

    @property
    def base_location(self):
        return str(settings.PRIVATE_MEDIA_ROOT)

    @property
    def location(self):
        return os.path.abspath(self.base_location)

    def url(self, name):
        raise ValueError("Private files have no public URL: staff download them through the admin.")


def size_text(size):
    """« 5 Mo », « 1,2 Mo », « 800 Ko », « 12 octets »: the units people read (1 Mo = 1 000 000 octets)."""
    for unit, scale in (("Mo", 1_000_000), ("Ko", 1_000)):
        if size >= scale:
            number = f"{size / scale:.1f}".removesuffix(".0").replace(".", ",")
            return f"{number}\u00a0{unit}"
    return f"{size}\u00a0octets"


def private_storage():
    """The storage of the proofs (a callable, so that migrations do not copy a path)."""
    return PrivateStorage()


def proof_path(instance, filename):
    """« justificatifs/2026/<32 random hex>.pdf »: the extension from the checked type, not from the upload."""
    extension = {"pdf": "pdf", "jpeg": "jpg", "png": "png"}.get(getattr(instance, "kind", ""), "bin")
    return f"justificatifs/{timezone.now().year}/{secrets.token_hex(16)}.{extension}"
