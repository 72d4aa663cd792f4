"""Permission matrix of the proposal routes: every route × every role."""
import io

import pytest

from pb.extensions import db
from pb.proposals import photos
from pb.proposals.models import ProposalPhoto
from pb.proposals.services import photo_directory
from tests import proposal_factories as pf
from tests.integration.permissions_world import (  # noqa: F401  (world is a fixture)
    ALL, INSIDERS, LEADS, LOGGED_IN, cases, check_access, world,
)

NOBODY = set()
AUTHOR_OR_LEADS = LEADS | {"resident"}


def _proposal(w, draft=False):
    """The resident's proposal in the consultation budget (or the draft), made once per world."""
    key = "_draft_proposal" if draft else "_proposal"
    if not hasattr(w, key):
        setattr(w, key, pf.make_proposal(w.draft if draft else w.budget, author=w.users["resident"], village=w.village))
    return getattr(w, key)


def _other(w):
    if not hasattr(w, "_other"):
        w._other = pf.make_proposal(w.budget, village=w.village, title="Башка сунуш")
    return w._other


def _photo(w, draft=False):
    """A stored photo, written without the service so that making it leaves no audit entry."""
    proposal = _proposal(w, draft)
    prepared = photos.prepare_photo(pf.image_bytes("JPEG"), 1024 * 1024, 1600)
    name = photos.new_name(prepared.extension)
    photos.write_photo(photo_directory(), name, prepared.data)
    proposal.photos.append(ProposalPhoto(name=name, width=prepared.width, height=prepared.height,
                                         size=len(prepared.data)))
    db.session.commit()
    return name


def _upload(w):
    return {"photos": [(io.BytesIO(pf.image_bytes("PNG")), "photo.png")]}


MATRIX = [
    ("proposals.list_proposals", "GET", lambda w: f"/budgets/{w.budget.id}/proposals", None, ALL),
    ("proposals.list_proposals", "GET", lambda w: f"/budgets/{w.draft.id}/proposals", None, INSIDERS),
    ("proposals.create_proposal", "GET", lambda w: f"/budgets/{w.budget.id}/proposals/new", None, LOGGED_IN),
    ("proposals.create_proposal", "POST", lambda w: f"/budgets/{w.budget.id}/proposals/new",
     lambda w: pf.proposal_data(w.village), LOGGED_IN),
    ("proposals.create_proposal", "GET", lambda w: f"/budgets/{w.draft.id}/proposals/new", None, NOBODY),
    ("proposals.create_proposal", "POST", lambda w: f"/budgets/{w.draft.id}/proposals/new",
     lambda w: pf.proposal_data(w.village), NOBODY),
    ("proposals.show_proposal", "GET", lambda w: f"/proposals/{_proposal(w).id}", None, ALL),
    ("proposals.show_proposal", "GET", lambda w: f"/proposals/{_proposal(w, draft=True).id}", None, INSIDERS),
    ("proposals.change_status", "POST", lambda w: f"/proposals/{_proposal(w).id}/status",
     lambda w: dict(to="under_review", reason="", expected="submitted"), LEADS),
    ("proposals.merge_proposal", "POST", lambda w: f"/proposals/{_proposal(w).id}/merge",
     lambda w: {"merge-into": str(_other(w).id), "merge-reason": "Ошол эле арык."}, LEADS),
    ("proposals.support_proposal", "POST", lambda w: f"/proposals/{_proposal(w).id}/support", lambda w: {}, LOGGED_IN),
    ("proposals.support_proposal", "POST", lambda w: f"/proposals/{_proposal(w, draft=True).id}/support",
     lambda w: {}, NOBODY),
    ("proposals.add_photos", "POST", lambda w: f"/proposals/{_proposal(w).id}/photos", _upload, AUTHOR_OR_LEADS),
    ("proposals.show_photo", "GET", lambda w: f"/proposal-photos/{_photo(w)}", None, ALL),
    ("proposals.show_photo", "GET", lambda w: f"/proposal-photos/{_photo(w, draft=True)}", None, INSIDERS),
]


@pytest.mark.parametrize(("row", "role"), cases(MATRIX))
def test_proposal_routes_allow_only_their_roles(row, role, world, client, login_as, db):
    check_access(row, role, world, client, login_as, db)
