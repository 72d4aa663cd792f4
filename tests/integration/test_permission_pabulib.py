"""Permission matrix of the Pabulib routes: the rehearsal upload (organisers) and the .pb download (public
once the round's results are)."""
import io

import pytest

from pb.voting.states import RoundStatus
from tests.integration.permissions_world import (  # noqa: F401  (world is a fixture)
    ALL, LEADS, cases, check_access, world,
)
from tests.integration.test_permission_voting import _url
from tests.unit.test_pabulib_rounds import SMALL

NOBODY = set()


def _upload(w):
    return dict(file=(io.BytesIO(SMALL.encode()), "aryk.pb"), budget_id=str(w.budget.id), rule="")


MATRIX = [
    ("voting_import.import_round", "GET", lambda w: "/m/ak-dobo/rounds/import", None, LEADS),
    ("voting_import.import_round", "POST", lambda w: "/m/ak-dobo/rounds/import", _upload, LEADS),
    ("voting.export_pabulib", "GET", _url(RoundStatus.CLOSED, "/ballots.pb"), None, ALL),
    ("voting.export_pabulib", "GET", _url(RoundStatus.OPEN, "/ballots.pb"), None, NOBODY),
    ("voting.export_pabulib", "GET", _url(RoundStatus.DRAFT, "/ballots.pb"), None, NOBODY),
]


@pytest.mark.parametrize(("row", "role"), cases(MATRIX))
def test_pabulib_routes_allow_only_their_roles(row, role, world, client, login_as, db):
    check_access(row, role, world, client, login_as, db)
