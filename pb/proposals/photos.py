"""Checking and re-encoding uploaded photos with Pillow; no request and no database.

The upload's name and content type are never trusted: Pillow must recognise the bytes as JPEG,
PNG or WebP and decode them completely. What is stored is a fresh image built from the decoded
pixels, so no metadata (EXIF, GPS, comments, ICC) and nothing else of the upload survives.
"""
import io
import os
import uuid
from dataclasses import dataclass
from pathlib import Path

from flask_babel import lazy_gettext as _l
from PIL import Image, ImageOps

ACCEPTED_FORMATS = ("JPEG", "PNG", "WEBP")
# Far below Pillow's own bomb limit: a phone photo has ~12-50 megapixels, and decoding
# costs four bytes a pixel.
MAX_PIXELS = 50_000_000
JPEG_QUALITY = 85


class PhotoRefused(Exception):
    """The upload is not a photo we keep; message says why, in words for the uploader."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class PreparedPhoto:
    data: bytes
    extension: str  # ".jpg" or ".png"
    width: int
    height: int


def _open(data):
    # formats= keeps every other decoder (EPS through Ghostscript, ICO, ...) out of reach
    return Image.open(io.BytesIO(data), formats=ACCEPTED_FORMATS)


def _decode(data, max_side):
    with _open(data) as probe:
        probe.verify()  # checks the structure (PNG chunk CRCs); the image is unusable afterwards
    image = _open(data)
    width, height = image.size
    if width < 1 or height < 1 or width * height > MAX_PIXELS:
        raise PhotoRefused(_l("The photo has too many pixels. Please send a smaller one."))
    image.draft("RGB", (max_side, max_side))  # JPEG decodes straight at a reduced scale
    image.load()
    return ImageOps.exif_transpose(image)  # keep the picture upright once the EXIF is gone


def _has_transparency(image):
    if image.mode in ("RGBA", "LA", "PA"):
        return image.getchannel("A").getextrema()[0] < 255
    return image.mode == "P" and "transparency" in image.info


def prepare_photo(data, max_bytes, max_side):
    """Check an upload and return it re-encoded (longest side at most max_side), or raise PhotoRefused."""
    if not data:
        raise PhotoRefused(_l("The file is empty."))
    if len(data) > max_bytes:
        raise PhotoRefused(_l("The photo is larger than %(mb)d MB.", mb=max_bytes // (1024 * 1024)))
    try:
        image = _decode(data, max_side)
        transparent = _has_transparency(image)
        image = image.convert("RGBA" if transparent else "RGB")
        image.thumbnail((max_side, max_side), Image.Resampling.LANCZOS)
        # a new image from the pixels alone: info, EXIF and profiles of the upload stay behind
        clean = Image.frombytes(image.mode, image.size, image.tobytes())
        out = io.BytesIO()
        if transparent:
            clean.save(out, "PNG", optimize=True)
        else:
            clean.save(out, "JPEG", quality=JPEG_QUALITY, optimize=True, progressive=True)
    except PhotoRefused:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise PhotoRefused(_l("The photo has too many pixels. Please send a smaller one.")) from None
    except Exception:  # a damaged file can make a decoder raise almost anything
        raise PhotoRefused(_l("This file is not a JPEG, PNG or WebP photo, or it is damaged.")) from None
    return PreparedPhoto(out.getvalue(), ".png" if transparent else ".jpg", clean.width, clean.height)


def new_name(extension):
    """A random file name that says nothing about the upload."""
    return uuid.uuid4().hex + extension


def write_photo(directory, name, data):
    """Write the file; "x" refuses to overwrite anything that is already there."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    with open(directory / name, "xb") as fh:
        fh.write(data)


def remove_photos(directory, names):
    """Remove files written for a change that did not commit."""
    for name in names:
        try:
            os.remove(Path(directory) / name)
        except FileNotFoundError:
            pass


def check_uploads(uploads, limits, too_many, errors):
    """Check every upload (name, bytes) against limits (max_bytes, max_side); problems go to errors under
    "photos", one per file, or too_many alone when it is not None. Returns the prepared photos."""
    if too_many is not None:
        errors.append(("photos", too_many))
        return []
    prepared = []
    for filename, data in uploads:
        try:
            prepared.append(prepare_photo(data, *limits))
        except PhotoRefused as exc:
            errors.append(("photos", _l("%(file)s: %(problem)s", file=(filename or "?")[:80], problem=exc.message)))
    return prepared


def store_photos(directory, prepared, add_row):
    """Write the prepared photos under new names and call add_row(name, photo) for each; returns the names,
    so that a change that fails to commit can remove its files (all of them are removed if one write fails)."""
    names = []
    try:
        for photo in prepared:
            name = new_name(photo.extension)
            write_photo(directory, name, photo.data)
            names.append(name)
            add_row(name, photo)
    except OSError:
        remove_photos(directory, names)
        raise
    return names
