"""Permission matrix of the minutes, the hearing documents (PDF) and the statistics: every route × every role.

The world's hearing names the group member as its secretary account, so "member" edits these minutes
as the hearing's secretary, while the group chair edits them as a group lead.
"""
import pytest

from pb.extensions import db
from pb.hearings.states import AgeBand, Gender, HearingStatus
from tests import minutes_factories as mf
from tests.integration.permissions_world import (  # noqa: F401  (world is a fixture)
    ALL, LEADS, cases, check_access, world,
)

NOBODY = set()
EDITORS = LEADS | {"member"}


def _hearing(w, key, status=HearingStatus.CLOSED, published=False):
    """A hearing of Ak-Dobo with a little attendance, made once per world and key."""
    if not hasattr(w, key):
        hearing = mf.make_hearing(w.ak, status=status, secretary_id=w.users["member"].id, villages=[w.village])
        mf.add_attendance(hearing, Gender.FEMALE, AgeBand.FROM_18_TO_29, w.village, 3)
        if published:
            hearing.minutes_published_at = hearing.closed_at
            db.session.commit()
        setattr(w, key, hearing)
    return getattr(w, key).id


def held(w):
    return _hearing(w, "_held")


def published(w):
    return _hearing(w, "_published", published=True)


def under_way(w):
    return _hearing(w, "_under_way", status=HearingStatus.OPEN)


def cancelled(w):
    return _hearing(w, "_cancelled", status=HearingStatus.CANCELLED)


def _notes(w):
    return dict(text="Угуу тынч өттү; суроолор көп болду.", prev_revision_id="")


MATRIX = [
    ("minutes.show_minutes", "GET", lambda w: f"/hearings/{held(w)}/minutes", None, EDITORS),
    ("minutes.show_minutes", "GET", lambda w: f"/hearings/{published(w)}/minutes", None, ALL),
    ("minutes.show_minutes", "GET", lambda w: f"/hearings/{under_way(w)}/minutes", None, EDITORS),
    ("minutes.edit_minutes", "GET", lambda w: f"/hearings/{held(w)}/minutes/edit", None, EDITORS),
    ("minutes.edit_minutes", "POST", lambda w: f"/hearings/{held(w)}/minutes/edit", _notes, EDITORS),
    ("minutes.edit_minutes", "GET", lambda w: f"/hearings/{published(w)}/minutes/edit", None, EDITORS),
    ("minutes.edit_minutes", "GET", lambda w: f"/hearings/{under_way(w)}/minutes/edit", None, NOBODY),
    ("minutes.edit_minutes", "POST", lambda w: f"/hearings/{under_way(w)}/minutes/edit", _notes, NOBODY),
    ("minutes.publish_minutes", "POST", lambda w: f"/hearings/{held(w)}/minutes/publish", lambda w: {}, EDITORS),
    ("minutes.publish_minutes", "POST", lambda w: f"/hearings/{under_way(w)}/minutes/publish", lambda w: {}, NOBODY),
    ("reports.show_minutes_pdf", "GET", lambda w: f"/hearings/{held(w)}/minutes/ky.pdf", None, EDITORS),
    ("reports.show_minutes_pdf", "GET", lambda w: f"/hearings/{published(w)}/minutes/ru.pdf", None, ALL),
    ("reports.show_notice_pdf", "GET", lambda w: f"/hearings/{under_way(w)}/notice/ky-ru.pdf", None, ALL),
    ("reports.show_notice_pdf", "GET", lambda w: f"/hearings/{cancelled(w)}/notice/ky.pdf", None, NOBODY),
    ("stats.show_platform_stats", "GET", lambda w: "/stats", None, ALL),
    ("stats.show_municipality_stats", "GET", lambda w: "/m/ak-dobo/stats", None, ALL),
]


@pytest.mark.parametrize(("row", "role"), cases(MATRIX))
def test_minutes_routes_allow_only_their_roles(row, role, world, client, login_as, db):
    check_access(row, role, world, client, login_as, db)
