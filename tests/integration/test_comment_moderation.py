"""Reports, automatic hiding and moderators' decisions through the test client; escaping everywhere."""
import pytest
import sqlalchemy as sa

from pb.budgets.states import Phase
from pb.comments.models import Comment, ModerationAction
from pb.groups.models import Position
from tests import factories as f

HX = {"HX-Request": "true"}
XSS = '<script>alert(1)</script>"><img src=x onerror=alert(2)> javascript:alert(3)'


@pytest.fixture
def place(app):
    municipality = f.make_municipality(slug="ak-dobo")
    budget = f.make_budget(municipality, Phase.CONSULTATION)
    group = f.make_group(municipality)
    return dict(municipality=municipality, budget=budget, line=budget.lines[0],
                author=f.make_user(language="en"), reader=f.make_user(language="en"),
                staff=f.make_staff(municipality, language="en"),
                chair=f.make_member(group, Position.CHAIR, language="en"))


@pytest.fixture
def as_user(login_as, client):
    def _as(user):
        if user is None:  # an anonymous visitor who reads English, like the users of these tests
            with client.session_transaction() as session:
                session.clear()
                session["lang"] = "en"
            return client
        return login_as(user)

    return _as


@pytest.fixture
def comment(place, as_user, client, db):
    as_user(place["author"])
    client.post(f"/comments/budget_line/{place['line'].id}", data=dict(body="Бул жерде " + XSS))
    return db.session.execute(sa.select(Comment)).scalar_one()


def _reload(db, comment):
    db.session.expire_all()
    return db.session.get(Comment, comment.id)


def _line_page(client, place):
    return client.get(f"/lines/{place['line'].id}").get_data(as_text=True)


def test_user_text_is_escaped_on_the_page_and_in_the_queue(client, place, as_user, comment):
    for user in (None, place["reader"], place["staff"]):
        as_user(user)
        page = _line_page(client, place)
        assert "<script>alert(1)" not in page and "<img src=x" not in page
        assert "&lt;script&gt;alert(1)&lt;/script&gt;&#34;&gt;&lt;img src=x onerror=alert(2)&gt;" in page
    as_user(place["reader"])
    client.post(f"/comments/{comment.id}/report", data=dict(reason=XSS))
    as_user(place["staff"])
    queue = client.get("/m/ak-dobo/moderation").get_data(as_text=True)
    assert "<script>alert(1)" not in queue and "<img src=x" not in queue and "&lt;script&gt;" in queue


def test_report_with_htmx_returns_the_comment_and_thanks(client, place, as_user, comment, db):
    as_user(place["reader"])
    response = client.post(f"/comments/{comment.id}/report", data=dict(reason="Жарнама"), headers=HX)
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and html.startswith(f'<li id="comment-{comment.id}"')
    assert "Thank you. The moderators will look at this comment." in html
    assert "You have reported this comment." in html
    again = client.post(f"/comments/{comment.id}/report", data=dict(reason="Дагы"), headers=HX)
    assert again.status_code == 422 and "You have already reported this comment." in again.get_data(as_text=True)
    assert _reload(db, comment).report_count == 1


def test_report_without_javascript_goes_back_to_the_comment(client, place, as_user, comment):
    as_user(place["reader"])
    response = client.post(f"/comments/{comment.id}/report")
    assert response.status_code == 302 and response.location.endswith(f"#comment-{comment.id}")


def test_the_author_cannot_report_their_own_comment(client, place, as_user, comment, db):
    as_user(place["author"])
    assert client.post(f"/comments/{comment.id}/report").status_code == 403
    assert _reload(db, comment).report_count == 0


def test_enough_reports_hide_it_from_everyone_but_the_author(client, place, as_user, comment, app, db):
    for _ in range(app.config["COMMENT_REPORT_THRESHOLD"]):
        as_user(f.make_user())
        client.post(f"/comments/{comment.id}/report")
    assert _reload(db, comment).hidden
    as_user(place["reader"])
    page = _line_page(client, place)
    assert "Бул жерде" not in page and "hidden after reports until a moderator decides" in page
    as_user(place["author"])
    page = _line_page(client, place)
    assert "Бул жерде" in page and "Reason: several people reported it." in page
    as_user(place["staff"])
    queue = client.get("/m/ak-dobo/moderation").get_data(as_text=True)
    assert f'id="queue-{comment.id}"' in queue and "waiting for a decision" in queue and "Keep hidden" in queue


def test_moderator_hides_with_a_reason_the_author_sees(client, place, as_user, comment, db):
    as_user(place["chair"])
    response = client.post(f"/comments/{comment.id}/moderate", data=dict(action="hide", reason="Орой <b>сөз</b>"),
                           headers=HX)
    assert response.status_code == 200 and "The comment is hidden." in response.get_data(as_text=True)
    assert _reload(db, comment).hidden_reason == "Орой <b>сөз</b>"
    for user in (None, place["reader"]):
        as_user(user)
        page = _line_page(client, place)
        assert "This comment is hidden by a moderator." in page
        assert "Бул жерде" not in page and "Орой" not in page
    as_user(place["author"])
    page = _line_page(client, place)
    assert "Бул жерде" in page and "Reason: Орой &lt;b&gt;сөз&lt;/b&gt;" in page
    assert "hidden by a moderator" in page  # the trail


def test_a_reason_is_required(client, place, as_user, comment, db):
    as_user(place["staff"])
    response = client.post(f"/comments/{comment.id}/moderate", data=dict(action="hide", reason=" "), headers=HX)
    assert response.status_code == 422
    assert "Give a reason: the author of the comment will see it." in response.get_data(as_text=True)
    response = client.post(f"/comments/{comment.id}/moderate", data=dict(action="hide"))
    assert response.status_code == 302
    assert "Give a reason" in client.get(response.location).get_data(as_text=True)
    assert not _reload(db, comment).hidden


def test_moderating_from_the_queue_returns_to_the_queue(client, place, as_user, comment, db):
    as_user(place["reader"])
    client.post(f"/comments/{comment.id}/report", data=dict(reason="Шектүү"))
    as_user(place["staff"])
    url = f"/comments/{comment.id}/moderate"
    response = client.post(url, data=dict(action="hide", reason="Себеп", back="queue"))
    assert response.status_code == 302 and response.location == f"/m/ak-dobo/moderation#queue-{comment.id}"
    response = client.post(url, data=dict(action="restore", reason="Текшерилди", back="queue"))
    queue = client.get(response.location).get_data(as_text=True)
    assert "The comment is shown again." in queue and "Текшерилди" in queue and "Шектүү" in queue
    assert not _reload(db, comment).hidden
    assert db.session.execute(sa.select(sa.func.count(ModerationAction.id))).scalar() == 2


def test_staff_of_another_municipality_cannot_moderate(client, place, as_user, comment, db):
    as_user(f.make_staff(f.make_municipality(slug="isanov")))
    response = client.post(f"/comments/{comment.id}/moderate", data=dict(action="hide", reason="Себеп"))
    assert response.status_code == 403
    assert client.get("/m/ak-dobo/moderation").status_code == 403
    assert not _reload(db, comment).hidden
