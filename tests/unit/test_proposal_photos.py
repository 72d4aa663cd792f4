"""Photo checks: real images are resized and re-encoded without metadata; anything else is refused."""
import io
import re
import struct
import zlib
from pathlib import Path

import pytest
import sqlalchemy as sa
from PIL import Image

from pb.budgets.states import Phase
from pb.core.errors import PermissionDenied, ValidationFailed
from pb.proposals import photos, services
from pb.proposals.models import Proposal, ProposalPhoto
from tests import factories as f
from tests import proposal_factories as pf

MB = 1024 * 1024


def _png_header(width, height):
    """A tiny PNG that claims huge dimensions: what a decompression bomb looks like before decoding."""
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    ihdr = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    data = zlib.compress(b"\x00" * 64)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", data) + chunk(b"IEND", b"")


def _open(data):
    return Image.open(io.BytesIO(data))


def test_a_large_png_is_resized_and_an_opaque_one_becomes_jpeg():
    prepared = photos.prepare_photo(pf.image_bytes("PNG", size=(3200, 1200)), 5 * MB, 1600)
    assert (prepared.width, prepared.height, prepared.extension) == (1600, 600, ".jpg")
    with _open(prepared.data) as image:
        assert image.format == "JPEG" and image.size == (1600, 600)


def test_a_jpeg_loses_its_exif_and_gps():
    original = pf.image_bytes("JPEG", size=(800, 600), exif=pf.gps_exif())
    with _open(original) as image:
        assert image.getexif().get(0x0110) == "Phone X"  # the test image really carries it
    prepared = photos.prepare_photo(original, 5 * MB, 1600)
    with _open(prepared.data) as image:
        assert "exif" not in image.info and len(image.getexif()) == 0
    assert b"Phone X" not in prepared.data and b"Exif" not in prepared.data


def test_the_picture_is_turned_upright_before_the_exif_goes():
    exif = Image.Exif()
    exif[0x0112] = 6  # taken with the phone on its side
    prepared = photos.prepare_photo(pf.image_bytes("JPEG", size=(64, 48), exif=exif), 5 * MB, 1600)
    assert (prepared.width, prepared.height) == (48, 64)


def test_a_transparent_png_or_webp_stays_png():
    for fmt in ("PNG", "WEBP"):
        data = pf.image_bytes(fmt, size=(40, 40), mode="RGBA", color=(0, 0, 255, 100))
        prepared = photos.prepare_photo(data, 5 * MB, 1600)
        assert prepared.extension == ".png"
        with _open(prepared.data) as image:
            assert image.format == "PNG" and image.mode == "RGBA"


@pytest.mark.parametrize("data", [
    b"#!/bin/sh\nrm -rf /\n",  # a script named photo.jpg
    b"<html><script>alert(1)</script></html>",
    pf.image_bytes("GIF"),  # a real image, but not a format we take
    pf.image_bytes("BMP"),
    pf.image_bytes("JPEG")[:200],  # cut off
    b"%!PS-Adobe-3.0 EPSF-3.0\n",  # Ghostscript must never see it
])
def test_anything_but_a_whole_jpeg_png_or_webp_is_refused(data):
    with pytest.raises(photos.PhotoRefused):
        photos.prepare_photo(data, 5 * MB, 1600)


def test_a_damaged_png_is_refused():
    data = bytearray(pf.image_bytes("PNG", size=(50, 50)))
    data[40] ^= 0xFF  # inside the image data: the chunk's checksum no longer matches
    with pytest.raises(photos.PhotoRefused):
        photos.prepare_photo(bytes(data), 5 * MB, 1600)


def test_a_too_large_file_is_refused():
    with pytest.raises(photos.PhotoRefused) as exc:
        photos.prepare_photo(pf.image_bytes("PNG", size=(300, 300)), 100, 1600)
    assert "MB" in str(exc.value.message)


@pytest.mark.parametrize("size", [(100_000, 100_000), (10_000, 10_000), (8_000, 8_000)])
def test_decompression_bombs_are_refused_before_decoding(size):
    # Pillow's error (over twice its limit), its warning (over the limit), and our own lower limit
    with pytest.raises(photos.PhotoRefused):
        photos.prepare_photo(_png_header(*size), 5 * MB, 1600)


@pytest.fixture
def budget(db):
    municipality = f.make_municipality()
    f.make_village(municipality)
    return f.make_budget(municipality, Phase.CONSULTATION)


def _stored(app):
    directory = Path(app.config["UPLOAD_DIR"]) / "proposals"
    return set(directory.iterdir()) if directory.is_dir() else set()


def test_submitted_photos_are_stored_under_random_names_without_metadata(app, db, budget):
    village = budget.municipality.villages[0]
    upload = ("IMG_2031.jpg", pf.image_bytes("JPEG", size=(2000, 1000), exif=pf.gps_exif()))
    proposal = services.submit_proposal(f.make_user(), budget, pf.proposal_data(village), [upload])
    [photo] = proposal.photos
    assert re.fullmatch(r"[0-9a-f]{32}\.jpg", photo.name) and (photo.width, photo.height) == (1600, 800)
    path = Path(app.config["UPLOAD_DIR"]) / "proposals" / photo.name
    assert path.stat().st_size == photo.size
    with Image.open(path) as image:
        assert len(image.getexif()) == 0


def test_one_bad_photo_saves_nothing_at_all(app, db, budget):
    village = budget.municipality.villages[0]
    before = _stored(app)
    uploads = [("good.jpg", pf.image_bytes("JPEG")), ("evil.jpg", b"MZ\x90\x00 not an image")]
    with pytest.raises(ValidationFailed) as exc:
        services.submit_proposal(f.make_user(), budget, pf.proposal_data(village), uploads)
    assert [field for field, _ in exc.value.errors] == ["photos"]
    with app.test_request_context():
        assert "evil.jpg" in str(exc.value.errors[0][1])
    assert db.session.execute(sa.select(sa.func.count(Proposal.id))).scalar() == 0
    assert _stored(app) == before


def test_at_most_the_configured_number_of_photos(app, db, budget):
    proposal = pf.make_proposal(budget)
    image = pf.image_bytes("PNG")
    services.add_photos(proposal.author, proposal, [("a.png", image)] * 3)
    with pytest.raises(ValidationFailed):
        services.add_photos(proposal.author, proposal, [("b.png", image)] * 2)
    services.add_photos(proposal.author, proposal, [("c.png", image)])
    assert len(proposal.photos) == app.config["PHOTO_MAX_COUNT"] == 4


def test_only_authors_and_reviewers_add_photos(db, budget):
    proposal = pf.make_proposal(budget)
    image = [("a.png", pf.image_bytes("PNG"))]
    with pytest.raises(PermissionDenied):
        services.add_photos(f.make_user(), proposal, image)
    services.add_photos(f.make_staff(budget.municipality), proposal, image)
    assert db.session.execute(sa.select(sa.func.count(ProposalPhoto.id))).scalar() == 1


def test_adding_no_photo_is_a_clear_error(db, budget):
    proposal = pf.make_proposal(budget)
    with pytest.raises(ValidationFailed) as exc:
        services.add_photos(proposal.author, proposal, [])
    assert exc.value.errors[0][0] == "photos"
