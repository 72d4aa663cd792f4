"""Printable documents of a hearing: the minutes and the notice as PDF, sent inline."""
from flask import Blueprint, Response, abort
from flask_login import current_user

from pb.core.permissions import can
from pb.hearings import minutes as _minutes_rules  # noqa: F401  (registers view_minutes)
from pb.hearings import services as hearings
from pb.hearings.states import HearingStatus
from pb.reports import documents
from pb.reports.pdf.minutes import LANGUAGES as MINUTES_LANGUAGES

bp = Blueprint("reports", __name__)

NOTICE_LANGUAGES = {"ky": ("ky",), "ru": ("ru",), "ky-ru": ("ky", "ru")}


def _pdf(data, name, public):
    response = Response(data, mimetype="application/pdf",
                        headers={"Content-Disposition": f'inline; filename="{name}"'})
    # minutes not yet published must not stay in a shared cache
    response.headers["Cache-Control"] = "public, max-age=300" if public else "private, no-store"
    return response


@bp.route("/hearings/<int:hearing_id>/minutes/<lang>.pdf")
def show_minutes_pdf(hearing_id, lang):
    """The minutes as an A4 PDF in Kyrgyz or Russian; public once published, editors only before."""
    hearing = hearings.get_hearing(hearing_id)
    if not can(current_user, "view_minutes", hearing):
        abort(404)  # unpublished minutes do not reveal that they exist
    if lang not in MINUTES_LANGUAGES:
        abort(404)
    data = documents.minutes_pdf(hearing, lang)
    name = documents.file_name("minutes", hearing.municipality.slug, hearing.starts_at, lang)
    return _pdf(data, name, public=hearing.minutes_published_at is not None)


@bp.route("/hearings/<int:hearing_id>/notice/<lang>.pdf")
def show_notice_pdf(hearing_id, lang):
    """The A4 notice for village boards (ky, ru, or both on one sheet: ky-ru), with a QR code to the hearing."""
    hearing = hearings.get_hearing(hearing_id)
    if hearing.status == HearingStatus.CANCELLED or lang not in NOTICE_LANGUAGES:
        abort(404)  # a cancelled hearing is not announced any more
    data = documents.notice_pdf(hearing, NOTICE_LANGUAGES[lang])
    name = documents.file_name("notice", hearing.municipality.slug, hearing.starts_at, lang)
    return _pdf(data, name, public=True)
