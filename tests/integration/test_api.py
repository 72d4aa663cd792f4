"""The read-only JSON API: what it shows is what the public pages show, and nothing private; its OpenAPI
document is valid, covers every route, and describes every answer."""
from dataclasses import dataclass
from decimal import Decimal

import pytest
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l
from openapi_schema_validator import OAS31Validator
from openapi_spec_validator import validate

from pb.api.spec import PREFIX, openapi_path
from pb.budgets import services as budgets
from pb.budgets.states import Category, LineKind, Phase
from pb.voting import casting, codes
from pb.voting.models import Ballot, BallotChoice
from pb.voting.states import Channel, RoundStatus
from tests import factories as f
from tests.proposal_factories import add_supports, make_proposal
from tests.voting_factories import key, make_round, make_verified_resident, proposal_ids

EMAIL, PHONE = "aigul.private@example.kg", "+996700123456"
NOT_DOCUMENTED = {"api.show_docs", "api.not_found"}  # the HTML page, and the JSON 404 for unknown addresses


@dataclass
class World:
    ak: object
    village: object
    budget: object
    draft: object
    proposal: object
    merged: object
    hidden: object  # open, counts hidden until the close
    closed: object
    preparing: object
    draft_proposal: object
    admin: object


@pytest.fixture
def w(app):
    ak = f.make_municipality(slug="ak-dobo", name_ky="Ак-Добо", population=9100)
    village = f.make_village(ak, name="Ак-Добо", registered_voters=3100, revenue_contribution=Decimal("1250000.50"))
    budget = f.make_budget(ak, Phase.CONSULTATION, lines=0, summary_ky="Суу биринчи")
    f.make_line(budget, kind=LineKind.REVENUE, code="1111", category=Category.OTHER, proposed=Decimal("3000000"),
                approved_last_year=Decimal("2800000"), executed_last_year=Decimal("2900000"))
    f.make_line(budget, code="2111", name_ky="Эмгек акы", category=Category.EDUCATION, proposed=Decimal("2750000"))
    draft = f.make_budget(ak, Phase.DRAFT, lines=1, fiscal_year=2028)
    admin = f.make_user(is_admin=True)
    author = f.make_user(name="Айгүл Т.", email=EMAIL, phone=PHONE)
    proposal = make_proposal(budget, author=author, village=village, title="Арык оңдоо")
    add_supports(proposal, 2)
    from pb.proposals import review

    review.change_status(admin, proposal, "under_review")
    other = make_proposal(budget, author=author, village=village, title="Арык (кайталоо)")
    review.merge_proposals(admin, other, proposal, "Ошол эле арык")
    hidden = make_round(budget, hide_counts=True)
    closed = make_round(budget, status=RoundStatus.CLOSED)
    preparing = make_round(budget, status=RoundStatus.DRAFT, title="Даярдалууда")
    draft_proposal = make_proposal(draft, author=author, village=village, title="Долбоордогу сунуш")
    return World(ak, village, budget, draft, proposal, other, hidden, closed, preparing, draft_proposal, admin)


def _ballot(db, round_, channel, choices, location=None):
    ballot = Ballot(round_id=round_.id, receipt=codes.new_receipt(), client_key=key(), channel=channel,
                    location_id=location.id if location else None)
    ballot.choices = [BallotChoice(proposal_id=pid, value=1) for pid in choices]
    db.session.add(ballot)
    db.session.commit()


def _json(client, url, status=200, **headers):
    response = client.get(url, headers=headers)
    assert response.status_code == status, (url, response.status_code, response.get_data(as_text=True)[:300])
    assert response.mimetype == "application/json"
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    return response.get_json()


@pytest.fixture
def spec(client):
    return _json(client, f"{PREFIX}/openapi.json")


def _urls(w):
    """Every operation of the API on the world's public objects."""
    b, r = w.budget.id, w.closed.id
    return {
        "api.list_municipalities": f"{PREFIX}/municipalities",
        "api.show_municipality": f"{PREFIX}/municipalities/ak-dobo",
        "api.list_budgets": f"{PREFIX}/municipalities/ak-dobo/budgets",
        "api.show_budget": f"{PREFIX}/budgets/{b}",
        "api.list_lines": f"{PREFIX}/budgets/{b}/lines",
        "api.list_proposals": f"{PREFIX}/budgets/{b}/proposals",
        "api.show_proposal": f"{PREFIX}/proposals/{w.proposal.id}",
        "api.list_rounds": f"{PREFIX}/budgets/{b}/rounds",
        "api.show_round": f"{PREFIX}/rounds/{r}",
        "api.show_results": f"{PREFIX}/rounds/{r}/results",
        "api.show_spec": f"{PREFIX}/openapi.json",
    }


def _validator(spec, schema):
    return OAS31Validator({**schema, "components": spec["components"]}, format_checker=OAS31Validator.FORMAT_CHECKER)


# --- what each endpoint shows ---------------------------------------------------------------


def test_municipality_shows_its_villages_with_voters_and_contribution(client, w):
    listed = _json(client, f"{PREFIX}/municipalities")
    assert [m["slug"] for m in listed["items"]] == ["ak-dobo"] and listed["total"] == 1
    ak = _json(client, f"{PREFIX}/municipalities/ak-dobo")
    assert ak["name_ky"] == "Ак-Добо" and ak["kind"] == "aiyl_okmotu" and ak["population"] == 9100
    assert ak["villages"] == [{"id": w.village.id, "name": "Ак-Добо", "population": 1000, "registered_voters": 3100,
                               "revenue_contribution": "1250000.50"}]
    assert ak["links"]["page"].endswith("/m/ak-dobo")


def test_budget_shows_its_phase_totals_and_published_versions(client, w):
    budgets.change_phase(w.admin, w.budget, "hearing")
    body = _json(client, f"{PREFIX}/budgets/{w.budget.id}")
    assert body["phase"] == "hearing" and body["fiscal_year"] == 2027 and body["summary_ky"] == "Суу биринчи"
    totals = body["totals"]
    assert totals["revenue"] == "3000000.00" and totals["expenditure"] == "2750000.00"
    assert totals["balance"] == "250000.00" and totals["executed_expenditure_last_year"] == "95000.00"
    assert totals["expenditure_by_category"][0] == {"category": "education", "proposed": "2750000.00",
                                                    "approved_last_year": "100000.00"}
    assert [v["number"] for v in body["versions"]] == [1] and body["versions"][0]["published_at"].endswith("Z")
    assert body["phase_history"][-1]["from"] == "consultation" and body["phase_history"][-1]["to"] == "hearing"
    listed = _json(client, f"{PREFIX}/municipalities/ak-dobo/budgets")
    assert [b["id"] for b in listed["items"]] == [w.budget.id]  # the draft is not listed


def test_budget_carries_the_councils_approval_and_lines_their_proposal(client, db, w):
    from pb.proposals import approval
    from tests import approval_factories as af

    budget, chosen, other = af.make_budget_for_approval()
    url = f"{PREFIX}/budgets/{budget.id}"
    waiting = _json(client, url)
    assert waiting["phase"] == "approval" and waiting["approval"] is None
    assert all(line["proposal_id"] is None and line["links"]["proposal"] is None
               for line in _json(client, f"{url}/lines")["items"])
    council = f.make_staff(budget.municipality, role="council")
    approval.approve_budget(council, budget, dict(session_number="XXIV", session_date=af.yesterday().isoformat(),
                                                  decision_number="24/3", decision_text="Бюджет бекитилсин."))
    body = _json(client, url)
    assert body["phase"] == "approved"
    assert body["approval"] == {
        "session_number": "XXIV", "session_date": af.yesterday().isoformat(), "decision_number": "24/3",
        "decision_text": "Бюджет бекитилсин.", "lines_added": 2, "version": body["versions"][-1]["number"],
        "recorded_at": body["approval"]["recorded_at"]}
    assert body["approval"]["recorded_at"].endswith("Z") and body["versions"][-1]["phase"] == "approved"
    listed = _json(client, f"{PREFIX}/municipalities/{budget.municipality.slug}/budgets")["items"]
    assert listed[0]["approval"]["session_number"] == "XXIV"
    lines = _json(client, f"{url}/lines?kind=expenditure&per_page=200")["items"]
    from_proposals = {line["proposal_id"]: line for line in lines if line["proposal_id"] is not None}
    assert set(from_proposals) == {p.id for p in chosen} and other.id not in from_proposals
    bridge = from_proposals[chosen[0].id]
    assert bridge["code"] == f"PB-{chosen[0].id}" and bridge["name_ky"] == "Көпүрөнү бекемдөө"
    assert bridge["proposed"] == "315000.00"
    assert from_proposals[chosen[1].id]["proposed"] == "480000.50"
    proposal = client.get(bridge["links"]["proposal"]).get_json()
    assert proposal["id"] == chosen[0].id and proposal["status"] == "funded"
    assert all(line["proposal_id"] is None for line in lines if not line["code"].startswith("PB-"))
    line_schema = _validator(_json(client, f"{PREFIX}/openapi.json"), {"$ref": "#/components/schemas/Line"})
    for line in lines:
        line_schema.validate(line)
    _validator(_json(client, f"{PREFIX}/openapi.json"), {"$ref": "#/components/schemas/Budget"}).validate(body)


def test_lines_give_money_as_strings_and_filter_by_kind(client, w):
    lines = _json(client, f"{PREFIX}/budgets/{w.budget.id}/lines")["items"]
    assert [(line["kind"], line["code"]) for line in lines] == [("revenue", "1111"), ("expenditure", "2111")]
    salary = lines[1]
    assert salary["proposed"] == "2750000.00" and salary["approved_last_year"] == "100000.00"
    assert all(isinstance(line[field], str) for line in lines
               for field in ("approved_last_year", "executed_last_year", "proposed"))
    only = _json(client, f"{PREFIX}/budgets/{w.budget.id}/lines?kind=revenue&category=other")["items"]
    assert [line["code"] for line in only] == ["1111"]


def test_proposal_shows_its_public_facts_history_and_support(client, w):
    body = _json(client, f"{PREFIX}/proposals/{w.proposal.id}")
    assert body["title"] == "Арык оңдоо" and body["village"] == {"id": w.village.id, "name": "Ак-Добо"}
    assert body["estimated_cost"] == "250000.00" and body["contribution_money"] == "20000.00"
    assert body["status"] == "under_review" and body["support_count"] == 2 and body["authors"] == ["Айгүл Т."]
    history = [(c["from"], c["to"]) for c in body["status_history"]]
    assert history == [(None, "submitted"), ("submitted", "under_review")]
    merged = _json(client, f"{PREFIX}/proposals/{w.merged.id}")
    assert merged["status"] == "merged" and merged["merged_into"] == w.proposal.id
    assert merged["status_reason"] == "Ошол эле арык"


def test_proposal_list_hides_merged_duplicates_unless_asked_and_filters(client, w):
    url = f"{PREFIX}/budgets/{w.budget.id}/proposals"
    listed = _json(client, url)
    assert w.proposal.id in [p["id"] for p in listed["items"]] and w.merged.id not in [p["id"] for p in listed["items"]]
    assert [p["id"] for p in _json(client, f"{url}?status=merged")["items"]] == [w.merged.id]
    village = _json(client, f"{url}?village={w.village.id}&category=water&sort=cost")
    assert {p["village"]["id"] for p in village["items"]} == {w.village.id}
    other = f.make_village(f.make_municipality())
    bad = _json(client, f"{url}?village={other.id}", 400)
    assert bad["error"]["parameter"] == "village"


def test_round_shows_settings_times_and_turnout_by_channel_and_location(client, db, w):
    round_ = w.hidden
    ids = proposal_ids(round_)
    casting.cast_online(make_verified_resident(round_), round_, ids[:1], key())
    _ballot(db, round_, Channel.KIOSK, ids[:2], round_.locations[0])
    _ballot(db, round_, Channel.KIOSK, ids[1:2], round_.locations[0])
    body = _json(client, f"{PREFIX}/rounds/{round_.id}")
    assert body["status"] == "open" and body["method"] == "approval" and body["amount"] == "1000000.00"
    assert body["min_choices"] == 1 and body["max_choices"] == 3 and body["points"] is None
    assert body["opens_at"].endswith("+06:00") and body["channels"] == ["kiosk", "online", "paper"]
    assert [e["cost"] for e in body["ballot"]] == ["300000.00", "500000.00", "400000.00"]
    turnout = body["turnout"]
    assert turnout["total"] == 3 and turnout["by_channel"] == {"kiosk": 2, "online": 1, "paper": 0}
    school = next(row for row in turnout["by_location"] if row["location"])
    assert school["location"]["name"] == "Мектеп" and school["by_channel"] == {"kiosk": 2}
    assert body["results_published"] is False and body["links"]["results"] is None
    rounds = _json(client, f"{PREFIX}/budgets/{w.budget.id}/rounds")["items"]
    assert {r["id"] for r in rounds} == {w.hidden.id, w.closed.id}  # not the one in preparation


def test_results_appear_only_when_the_public_page_shows_the_counts(client, db, w):
    hidden = _json(client, f"{PREFIX}/rounds/{w.hidden.id}/results", 404)
    assert hidden["error"]["code"] == "results_hidden"
    ids = proposal_ids(w.closed)
    for choices in ([ids[1]], [ids[1], ids[2]], [ids[2]], [ids[1]]):
        _ballot(db, w.closed, Channel.PAPER, choices, w.closed.locations[0])
    body = _json(client, f"{PREFIX}/rounds/{w.closed.id}/results")
    assert body["final"] is True and body["ballots"] == 4
    assert [(p["proposal"]["id"], p["ballots"], p["score"]) for p in body["proposals"]] == [
        (ids[1], 3, 3), (ids[2], 2, 2), (ids[0], 0, 0)]
    # greedy by votes on 1,000,000 som: 500,000 and 400,000 fit, the 300,000 proposal no longer does
    assert [(p["decision"]["funded"], p["decision"]["order"], p["decision"]["kind"]) for p in body["proposals"]] == [
        (True, 1, "funded"), (True, 2, "funded"), (False, None, "not_fits")]
    assert "100" in body["proposals"][2]["decision"]["reason"] and "300" in body["proposals"][2]["decision"]["reason"]
    live = make_round(w.budget, hide_counts=False)
    assert _json(client, f"{PREFIX}/rounds/{live.id}/results")["final"] is False
    assert all("decision" not in p for p in _json(client, f"{PREFIX}/rounds/{live.id}/results")["proposals"])
    assert _json(client, f"{PREFIX}/rounds/{live.id}")["links"]["results"].endswith(f"/rounds/{live.id}/results")


# --- what is never shown --------------------------------------------------------------------


def test_drafts_and_rounds_in_preparation_are_not_found_even_for_the_admin(client, login_as, w):
    login_as(w.admin)  # the API answers as it would to anyone
    for url in (f"/budgets/{w.draft.id}", f"/budgets/{w.draft.id}/lines", f"/budgets/{w.draft.id}/proposals",
                f"/budgets/{w.draft.id}/rounds", f"/proposals/{w.draft_proposal.id}", f"/rounds/{w.preparing.id}",
                f"/rounds/{w.preparing.id}/results"):
        assert _json(client, PREFIX + url, 404)["error"]["code"] == "not_found"
    listed = _json(client, f"{PREFIX}/municipalities/ak-dobo/budgets")
    assert w.draft.id not in [b["id"] for b in listed["items"]]


def test_no_answer_carries_an_authors_email_or_phone(client, w):
    bodies = [client.get(url).get_data(as_text=True) for url in _urls(w).values()]
    bodies += [client.get(f"{PREFIX}/budgets/{w.budget.id}/proposals?status=merged").get_data(as_text=True)]
    for body in bodies:
        assert EMAIL not in body and PHONE not in body and "password" not in body
    assert any("Айгүл Т." in body for body in bodies)


def test_unknown_objects_and_addresses_give_json_404(client, w):
    for url in ("/municipalities/nowhere", "/budgets/999999", "/proposals/999999", "/rounds/999999",
                "/rounds/999999/results", "/budgets/abc", "/nothing-here", "/"):
        assert _json(client, PREFIX + url, 404)["error"]["code"] == "not_found"


@pytest.mark.parametrize("query", ["per_page=0", "per_page=201", "page=0", "page=abc", "page=1&page=2",
                                   "colour=red", "kind=income", "category=space", "per_page=1.5", "page=%D9%A3"])
def test_bad_query_parameters_give_json_400_naming_the_parameter(client, w, query):
    body = _json(client, f"{PREFIX}/budgets/{w.budget.id}/lines?{query}", 400)
    assert body["error"]["code"] == "bad_request" and body["error"]["parameter"] in query


def test_writes_are_refused_with_json_405(client, w):
    response = client.post(f"{PREFIX}/budgets/{w.budget.id}")
    assert response.status_code == 405 and response.get_json()["error"]["code"] == "method_not_allowed"
    assert response.headers["Allow"] == "GET, HEAD, OPTIONS"


# --- how it answers -------------------------------------------------------------------------


def test_lists_come_a_page_at_a_time_with_links(client, w):
    first = _json(client, f"{PREFIX}/budgets/{w.budget.id}/lines?per_page=1")
    assert (first["total"], first["pages"], first["previous"]) == (2, 2, None) and len(first["items"]) == 1
    second = client.get(first["next"]).get_json()
    assert second["next"] is None and second["items"][0]["code"] == "2111" and "per_page=1" in second["previous"]
    beyond = _json(client, f"{PREFIX}/budgets/{w.budget.id}/lines?page=9")
    assert beyond["items"] == [] and beyond["total"] == 2


@pytest.mark.parametrize(("header", "lang"), [("ru-RU,ru;q=0.9", "ru"), ("en", "en"), ("ky", "ky"), ("de", "ky")])
def test_error_messages_follow_accept_language(client, w, header, lang):
    response = client.get(f"{PREFIX}/budgets/999999", headers={"Accept-Language": header})
    assert response.status_code == 404 and response.headers["Content-Language"] == lang
    with force_locale(lang):
        expected = str(_l("There is no such object, or it is not public."))
    assert response.get_json()["error"]["message"] == expected


def test_every_answer_allows_any_origin_and_preflight_is_answered(client, w):
    for url in list(_urls(w).values()) + [f"{PREFIX}/budgets/999999", f"{PREFIX}/budgets/1/lines?x=1"]:
        assert client.get(url).headers["Access-Control-Allow-Origin"] == "*", url
    preflight = client.options(f"{PREFIX}/municipalities", headers={"Origin": "https://news.example",
                                                                     "Access-Control-Request-Method": "GET"})
    assert preflight.status_code == 200 and preflight.headers["Access-Control-Allow-Origin"] == "*"
    assert "GET" in preflight.headers["Access-Control-Allow-Methods"]


def test_an_unchanged_answer_gives_304_with_its_etag(client, w):
    url = f"{PREFIX}/budgets/{w.budget.id}"
    first = client.get(url)
    etag = first.headers["ETag"]
    again = client.get(url, headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.data == b""
    f.make_line(w.budget, code="2999")
    assert client.get(url, headers={"If-None-Match": etag}).status_code == 200


def test_too_many_requests_from_one_address_give_json_429(app, client, w, monkeypatch):
    monkeypatch.setitem(app.config, "API_RATE_PER_MINUTE", 3)
    statuses = [client.get(f"{PREFIX}/municipalities").status_code for _ in range(3)]
    refused = client.get(f"{PREFIX}/budgets/{w.budget.id}")  # one budget of requests for the whole API
    assert statuses == [200, 200, 200] and refused.status_code == 429
    assert refused.get_json()["error"]["code"] == "rate_limited"
    assert refused.headers["Access-Control-Allow-Origin"] == "*"


# --- the OpenAPI document and the page ------------------------------------------------------


def test_openapi_document_is_valid_openapi_3(spec):
    validate(spec)
    assert spec["openapi"].startswith("3.") and spec["servers"][0]["url"].endswith(PREFIX)


def test_every_api_route_is_documented_and_every_documented_path_exists(app, spec):
    routes = {}
    for rule in app.url_map.iter_rules():
        if rule.endpoint.startswith("api.") and rule.endpoint not in NOT_DOCUMENTED:
            assert rule.rule.startswith(PREFIX), rule.rule
            routes[openapi_path(rule.rule)[0]] = rule.endpoint
    documented = {path for path, item in spec["paths"].items() if "get" in item}
    assert documented == set(routes)
    for path, endpoint in routes.items():
        assert spec["paths"][path]["get"]["operationId"] == endpoint.split(".")[1]


def app_rule(client, endpoint):
    return next(rule.rule for rule in client.application.url_map.iter_rules() if rule.endpoint == endpoint)


def test_every_answer_and_example_matches_its_documented_schema(client, db, spec, w):
    _ballot(db, w.closed, Channel.KIOSK, proposal_ids(w.closed)[:1], w.closed.locations[0])
    for endpoint, url in _urls(w).items():
        path = openapi_path(app_rule(client, endpoint))[0]
        content = spec["paths"][path]["get"]["responses"]["200"]["content"]["application/json"]
        validator = _validator(spec, content["schema"])
        validator.validate(client.get(url).get_json())
        validator.validate(content["example"])
    error = _validator(spec, {"$ref": "#/components/schemas/Error"})
    error.validate(client.get(f"{PREFIX}/budgets/1/lines?page=0").get_json())
    error.validate(client.get(f"{PREFIX}/rounds/{w.hidden.id}/results").get_json())


@pytest.mark.parametrize("lang", ["ky", "ru", "en"])
def test_the_api_page_explains_every_endpoint_in_the_sites_layout(client, w, lang):
    with client.session_transaction() as session:
        session["lang"] = lang
    response = client.get("/api")
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and response.mimetype == "text/html"
    assert f'<html lang="{lang}">' in page and 'class="top"' in page  # the site's layout, in its language
    for path in ("/municipalities", "/budgets/{budget_id}/lines", "/rounds/{round_id}/results", "/openapi.json"):
        assert f"GET {PREFIX}{path}</code>" in page
    assert "2750000.00" in page and "<pre>" in page  # examples, money as strings
    assert 'id="object-approval"' in page
    assert '<code>approval</code>*: <code class="type">Approval | null</code>' in page
    for field in ("session_number", "session_date", "decision_number", "proposal_id", "links.proposal"):
        assert f"<code>{field}</code>" in page, field
    assert "cdn" not in page.lower() and "<script src=\"http" not in page
