"""The read-only JSON API under /api/v1, its OpenAPI document, and the page that explains it (/api).

Every answer is what an anonymous visitor may see on the public pages, whoever asks: the API reads no
session for access, so a response never depends on the caller and can be cached by anyone.
"""
import sqlalchemy as sa
from flask import Blueprint, current_app, request, url_for
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import selectinload
from werkzeug.exceptions import HTTPException

from pb.api import docs, http, serializers
from pb.api.spec import PREFIX, build_spec, choice, number, operation, pretty, resolve
from pb.budgets import services as budgets
from pb.budgets.states import PUBLIC, Category, LineKind
from pb.core.permissions import can
from pb.core.views import render
from pb.extensions import db, limiter
from pb.places import services as places
from pb.proposals import services as proposals
from pb.proposals.models import Proposal, ProposalAuthor
from pb.proposals.states import Status
from pb.voting import services as voting

bp = Blueprint("api", __name__)
ANY_METHOD = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE"]
http.register(bp)


def per_minute():
    """Requests a minute allowed from one address (API_RATE_PER_MINUTE, 300 unless configured)."""
    return int(current_app.config.get("API_RATE_PER_MINUTE", 300))


def _rate_limit():
    return f"{per_minute()} per minute"


# one budget of requests per address for the whole API, generous enough for scripts and tools
limiter.shared_limit(_rate_limit, scope="api")(bp)


def _base():
    return request.url_root.rstrip("/")


def _query():
    return current_app.view_functions[request.endpoint].openapi.read(request.args)


# --- what the public may see ----------------------------------------------------------------


def _public_budget(budget_id):
    budget = budgets.get_budget(budget_id)
    if budget.phase not in PUBLIC or not can(None, "view", budget):
        raise http.ApiError.not_found()  # a draft does not reveal that it exists
    return budget


def _public_round(round_id):
    round_ = voting.get_round(round_id)
    if not can(None, "view", round_) or round_.is_imported:
        # a round in preparation does not reveal that it exists; a rehearsal imported from a file is no open data
        raise http.ApiError.not_found()
    return round_


def _load_details(items):
    """Load the history, authors and photos of a page of proposals in three queries, not three per proposal."""
    ids = [p.id for p in items]
    if ids:
        db.session.execute(
            sa.select(Proposal).where(Proposal.id.in_(ids)).options(
                selectinload(Proposal.status_changes), selectinload(Proposal.photos),
                selectinload(Proposal.authors).selectinload(ProposalAuthor.user))
        ).scalars().all()


def _round_json(round_):
    return serializers.voting_round(round_, can(None, "see_counts", round_))


# --- municipalities -------------------------------------------------------------------------


@bp.get(f"{PREFIX}/municipalities")
@operation("Municipalities", _l("All municipalities"), "Municipality", "/municipalities", paged=True, not_found=False)
def list_municipalities():
    """Every municipality with its villages, by oblast and name."""
    args = _query()
    page = http.page_of(places.list_municipalities(), args["page"], args["per_page"])
    return http.json_response(http.page_json(page, serializers.municipality, args))


@bp.get(f"{PREFIX}/municipalities/<slug>")
@operation("Municipalities", _l("One municipality"), "Municipality", "/municipalities/ak-dobo")
def show_municipality(slug):
    """A municipality with its villages (registered voters, contribution to revenue)."""
    _query()
    return http.json_response(serializers.municipality(places.get_municipality(slug)))


# --- budgets --------------------------------------------------------------------------------


@bp.get(f"{PREFIX}/municipalities/<slug>/budgets")
@operation("Budgets", _l("The public budgets of a municipality"), "Budget", "/municipalities/ak-dobo/budgets",
           paged=True, description=_l("Newest fiscal year first; drafts are left out."))
def list_budgets(slug):
    """A municipality's public budgets, newest year first."""
    args = _query()
    municipality = places.get_municipality(slug)
    public = [b for b in budgets.list_budgets(None, municipality.id) if b.phase in PUBLIC]
    page = http.page_of(public, args["page"], args["per_page"])
    return http.json_response(http.page_json(page, serializers.budget, args))


@bp.get(f"{PREFIX}/budgets/<int:budget_id>")
@operation("Budgets", _l("One budget"), "Budget", "/budgets/7",
           description=_l("Its phase, totals, published versions, phase history and, once approved, the "
                          "council's decision."))
def show_budget(budget_id):
    """A public budget with its totals and published versions."""
    _query()
    return http.json_response(serializers.budget(_public_budget(budget_id)))


@bp.get(f"{PREFIX}/budgets/<int:budget_id>/lines")
@operation("Budgets", _l("The lines of a budget"), "Line", "/budgets/7/lines?kind=expenditure", paged=True,
           description=_l("Revenue first, then expenditure, by code: the current lines, as the budget's page shows."),
           query=(choice("kind", LineKind, _l("Only revenue or only expenditure.")),
                  choice("category", Category, _l("Only lines of this category."))))
def list_lines(budget_id):
    """A public budget's lines, optionally of one kind or category."""
    args = _query()
    budget = _public_budget(budget_id)
    lines = [line for line in budget.lines
             if (args["kind"] is None or line.kind.value == args["kind"])
             and (args["category"] is None or line.category.value == args["category"])]
    page = http.page_of(lines, args["page"], args["per_page"])
    return http.json_response(http.page_json(page, serializers.line, args))


# --- proposals ------------------------------------------------------------------------------


@bp.get(f"{PREFIX}/budgets/<int:budget_id>/proposals")
@operation("Proposals", _l("The proposals of a budget"), "Proposal", "/budgets/7/proposals?sort=support",
           paged=True, description=_l("Merged duplicates are left out unless status=merged is asked for."),
           query=(number("village", _l("Only proposals for this village (its id).")),
                  choice("category", Category, _l("Only proposals of this category.")),
                  choice("status", Status, _l("Only proposals with this status.")),
                  choice("sort", list(proposals.SORTS), _l("Most supported first (support, the default), cheapest "
                                                          "first (cost), dearest first (cost_desc), or newest."))))
def list_proposals(budget_id):
    """A public budget's proposals, filtered and sorted as on the proposals page."""
    args = _query()
    budget = _public_budget(budget_id)
    if args["village"] is not None and args["village"] not in {v.id for v in budget.municipality.villages}:
        raise http.ApiError.bad_parameter("village", _l("village: not a village of this municipality."))
    found = proposals.list_proposals(budget, args["village"], args["category"], args["status"],
                                     args["sort"] or proposals.DEFAULT_SORT, args["page"], args["per_page"])
    _load_details(found.items)
    page = http.Page(found.items, found.total, args["page"], args["per_page"])
    return http.json_response(http.page_json(page, serializers.proposal, args))


@bp.get(f"{PREFIX}/proposals/<int:proposal_id>")
@operation("Proposals", _l("One proposal"), "Proposal", "/proposals/15",
           description=_l("Its facts, status history with reasons, support count and authors' display names."))
def show_proposal(proposal_id):
    """A proposal of a public budget."""
    _query()
    proposal = proposals.get_proposal(proposal_id)
    _public_budget(proposal.budget_id)
    if proposal.rehearsal:  # a project of a file imported for rehearsal is no open data
        raise http.ApiError.not_found()
    return http.json_response(serializers.proposal(proposal))


# --- voting ---------------------------------------------------------------------------------


@bp.get(f"{PREFIX}/budgets/<int:budget_id>/rounds")
@operation("Voting", _l("The voting rounds of a budget"), "Round", "/budgets/7/rounds", paged=True,
           description=_l("Open and closed rounds, latest first; rounds in preparation are left out."))
def list_rounds(budget_id):
    """A public budget's voting rounds that have opened."""
    args = _query()
    budget = _public_budget(budget_id)
    rounds = [r for r in voting.list_rounds(budget.municipality_id, include_imported=False)
              if r.budget_id == budget.id and can(None, "view", r)]
    page = http.page_of(rounds, args["page"], args["per_page"])
    return http.json_response(http.page_json(page, _round_json, args))


@bp.get(f"{PREFIX}/rounds/<int:round_id>")
@operation("Voting", _l("One voting round"), "Round", "/rounds/4",
           description=_l("Its settings, times, status, ballot and turnout by channel and location."))
def show_round(round_id):
    """A voting round that has opened, with live turnout."""
    _query()
    return http.json_response(_round_json(_public_round(round_id)))


@bp.get(f"{PREFIX}/rounds/<int:round_id>/results")
@operation("Voting", _l("The results of a voting round"), "Results", "/rounds/4/results",
           description=_l("The counts per proposal, once the public page shows them: after the close, or while "
                          "the round is open if it does not hide its counts. Otherwise 404 with the code "
                          "results_hidden. Each proposal gains a decision once the allocation is computed."))
def show_results(round_id):
    """The counts of a round whose counts are public."""
    _query()
    round_ = _public_round(round_id)
    if not can(None, "see_counts", round_):
        raise http.ApiError(404, "results_hidden", _l("The counts of this round are hidden until it closes."))
    return http.json_response(serializers.round_results(round_))


# --- the documentation ----------------------------------------------------------------------


@bp.get(f"{PREFIX}/openapi.json")
@operation("Documentation", _l("This API's OpenAPI document"), "OpenAPI", "/openapi.json", not_found=False,
           description=_l("OpenAPI 3.1, in the language asked for in Accept-Language."))
def show_spec():
    """The OpenAPI document, in the language of Accept-Language."""
    _query()
    lang = http.api_locale()
    with force_locale(lang):
        document = resolve(build_spec(current_app, _base()))
    response = http.json_response(document)
    response.headers["Content-Language"] = lang
    response.vary.add("Accept-Language")
    return response


@bp.get("/api")
def show_docs():
    """The page that explains the API and lists its endpoints with examples, in the site's language."""
    document = resolve(build_spec(current_app, _base()))
    groups = []
    for tag in document["tags"]:
        operations = [(path, op) for path, item in document["paths"].items() for op in item.values()
                      if tag["name"] in op["tags"]]
        groups.append((tag, operations))
    return render("api/docs_show.html", document=document, groups=groups, base=_base(), pretty=pretty,
                  objects=docs.objects(document), values=docs.coded_values(), per_minute=per_minute())


@bp.route(f"{PREFIX}/", defaults={"rest": ""}, methods=ANY_METHOD)
@bp.route(f"{PREFIX}/<path:rest>", methods=ANY_METHOD)
def not_found(rest):
    """JSON, not the site's HTML page, for an address under /api/v1 that is no operation (or a write to one)."""
    try:
        endpoint, _args = current_app.url_map.bind_to_environ(request.environ).match(request.path, method="GET")
    except HTTPException:
        endpoint = None
    if endpoint not in (None, "api.not_found"):
        raise http.from_status(405)
    raise http.ApiError.not_found(_l("There is no such address in the API. See %(url)s.",
                                     url=url_for("api.show_spec", _external=True)))


from pb.api import monitoring_views  # noqa: F401  (its operations join the blueprint; it imports bp from here)
