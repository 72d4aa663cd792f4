"""Comment services without HTTP: limits, depth, official answers, reports, moderation."""
import pytest
import sqlalchemy as sa
from flask_babel import force_locale

from pb.audit.models import AuditEntry
from pb.budgets.states import Phase
from pb.comments import services, threads
from pb.comments.models import Comment, CommentReport, ModerationAction
from pb.comments.states import ModerationKind
from pb.comments.targets import load_target
from pb.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from pb.groups.models import Position
from tests import factories as f


@pytest.fixture
def place(app):
    municipality = f.make_municipality()
    budget = f.make_budget(municipality, Phase.CONSULTATION)
    group = f.make_group(municipality)
    return dict(
        municipality=municipality, budget=budget, line=budget.lines[0],
        target=load_target("budget_line", budget.lines[0].id),
        resident=f.make_user(), neighbour=f.make_user(), staff=f.make_staff(municipality),
        chair=f.make_member(group, Position.CHAIR), member=f.make_member(group, Position.MEMBER),
        council=f.make_staff(municipality, role="council"),
    )


def _count(db, model):
    return db.session.execute(sa.select(sa.func.count()).select_from(model)).scalar()


def _actions(db, action):
    return db.session.execute(sa.select(sa.func.count(AuditEntry.id)).where(AuditEntry.action == action)).scalar()


def test_targets_know_their_municipality_followers_and_visibility(place):
    target = place["target"]
    assert (target.type, target.municipality_id, target.follow_type, target.follow_id, target.public) == (
        "budget_line", place["municipality"].id, "budget", place["budget"].id, True)
    assert target.url == f"/lines/{place['line'].id}"
    draft = f.make_budget(place["municipality"], Phase.DRAFT, fiscal_year=2030)
    assert load_target("budget", draft.id).public is False
    with pytest.raises(NotFound):
        load_target("budget_line", 999999)
    with pytest.raises(NotFound):
        load_target("no_such_type", 1)


def test_comment_is_stripped_and_audited(place, db):
    comment = services.post_comment(place["resident"], place["target"], "  Жол качан оңдолот?  \n")
    assert comment.body == "Жол качан оңдолот?" and comment.depth == 0 and comment.root_id is None
    assert comment.municipality_id == place["municipality"].id
    assert _actions(db, "comment.post") == 1


@pytest.mark.parametrize("body", ["", "   \n\t ", "\x00\x00"])
def test_empty_comment_is_refused(place, body, db):
    with pytest.raises(ValidationFailed) as exc:
        services.post_comment(place["resident"], place["target"], body)
    assert exc.value.errors[0][0] == "body"
    assert _count(db, Comment) == 0


def test_comment_length_limit_counts_after_stripping(place, app, db):
    limit = app.config["COMMENT_MAX_LENGTH"]
    services.post_comment(place["resident"], place["target"], "  " + "ж" * limit + "  ")
    with pytest.raises(ValidationFailed) as exc:
        services.post_comment(place["resident"], place["target"], "ж" * (limit + 1))
    with force_locale("en"):
        message = str(exc.value.errors[0][1])
    assert f"at most {limit} characters long; this one has {limit + 1}" in message
    assert _count(db, Comment) == 1


def test_anonymous_users_cannot_post(place):
    with pytest.raises(PermissionDenied):
        services.post_comment(None, place["target"], "Салам")


def test_draft_threads_are_for_insiders_only(place):
    draft = f.make_budget(place["municipality"], Phase.DRAFT, fiscal_year=2030)
    target = load_target("budget", draft.id)
    with pytest.raises(PermissionDenied):
        services.post_comment(place["resident"], target, "Салам")
    assert services.post_comment(place["council"], target, "Долбоор боюнча суроо").id
    with pytest.raises(NotFound):
        threads.get_visible_target(place["resident"], "budget", draft.id)


def test_replies_nest_and_the_deepest_level_keeps_its_thread(place, app):
    assert app.config["COMMENT_MAX_DEPTH"] == 3
    who, target = place["resident"], place["target"]
    question = services.post_comment(who, target, "Суроо")
    first = services.post_comment(who, target, "Жооп", parent_id=question.id)
    second = services.post_comment(who, target, "Жоопко жооп", parent_id=first.id)
    third = services.post_comment(who, target, "Андан да терең", parent_id=second.id)
    assert (first.depth, second.depth) == (1, 2)
    assert (third.depth, third.parent_id, third.root_id) == (2, first.id, question.id)
    tree = threads.list_thread(target)
    assert [n.comment.id for n in tree[0].replies[0].replies] == [second.id, third.id]


def test_a_reply_to_another_threads_comment_is_not_found(place):
    other = load_target("budget_line", place["budget"].lines[1].id)
    question = services.post_comment(place["resident"], other, "Суроо")
    with pytest.raises(NotFound):
        services.post_comment(place["resident"], place["target"], "Жооп", parent_id=question.id)


def test_the_same_client_key_saves_the_comment_once(place, db):
    first = services.post_comment(place["resident"], place["target"], "Бир жолу", client_key="k-1")
    again = services.post_comment(place["resident"], place["target"], "Бир жолу", client_key="k-1")
    assert again.id == first.id and _count(db, Comment) == 1
    other = services.post_comment(place["neighbour"], place["target"], "Бир жолу", client_key="k-1")
    assert other.id != first.id


@pytest.mark.parametrize("role", ["staff", "chair", "member"])
def test_staff_and_group_members_answer_officially(place, role):
    question = services.post_comment(place["resident"], place["target"], "Суроо")
    answer = services.post_comment(place[role], place["target"], "Расмий жооп", parent_id=question.id, official=True)
    assert answer.is_official
    assert threads.answer_status("budget_line", place["line"].id) == (1, 1)


@pytest.mark.parametrize("role", ["resident", "council"])
def test_others_cannot_answer_officially(place, role, db):
    question = services.post_comment(place["resident"], place["target"], "Суроо")
    with pytest.raises(PermissionDenied):
        services.post_comment(place[role], place["target"], "Жооп", parent_id=question.id, official=True)
    reply = services.post_comment(place[role], place["target"], "Жооп", parent_id=question.id)
    with pytest.raises(PermissionDenied):
        services.set_official(place[role], reply)
    assert threads.answer_status("budget_line", place["line"].id) == (1, 0)


def test_a_question_cannot_be_its_own_official_answer(place):
    with pytest.raises(ValidationFailed):
        services.post_comment(place["staff"], place["target"], "Маалымат", official=True)
    question = services.post_comment(place["staff"], place["target"], "Маалымат")
    with pytest.raises(PermissionDenied):
        services.set_official(place["staff"], question)


def test_a_member_marks_only_their_own_reply_a_moderator_any(place):
    question = services.post_comment(place["resident"], place["target"], "Суроо")
    by_resident = services.post_comment(place["neighbour"], place["target"], "Менин оюм", parent_id=question.id)
    by_member = services.post_comment(place["member"], place["target"], "Жооп", parent_id=question.id)
    with pytest.raises(PermissionDenied):
        services.set_official(place["member"], by_resident)
    services.set_official(place["member"], by_member)
    services.set_official(place["chair"], by_resident)
    assert by_member.is_official and by_resident.is_official
    services.set_official(place["staff"], by_member, False)
    assert not by_member.is_official


def test_answered_means_an_official_visible_reply_anywhere_in_the_thread(place):
    who, target = place["resident"], place["target"]
    q1 = services.post_comment(who, target, "Биринчи суроо")
    services.post_comment(who, target, "Экинчи суроо")
    reply = services.post_comment(who, target, "Тактоо", parent_id=q1.id)
    deep = services.post_comment(place["staff"], target, "Расмий", parent_id=reply.id, official=True)
    assert deep.root_id == q1.id
    assert threads.answer_status("budget_line", place["line"].id) == (2, 1)
    assert threads.unanswered_counts("budget_line", [place["line"].id]) == {place["line"].id: 1}
    services.moderate_comment(place["staff"], deep, "hide", "Ката")
    assert threads.answer_status("budget_line", place["line"].id) == (2, 0)


def test_unanswered_counts_for_many_targets_in_one_query(place, db):
    lines = place["budget"].lines
    for line in lines:
        target = load_target("budget_line", line.id)
        services.post_comment(place["resident"], target, "Суроо")
    services.post_comment(place["resident"], load_target("budget_line", lines[0].id), "Дагы")
    ids = [line.id for line in lines] + [999999]
    statements = []

    def remember(conn, cursor, statement, *args):
        statements.append(statement)

    sa.event.listen(db.engine, "before_cursor_execute", remember)
    try:
        counts = threads.unanswered_counts("budget_line", ids)
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", remember)
    assert len(statements) == 1
    assert counts == {ids[0]: 2, ids[1]: 1}
    assert threads.unanswered_counts("budget_line", []) == {}


# --- reports and moderation -------------------------------------------------------------


def _reporters(n):
    return [f.make_user() for _ in range(n)]


def test_anyone_but_the_author_reports_once(place, db):
    comment = services.post_comment(place["resident"], place["target"], "Спам")
    with pytest.raises(PermissionDenied):
        services.report_comment(place["resident"], comment)
    services.report_comment(place["neighbour"], comment, "Жарнама")
    with pytest.raises(Conflict):
        services.report_comment(place["neighbour"], comment, "Дагы")
    assert comment.report_count == 1 and _count(db, CommentReport) == 1
    with pytest.raises(PermissionDenied):
        services.report_comment(None, comment)


def test_the_database_refuses_a_second_report_by_the_same_person(place, db):
    comment = services.post_comment(place["resident"], place["target"], "Спам")
    services.report_comment(place["neighbour"], comment)
    db.session.add(CommentReport(comment_id=comment.id, reporter_id=place["neighbour"].id))
    with pytest.raises(sa.exc.IntegrityError):
        db.session.flush()
    db.session.rollback()


def test_enough_reports_hide_the_comment_until_a_moderator_decides(place, app, db):
    threshold = app.config["COMMENT_REPORT_THRESHOLD"]
    comment = services.post_comment(place["resident"], place["target"], "Орой сөз")
    reporters = _reporters(threshold + 1)
    for reporter in reporters[:threshold - 1]:
        services.report_comment(reporter, comment)
    assert not comment.hidden
    services.report_comment(reporters[threshold - 1], comment)
    assert comment.hidden and comment.hidden_automatically and comment.hidden_reason
    assert _actions(db, "comment.auto_hide") == 1
    trail = db.session.execute(sa.select(ModerationAction)).scalars().all()
    assert [a.action for a in trail] == [ModerationKind.AUTO_HIDE]
    services.moderate_comment(place["staff"], comment, "restore", "Сын, бирок адептүү")
    services.report_comment(reporters[threshold], comment)  # the moderator has decided
    assert not comment.hidden and comment.report_count == threshold + 1


def test_moderators_hide_and_restore_with_a_reason(place, db):
    comment = services.post_comment(place["resident"], place["target"], "Жеке маалымат: 0555 123 456")
    with pytest.raises(ValidationFailed) as exc:
        services.moderate_comment(place["chair"], comment, "hide", "   ")
    assert exc.value.errors[0][0] == "reason" and not comment.hidden
    with pytest.raises(ValidationFailed):
        services.moderate_comment(place["chair"], comment, "delete", "Себеп")
    with pytest.raises(Conflict):
        services.moderate_comment(place["chair"], comment, "restore", "Себеп")
    services.moderate_comment(place["chair"], comment, "hide", "Телефон номери жарыяланбайт")
    assert comment.hidden and comment.hidden_by_id == place["chair"].id and comment.hidden_at
    assert comment.hidden_reason == "Телефон номери жарыяланбайт"
    with pytest.raises(Conflict):
        services.moderate_comment(place["staff"], comment, "hide", "Дагы")
    services.moderate_comment(place["staff"], comment, "restore", "Номер алынып салынды")
    assert not comment.hidden and comment.hidden_reason == "" and comment.hidden_by_id is None
    assert _actions(db, "comment.hide") == 1 and _actions(db, "comment.restore") == 1
    reasons = db.session.execute(sa.select(ModerationAction.reason).order_by(ModerationAction.id)).scalars().all()
    assert reasons == ["Телефон номери жарыяланбайт", "Номер алынып салынды"]


@pytest.mark.parametrize("role", ["resident", "member", "council"])
def test_only_staff_group_leads_and_the_admin_moderate(place, role):
    comment = services.post_comment(place["neighbour"], place["target"], "Комментарий")
    with pytest.raises(PermissionDenied):
        services.moderate_comment(place[role], comment, "hide", "Себеп")
    services.moderate_comment(f.make_user(is_admin=True), comment, "hide", "Себеп")


def test_staff_of_another_municipality_cannot_moderate(place):
    comment = services.post_comment(place["neighbour"], place["target"], "Комментарий")
    with pytest.raises(PermissionDenied):
        services.moderate_comment(f.make_staff(f.make_municipality()), comment, "hide", "Себеп")


def test_the_author_sees_the_reason_and_the_trail_others_do_not(place):
    comment = services.post_comment(place["resident"], place["target"], "Комментарий")
    services.moderate_comment(place["staff"], comment, "hide", "Темадан тышкары")
    own = threads.list_thread(place["target"], viewer_id=place["resident"].id)[0]
    assert [a.reason for a in own.actions] == ["Темадан тышкары"]
    other = threads.list_thread(place["target"], viewer_id=place["neighbour"].id)[0]
    assert other.actions == []
    anonymous = threads.list_thread(place["target"])[0]
    assert anonymous.actions == []


def test_nothing_is_ever_deleted(place, app, db):
    comment = services.post_comment(place["resident"], place["target"], "Сактала турган текст")
    for reporter in _reporters(app.config["COMMENT_REPORT_THRESHOLD"]):
        services.report_comment(reporter, comment)
    services.moderate_comment(place["staff"], comment, "hide", "Себеп")
    services.moderate_comment(place["staff"], comment, "restore", "Себеп")
    services.moderate_comment(place["staff"], comment, "hide", "Акыркы чечим")
    db.session.expire_all()
    kept = db.session.get(Comment, comment.id)
    assert kept.body == "Сактала турган текст" and kept.hidden
    assert _count(db, Comment) == 1
    assert _count(db, CommentReport) == app.config["COMMENT_REPORT_THRESHOLD"]
    assert _count(db, ModerationAction) == 4


def test_the_moderation_queue_lists_reported_and_hidden_comments_waiting_first(place):
    quiet = services.post_comment(place["resident"], place["target"], "Тынч")
    reported = services.post_comment(place["resident"], place["target"], "Шектүү")
    services.report_comment(place["neighbour"], reported)
    hidden = services.post_comment(place["resident"], place["target"], "Жашырылган")
    services.moderate_comment(place["staff"], hidden, "hide", "Себеп")
    auto = services.post_comment(place["resident"], place["target"], "Көп даттануу")
    for reporter in _reporters(3):
        services.report_comment(reporter, auto)
    _, items = threads.list_moderation_queue(place["staff"], place["municipality"], 1, 50)
    ids = [item.comment.id for item in items]
    assert quiet.id not in ids and ids[0] == auto.id and set(ids) == {reported.id, hidden.id, auto.id}
    assert items[0].target.title and len(items[0].reports) == 3
    with pytest.raises(PermissionDenied):
        threads.list_moderation_queue(place["member"], place["municipality"], 1, 50)
