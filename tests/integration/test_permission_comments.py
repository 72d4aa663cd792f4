"""Permission matrix of the comment routes."""
import pytest

from pb.comments import services
from pb.comments.targets import load_target
from tests import factories as f
from tests.integration.permissions_world import (  # noqa: F401  (world is a fixture)
    ALL, GROUP, INSIDERS, LOGGED_IN, cases, check_access, world,
)

MODERATORS = {"admin", "staff", "chair"}  # admin, the municipality's staff, group leads

MATRIX = [
    ("comments.show_comments", "GET", lambda w: f"/comments/budget/{w.budget.id}", None, ALL),
    ("comments.show_comments", "GET", lambda w: f"/comments/budget_line/{w.draft_line.id}", None, INSIDERS),
    ("comments.post_comment", "POST", lambda w: f"/comments/budget_line/{w.line.id}",
     lambda w: dict(body="Жол качан оңдолот?"), LOGGED_IN),
    ("comments.post_comment", "POST", lambda w: f"/comments/budget/{w.draft.id}",
     lambda w: dict(body="Долбоор боюнча суроо"), INSIDERS),
    ("comments.post_comment", "POST", lambda w: f"/comments/budget_line/{w.line.id}",
     lambda w: dict(body="Расмий жооп", parent_id=str(w.question.id), official="y"), GROUP),
    ("comments.report_comment", "POST", lambda w: f"/comments/{w.question.id}/report",
     lambda w: dict(reason="Жарнама"), LOGGED_IN),
    ("comments.report_comment", "POST", lambda w: f"/comments/{w.draft_question.id}/report",
     lambda w: {}, INSIDERS - {"council"}),  # the council member wrote it
    ("comments.moderate_comment", "POST", lambda w: f"/comments/{w.question.id}/moderate",
     lambda w: dict(action="hide", reason="Орой сөз"), MODERATORS),
    ("comments.moderate_comment", "POST", lambda w: f"/comments/{w.hidden.id}/moderate",
     lambda w: dict(action="restore", reason="Текшерилди"), MODERATORS),
    ("comments.mark_official", "POST", lambda w: f"/comments/{w.reply.id}/official", lambda w: {}, MODERATORS),
    ("comments.mark_official", "POST", lambda w: f"/comments/{w.member_reply.id}/official", lambda w: {}, GROUP),
    ("comments.moderation_queue", "GET", lambda w: "/m/ak-dobo/moderation", None, MODERATORS, False),
    ("comments.moderation_queue", "GET", lambda w: "/m/isanov/moderation", None,
     {"admin", "staff_other", "chair_other"}, False),
]


@pytest.fixture
def comment_world(world):
    """The shared world with a thread on a public line and a question on the draft."""
    neighbour = f.make_user(village_id=world.village.id)  # holds none of the roles under test
    line = load_target("budget_line", world.line.id)
    world.question = services.post_comment(neighbour, line, "Суроо")
    world.reply = services.post_comment(neighbour, line, "Менин оюм", parent_id=world.question.id)
    world.member_reply = services.post_comment(world.users["member"], line, "Жооп", parent_id=world.question.id)
    world.hidden = services.post_comment(neighbour, line, "Жашырыла турган")
    services.moderate_comment(world.users["staff"], world.hidden, "hide", "Орой сөз")
    world.draft_question = services.post_comment(world.users["council"], load_target("budget", world.draft.id),
                                                 "Ички суроо")
    return world


@pytest.mark.parametrize(("row", "role"), cases(MATRIX))
def test_comment_routes_allow_only_their_roles(row, role, comment_world, client, login_as, db):
    check_access(row, role, comment_world, client, login_as, db)
