"""AVIF renditions encoded once per picture and size in each test process.

Each test starts with an empty database, so a page that shows the demo's pictures
(the home page's hero, the agenda's cards) has Wagtail draw its renditions again:
about a second of libavif per AVIF rendition, the better part of the browser
journeys' time. The encoder is a pure function of the pixels and the options:
the first call encodes for real, a later call with the same pixels and options
writes the same bytes without encoding them again. Everything around it
(resizing, cropping to the focal point, the rendition rows and files) runs as usual.
"""

import hashlib
from io import BytesIO

from willow.image import AvifImageFile
from willow.plugins.pillow import PillowImage
from willow.registry import registry


def remember_avif_encodings():
    """Put the remembering encoder in place of Willow's Pillow ``save_as_avif``; returns a function that undoes it."""
    encode = PillowImage.save_as_avif
    encoded = {}

    def save_as_avif(image, f, quality=80, lossless=False, apply_optimizers=True):
        pixels = image.image
        key = (
            pixels.mode,
            pixels.size,
            hashlib.sha256(pixels.tobytes()).digest(),
            image.get_icc_profile(),
            quality,
            lossless,
            apply_optimizers,
        )
        if key not in encoded:
            buffer = BytesIO()
            encode(image, buffer, quality=quality, lossless=lossless, apply_optimizers=apply_optimizers)
            encoded[key] = buffer.getvalue()
        f.write(encoded[key])
        return AvifImageFile(f)

    save_as_avif._willow_operation = True
    operations = registry._registered_operations[PillowImage]
    PillowImage.save_as_avif = save_as_avif
    operations["save_as_avif"] = save_as_avif

    def undo():
        PillowImage.save_as_avif = encode
        operations["save_as_avif"] = encode

    return undo
