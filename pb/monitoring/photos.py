"""Photos of projects and monitoring visits: checked and re-encoded like the proposals' photos."""
from pathlib import Path

import sqlalchemy as sa
from flask import current_app
from flask_babel import lazy_gettext as _l

from pb.core.errors import NotFound
from pb.extensions import db
from pb.monitoring.models import MonitoringPhoto
from pb.proposals import photos as photo_files


def photo_directory():
    """Where the monitoring photos are stored (under the configured UPLOAD_DIR)."""
    return Path(current_app.config["UPLOAD_DIR"]) / "monitoring"


def get_photo(name):
    """The photo stored under this name, or NotFound: only names from the table are served."""
    photo = db.session.execute(sa.select(MonitoringPhoto).where(MonitoringPhoto.name == name)).scalar_one_or_none()
    if photo is None:
        raise NotFound()
    return photo


def prepare(uploads, already, errors):
    """Check every upload (name, bytes); problems go to errors under "photos", one per file."""
    config = current_app.config
    if already + len(uploads) > config["PHOTO_MAX_COUNT"] * 2:
        errors.append(("photos", _l("At most %(n)d photos.", n=config["PHOTO_MAX_COUNT"] * 2)))
        return []
    prepared = []
    for filename, data in uploads:
        try:
            prepared.append(photo_files.prepare_photo(data, config["PHOTO_MAX_BYTES"], config["PHOTO_MAX_SIDE"]))
        except photo_files.PhotoRefused as exc:
            errors.append(("photos", _l("%(file)s: %(problem)s", file=(filename or "?")[:80], problem=exc.message)))
    return prepared


def attach(actor, owner_photos, prepared):
    """Write the files and append their rows to owner_photos; returns the names written."""
    directory, names = photo_directory(), []
    try:
        for photo in prepared:
            name = photo_files.new_name(photo.extension)
            photo_files.write_photo(directory, name, photo.data)
            names.append(name)
            owner_photos.append(MonitoringPhoto(name=name, width=photo.width, height=photo.height,
                                                size=len(photo.data), created_by_id=actor.id))
    except OSError:
        photo_files.remove_photos(directory, names)
        raise
    return names


def commit(names):
    """Commit; on failure remove the files written for the change."""
    try:
        db.session.commit()
    except Exception:
        db.session.rollback()
        photo_files.remove_photos(photo_directory(), names)
        raise
