"""Permission matrix of the notification routes."""
import pytest

from tests.integration.permissions_world import ADMIN, ALL, LOGGED_IN, cases, check_access, world  # noqa: F401

MATRIX = [
    ("notifications.follow", "POST", lambda w: f"/follow/budget/{w.budget.id}", lambda w: {}, LOGGED_IN, False),
    ("notifications.list_notifications", "GET", lambda w: "/notifications", None, LOGGED_IN),
    ("notifications.mark_read", "POST", lambda w: "/notifications/read", lambda w: {}, LOGGED_IN, False),
    ("notifications.show_outbox", "GET", lambda w: "/admin/outbox", None, ADMIN),
]


@pytest.mark.parametrize(("row", "role"), cases(MATRIX))
def test_notification_routes_allow_only_their_roles(row, role, world, client, login_as, db):
    check_access(row, role, world, client, login_as, db)
