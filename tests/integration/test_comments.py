"""Comments through the test client: with and without htmx, replies, official answers, rate limits."""
import pytest
import sqlalchemy as sa

from pb.budgets.states import Phase
from pb.comments.models import Comment
from pb.notifications.models import Notification
from tests import factories as f

HX = {"HX-Request": "true"}


@pytest.fixture
def place(app):
    municipality = f.make_municipality(name_ky="Ак-Добо айыл өкмөтү", slug="ak-dobo")
    budget = f.make_budget(municipality, Phase.CONSULTATION)
    return dict(municipality=municipality, budget=budget, line=budget.lines[0],
                resident=f.make_user(language="en"), staff=f.make_staff(municipality, language="en"))


@pytest.fixture
def as_user(login_as):
    """Log in as another user within one test."""
    return login_as


def _comments(db):
    return db.session.execute(sa.select(Comment).order_by(Comment.id)).scalars().all()


def test_post_without_javascript_redirects_to_the_comment(client, place, as_user, db):
    as_user(place["resident"])
    response = client.post(f"/comments/budget_line/{place['line'].id}", data=dict(body="Жол качан?"))
    comment = _comments(db)[0]
    assert response.status_code == 302
    assert response.location == f"/lines/{place['line'].id}#comment-{comment.id}"
    page = client.get(response.location).get_data(as_text=True)
    assert f'id="comment-{comment.id}"' in page and "Жол качан?" in page
    assert "Your comment has been published." in page
    assert "1 question, 0 answered" in page


def test_post_with_htmx_returns_the_thread_fragment(client, place, as_user):
    as_user(place["resident"])
    response = client.post(f"/comments/budget/{place['budget'].id}", data=dict(body="Салам"), headers=HX)
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert html.startswith(f'<section id="comments-budget-{place["budget"].id}"') and "<html" not in html
    assert "Салам" in html and "Your comment has been published." in html
    assert response.headers["Vary"] and "HX-Request" in response.headers["Vary"]


def test_bad_input_with_htmx_shows_the_message_in_the_form(client, place, as_user, db, app):
    as_user(place["resident"])
    too_long = "ж" * (app.config["COMMENT_MAX_LENGTH"] + 1)
    response = client.post(f"/comments/budget_line/{place['line'].id}", data=dict(body=too_long), headers=HX)
    html = response.get_data(as_text=True)
    assert response.status_code == 422 and "<html" not in html
    assert "at most 2000 characters" in html and 'aria-invalid="true"' in html
    assert too_long in html  # what was written is kept
    assert _comments(db) == []


def test_bad_input_without_javascript_shows_the_page_with_the_message(client, place, as_user, db):
    as_user(place["resident"])
    response = client.post(f"/comments/budget_line/{place['line'].id}", data=dict(body="   "))
    html = response.get_data(as_text=True)
    assert response.status_code == 422 and "<html" in html
    assert "Write your comment before sending it." in html
    assert f'href="/lines/{place["line"].id}"' in html  # back to the line
    assert _comments(db) == []


def test_comment_page_is_a_page_or_a_fragment(client, place):
    client.post("/language", data=dict(language="en"))
    url = f"/comments/budget_line/{place['line'].id}"
    assert "<html" in client.get(url).get_data(as_text=True)
    fragment = client.get(url, headers=HX).get_data(as_text=True)
    assert fragment.startswith("<section") and "Log in to comment" in fragment


def test_reply_nests_under_its_comment(client, place, as_user, db):
    as_user(place["resident"])
    url = f"/comments/budget_line/{place['line'].id}"
    client.post(url, data=dict(body="Суроо"))
    question = _comments(db)[0]
    response = client.post(url, data=dict(body="Тактоо", parent_id=str(question.id)), headers=HX)
    reply = _comments(db)[1]
    assert (reply.parent_id, reply.depth) == (question.id, 1)
    html = response.get_data(as_text=True)
    outer = html.index(f'id="comment-{question.id}"')
    assert outer < html.index(f'id="comment-{reply.id}"') < html.index("</li>", html.index(f'id="comment-{reply.id}"'))


def test_a_double_click_saves_one_comment(client, place, as_user, db):
    as_user(place["resident"])
    url = f"/comments/budget_line/{place['line'].id}"
    for _ in range(2):
        client.post(url, data=dict(body="Бир жолу", key="form-key-1"))
    assert len(_comments(db)) == 1


def test_official_answer_notifies_the_asker_and_the_budgets_followers(client, place, as_user, db, outbox):
    follower = f.make_user(language="ru", email="follower@example.kg")
    as_user(follower)
    client.post(f"/follow/budget/{place['budget'].id}")
    as_user(place["resident"])
    url = f"/comments/budget_line/{place['line'].id}"
    client.post(url, data=dict(body="Жол качан оңдолот?"))
    question = _comments(db)[0]
    as_user(place["staff"])
    client.post(url, data=dict(body="Жайында.", parent_id=str(question.id), official="y"), headers=HX)
    answer = _comments(db)[1]
    assert answer.is_official
    notified = db.session.execute(sa.select(Notification.user_id, Notification.kind)).all()
    assert sorted(notified) == sorted([(follower.id, "comment.official"), (place["resident"].id, "comment.official")])
    messages = {m["To"]: m for _, m in outbox()}
    assert set(messages) == {"follower@example.kg", place["resident"].email}
    body = messages["follower@example.kg"].get_content()
    assert f"/lines/{place['line'].id}#comment-{answer.id}" in body  # straight to the answer
    line_page = client.get(f"/lines/{place['line'].id}").get_data(as_text=True)
    assert "1 question, 1 answered" in line_page and "Official answer" in line_page


def test_marking_a_reply_official_afterwards_also_notifies(client, place, as_user, db, outbox):
    as_user(place["resident"])
    url = f"/comments/budget_line/{place['line'].id}"
    client.post(url, data=dict(body="Суроо"))
    question = _comments(db)[0]
    as_user(place["staff"])
    client.post(url, data=dict(body="Жооп", parent_id=str(question.id)))
    answer = _comments(db)[1]
    assert outbox() == []
    response = client.post(f"/comments/{answer.id}/official", headers=HX)
    assert response.status_code == 200 and "This reply is now the official answer." in response.get_data(as_text=True)
    assert [m["To"] for _, m in outbox()] == [place["resident"].email]
    client.post(f"/comments/{answer.id}/official", data=dict(official="0"))
    db.session.expire_all()
    assert not db.session.get(Comment, answer.id).is_official


def test_budget_page_marks_lines_with_unanswered_questions(client, place, as_user):
    as_user(place["resident"])
    line, other = place["budget"].lines
    for _ in range(2):
        client.post(f"/comments/budget_line/{line.id}", data=dict(body="Суроо"))
    page = client.get(f"/budgets/{place['budget'].id}").get_data(as_text=True)
    assert "2 questions without an official answer" in page and ">?2</abbr>" in page
    assert page.count("without an official answer") == 1
    assert f'id="comments-budget-{place["budget"].id}"' in page


def test_rate_limit_per_user_answers_429_in_the_users_language(client, place, as_user, app):
    user = f.make_user(language="ru")
    as_user(user)
    url = f"/comments/budget_line/{place['line'].id}"
    per_minute = int(app.config["COMMENT_RATE_LIMIT"].split()[0])
    for i in range(per_minute):  # from different addresses: only the per-user limit counts
        assert client.post(url, data=dict(body=f"№{i}"), environ_base={"REMOTE_ADDR": f"10.0.0.{i + 1}"}).status_code == 302
    response = client.post(url, data=dict(body="Дагы"), environ_base={"REMOTE_ADDR": "10.0.1.1"})
    assert response.status_code == 429
    assert "Слишком много попыток. Подождите минуту и попробуйте ещё раз." in response.get_data(as_text=True)


def test_rate_limit_per_address_holds_across_users(client, place, as_user, app):
    url = f"/comments/budget_line/{place['line'].id}"
    per_minute = int(app.config["COMMENT_RATE_LIMIT"].split()[0])
    for i in range(per_minute):
        as_user(f.make_user())
        assert client.post(url, data=dict(body=f"№{i}")).status_code == 302
    as_user(f.make_user(language="en"))
    response = client.post(url, data=dict(body="Дагы"), headers=HX)
    html = response.get_data(as_text=True)
    assert response.status_code == 429 and html.startswith("<section id=\"comments-")
    assert "Too many attempts. Please wait a minute and try again." in html and "Дагы" in html


def test_draft_budget_threads_are_hidden_from_the_public(client, place, as_user, db):
    draft = f.make_budget(place["municipality"], Phase.DRAFT, fiscal_year=2031)
    as_user(place["resident"])
    assert client.post(f"/comments/budget/{draft.id}", data=dict(body="Салам")).status_code == 404
    assert client.get(f"/comments/budget/{draft.id}").status_code == 404
    as_user(place["staff"])
    assert client.post(f"/comments/budget/{draft.id}", data=dict(body="Ички талкуу")).status_code == 302
    assert len(_comments(db)) == 1


def test_anonymous_visitors_are_sent_to_log_in(client, place, db):
    response = client.post(f"/comments/budget_line/{place['line'].id}", data=dict(body="Салам"))
    assert response.status_code == 302 and "/login" in response.location
    assert _comments(db) == []


def test_residents_discuss_a_proposal(client, login_as, db):
    from tests.proposal_factories import make_proposal

    municipality = f.make_municipality()
    budget = f.make_budget(municipality, Phase.CONSULTATION)
    proposal = make_proposal(budget)
    login_as(f.make_user(name="Нурлан"))
    response = client.post(f"/comments/proposal/{proposal.id}", data=dict(body="Канча адам колдонот?"))
    assert response.status_code == 302
    page = client.get(f"/proposals/{proposal.id}").get_data(as_text=True)
    assert "Канча адам колдонот?" in page


def test_residents_ask_before_a_hearing_and_follow_it(client, login_as, db, outbox):
    from tests.hearing_factories import make_hearing

    municipality = f.make_municipality()
    hearing = make_hearing(municipality)
    resident = f.make_user(email="asker@example.kg")
    login_as(resident)
    client.post(f"/follow/hearing/{hearing.id}")
    response = client.post(f"/comments/hearing/{hearing.id}", data=dict(body="Угуу кайсы тилде өтөт?"))
    assert response.status_code == 302
    assert "Угуу кайсы тилде өтөт?" in client.get(f"/hearings/{hearing.id}").get_data(as_text=True)
    question = _comments(db)[-1]
    login_as(f.make_staff(municipality))
    client.post(f"/comments/hearing/{hearing.id}", data=dict(body="Кыргыз жана орус тилдеринде.",
                                                             parent_id=str(question.id), official="y"))
    assert any(m["To"] == "asker@example.kg" for _, m in outbox())
