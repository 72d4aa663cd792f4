"""Voting, as residents see it: the round's public page, the ballot, receipts and results."""
import csv
import io
from dataclasses import dataclass, field
from typing import Callable

from flask import Blueprint, Response, abort, current_app, g, request, url_for
from flask_babel import gettext as _
from flask_limiter.errors import RateLimitExceeded
from flask_login import current_user, login_required

from pb.budgets import services as budgets
from pb.core.errors import Conflict, ValidationFailed
from pb.core.errors_views import render_error
from pb.core.i18n import pick
from pb.core.models import local_now
from pb.core.permissions import can
from pb.core.views import page_arg, render
from pb.extensions import limiter
from pb.hearings.dates import format_when
from pb.places import services as places
from pb.voting import code_batches, codes, pabulib_export, reasons, result_sheet, results, services, voter_forms
from pb.voting.ballots import check_ballot, parse_choices
from pb.voting.casting import cast_online, cast_with_code
from pb.voting.permissions import is_eligible_resident
from pb.voting.states import RoundStatus

bp = Blueprint("voting", __name__)

RECEIPTS_PER_PAGE = 200
# where a round stands for a voter; "ended" is open but past its closing time, waiting to be closed
DRAFT, UPCOMING, OPEN, ENDED, CLOSED = "draft", "upcoming", "open", "ended", "closed"
REHEARSAL = "rehearsal"  # imported from a Pabulib file: listed apart


def phase_of(round_, now=None):
    """The round's phase for a voter: draft, upcoming, open, ended or closed."""
    if round_.status == RoundStatus.DRAFT:
        return DRAFT
    if round_.status == RoundStatus.CLOSED:
        return CLOSED
    now = now or local_now()
    if now < round_.opens_at:
        return UPCOMING
    return OPEN if now < round_.closes_at else ENDED


def _visible_round(round_id):
    round_ = services.get_round(round_id)
    if not can(current_user, "view", round_):
        abort(404)  # a round in preparation does not reveal that it exists
    return round_


def _no_store(response, status=200):
    """A ballot page is not kept in the browser's cache: the next person on a shared phone cannot go back to it."""
    response = current_app.make_response((response, status))
    response.headers["Cache-Control"] = "no-store"
    return response


# --- who may vote, in words ---------------------------------------------------------


def _timing_refusal(round_):
    phase = phase_of(round_)
    if phase == DRAFT:
        return _("This round is still in preparation.")
    if phase == UPCOMING:
        return _("Voting opens on %(when)s.", when=format_when(round_.opens_at))
    if phase in (ENDED, CLOSED):
        return _("Voting in this round has ended.")
    return None


def _online_refusal(round_, user, timing=True):
    """Why the user cannot vote from their account in this round; None when they can."""
    if not round_.channel_online:
        return _("This round does not take ballots online: vote at the hearing or on a paper ballot.")
    if not round_.residents_may_vote:
        return _("In this round only holders of a voting code can vote.")
    if timing and (why := _timing_refusal(round_)):
        return why
    if not is_eligible_resident(user, round_):
        if getattr(user, "verified_village", None) is not None:
            return _("Only verified residents of %(name)s can vote in this round.",
                     name=pick(round_.municipality, "name"))
        return _("Only verified residents can vote online: ask your group's secretary to verify you.")
    return None


def _code_refusal(round_, timing=True):
    """Why a voting code cannot be used online in this round; None when it can."""
    if not round_.channel_online:
        return _("This round does not take ballots online: vote at the hearing or on a paper ballot.")
    if not round_.codes_may_vote:
        return _("This round does not take voting codes: verified residents vote from their account.")
    return _timing_refusal(round_) if timing else None


@dataclass(frozen=True)
class VoteOptions:
    """What the round page offers the current visitor."""

    vote: bool = False  # a verified resident who has not voted: the ballot
    login: bool = False  # a visitor: log in to vote
    note: str = ""  # why not, or that they have already voted
    code: bool = False  # "I have a voting code"


def _vote_options(round_):
    if phase_of(round_) != OPEN:
        return VoteOptions()
    code = round_.channel_online and round_.codes_may_vote
    if not (round_.channel_online and round_.residents_may_vote):
        return VoteOptions(note=_online_refusal(round_, None) if not code else "", code=code)
    if not current_user.is_authenticated:
        return VoteOptions(login=True, code=code)
    mark = code_batches.voter_mark(round_, current_user.id)
    if mark is not None:
        return VoteOptions(note=_("You have already voted in this round (%(channel)s).", channel=mark.channel.label))
    why = _online_refusal(round_, current_user)
    return VoteOptions(vote=why is None, note=why or "", code=code)


# --- the public pages ---------------------------------------------------------------


@bp.route("/m/<slug>/rounds")
def list_rounds(slug):
    """The municipality's voting rounds: open, upcoming and closed, with turnout; drafts for organisers."""
    municipality = places.get_municipality(slug)
    organiser = can(current_user, "create_round", municipality)
    groups = {DRAFT: [], UPCOMING: [], OPEN: [], CLOSED: [], REHEARSAL: []}
    counted = []
    for round_ in services.list_rounds(municipality.id, include_drafts=organiser):
        phase = phase_of(round_)
        if round_.is_imported:  # apart from the real votes, and no turnout: nobody voted here
            groups[REHEARSAL].append((round_, phase))
            continue
        groups[OPEN if phase == ENDED else phase].append((round_, phase))
        if phase != DRAFT:
            counted.append(round_.id)
    totals = results.ballot_totals(counted)
    turnouts = {round_id: totals.get(round_id, 0) for round_id in counted}
    return render("voting/round_list.html", municipality=municipality, groups=groups, turnouts=turnouts,
                  budgets=budgets.list_budgets(current_user, municipality.id) if organiser else [])


@bp.route("/rounds/<int:round_id>")
def show_round(round_id):
    """The round in plain words, its proposals, live turnout, counts when public, results after the close."""
    round_ = _visible_round(round_id)
    phase = phase_of(round_)
    entries = results.ballot_entries(round_)  # loads the proposals the tally's entries then show
    counts = results.tally(round_) if can(current_user, "see_counts", round_) else None
    return render(
        "voting/round_show.html", "voting/_live.html", round_=round_, phase=phase,
        entries=sorted(entries, key=lambda e: (e.proposal.village_name, e.proposal.title, e.proposal_id)),
        turnout=results.turnout(round_), counts=counts, options=_vote_options(round_),
        rule_text=reasons.rule_text(round_.allocation_rule, round_.quota_basis),
        can_manage=can(current_user, "manage", round_), budget_visible=can(current_user, "view", round_.budget),
    )


@bp.route("/rounds/<int:round_id>/results")
def show_results(round_id):
    """The allocation after the close: every proposal's decision and reason, the money left, turnout, a chart."""
    round_ = _visible_round(round_id)
    if round_.status != RoundStatus.CLOSED:
        return render_error(403, _("The results are published when the round closes."))
    return render("voting/results_show.html", sheet=result_sheet.build_sheet(round_), round_=round_,
                  budget_visible=can(current_user, "view", round_.budget))


@bp.route("/rounds/<int:round_id>/receipts")
def list_receipts(round_id):
    """Every counted ballot's receipt, with channel and location; ?q= finds one."""
    round_ = _visible_round(round_id)
    rows = results.receipts(round_)
    query = (request.args.get("q") or "").strip()[:40]
    found = results.find_receipt(round_, query) if query else None
    pages = max(1, -(-len(rows) // RECEIPTS_PER_PAGE))
    page = page_arg()
    if found is not None and "page" not in request.args:
        index = next((i for i, row in enumerate(rows) if row.receipt == found.receipt), 0)
        page = index // RECEIPTS_PER_PAGE + 1
    page = min(page, pages)
    start = (page - 1) * RECEIPTS_PER_PAGE
    return render("voting/receipt_list.html", round_=round_, phase=phase_of(round_), query=query, found=found,
                  rows=rows[start:start + RECEIPTS_PER_PAGE], total=len(rows), current=page, pages=pages,
                  locations={loc.id: loc.name for loc in round_.locations}, display=codes.display)


@bp.route("/rounds/<int:round_id>/ballots.csv")
def export_ballots(round_id):
    """The ballots without identity, receipt or time, for anyone to recount; published at the close."""
    round_ = _visible_round(round_id)
    if round_.status != RoundStatus.CLOSED:
        # while a round is open its ballots would show counts that may be hidden, and change
        return render_error(403, _("The ballots are published when the round closes."))
    locations = {loc.id: loc.name for loc in round_.locations}
    entries = sorted(results.ballot_entries(round_), key=lambda e: e.proposal_id)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["number", "channel", "location"]
                    + [_cell(f"#{e.proposal_id} {e.proposal.title}") for e in entries])
    for number, channel, location_id, choices in results.anonymous_ballots(round_):
        writer.writerow([number, channel.value, _cell(locations.get(location_id, ""))]
                        + [choices.get(e.proposal_id, "") for e in entries])
    return Response(out.getvalue().encode("utf-8-sig"), mimetype="text/csv; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="ballots-round-{round_.id}.csv"'})


@bp.route("/rounds/<int:round_id>/ballots.pb")
def export_pabulib(round_id):
    """The closed round as a Pabulib file (anonymous ballots, the kept outcome), for pabutools and other tools."""
    round_ = _visible_round(round_id)
    if round_.status != RoundStatus.CLOSED:
        return render_error(403, _("The ballots are published when the round closes."))
    return Response(pabulib_export.export_pabulib(round_).encode("utf-8"), mimetype="text/plain; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="round-{round_.id}.pb"'})


def _cell(text):
    # a spreadsheet would run text starting like a formula; the apostrophe keeps it text
    return "'" + text if text.startswith(("=", "+", "-", "@", "\t", "\r")) else text


@bp.app_template_global("budget_rounds")
def budget_rounds(budget):
    """The budget's rounds the current user may see (the budget page links them)."""
    organiser = can(current_user, "create_round", budget.municipality)
    return [r for r in services.list_rounds(budget.municipality_id, include_drafts=organiser, include_imported=False)
            if r.budget_id == budget.id]


# --- the ballot, shared by residents and code holders --------------------------------


@dataclass(frozen=True)
class Flow:
    """One way to the ballot: where its forms post, the voter's own order, what each step carries."""

    action: str
    seed: str
    cast: Callable  # (marks, client_key) -> casting.Outcome
    hidden: dict = field(default_factory=dict)


def _ballot_page(round_, flow, marks=None, errors=(), status=200):
    return _no_store(render(
        "voting/ballot_form.html", round_=round_, flow=flow,
        entries=voter_forms.ordered_entries(results.ballot_entries(round_), flow.seed),
        marks=voter_forms.shown_marks(marks or {}), errors=[str(message) for _field, message in errors],
    ), status)


def _step(round_, flow, step):
    """The ballot (fresh, or with the voter's marks to change them), or its review."""
    marks = voter_forms.read_marks(request.form)
    if step != "review":
        return _ballot_page(round_, flow, marks if step == "change" else None)
    try:
        choices = check_ballot(round_, services.costs_of(round_), parse_choices(marks))
    except ValidationFailed as exc:
        return _ballot_page(round_, flow, marks, exc.errors, 422)
    rows = voter_forms.chosen(round_, choices, voter_forms.ordered_entries(results.ballot_entries(round_), flow.seed))
    return _no_store(render("voting/ballot_review.html", round_=round_, flow=flow, rows=rows, choices=choices,
                            total=sum(row.entry.cost for row in rows), client_key=voter_forms.new_client_key()))


def _confirm(round_, flow):
    marks = voter_forms.read_marks(request.form)
    try:
        outcome = flow.cast(marks, request.form.get("client_key"))
    except ValidationFailed as exc:
        code_errors = [message for name, message in exc.errors if name == "code"]
        if code_errors:
            g.wrong_code = True  # the confirmation is no way round the rate limit on guessing codes
            return _code_page(round_, flow.hidden.get("code", ""), code_errors[0], 422)
        return _ballot_page(round_, flow, marks, exc.errors, 422)
    except Conflict as exc:
        return _no_store(render("voting/ballot_refused.html", round_=round_, message=exc.message), 409)
    receipt = codes.display(outcome.receipt)
    return _no_store(render("voting/ballot_receipt.html", round_=round_, receipt=receipt))


@bp.route("/rounds/<int:round_id>/ballot", methods=["GET", "POST"])
@login_required
def cast_ballot(round_id):
    """A verified resident's ballot from their own account: choose, review, confirm, receipt."""
    round_ = _visible_round(round_id)
    step = request.form.get("step") if request.method == "POST" else None
    # a repeated confirmation gets its receipt back, even when it arrives after the close
    why = _online_refusal(round_, current_user, timing=step != "confirm")
    if why:
        return render_error(403, why)
    user = current_user._get_current_object()
    flow = Flow(url_for("voting.cast_ballot", round_id=round_.id), f"{round_.id}:voter:{user.id}",
                lambda marks, key: cast_online(user, round_, marks, key))
    if step == "confirm":
        return _confirm(round_, flow)
    mark = code_batches.voter_mark(round_, user.id)
    if mark is not None:
        message = _("You have already voted in this round (%(channel)s). Each person votes once.",
                    channel=mark.channel.label)
        return _no_store(render("voting/ballot_refused.html", round_=round_, message=message), 409)
    return _step(round_, flow, step)


def _code_rate():
    return current_app.config.get("VOTING_CODE_RATE_LIMIT", "10 per 10 minutes")


def _wrong_code(_response):
    return bool(g.get("wrong_code"))


def _code_page(round_, code_text, error=None, status=200):
    code = codes.normalise(code_text)
    shown = codes.display(code) if code else (code_text or "")[:40]
    return _no_store(render("voting/code_enter.html", round_=round_, code=shown, error=error), status)


@bp.route("/rounds/<int:round_id>/code", methods=["GET", "POST"])
@limiter.limit(_code_rate, methods=["POST"], deduct_when=_wrong_code)
def enter_code(round_id):
    """A voting code's ballot from the voter's phone: the code, then choose, review, confirm, receipt."""
    round_ = _visible_round(round_id)
    step = request.form.get("step") if request.method == "POST" else None
    why = _code_refusal(round_, timing=step != "confirm")
    if why:
        return render_error(403, why)
    if request.method == "GET":
        return _code_page(round_, request.args.get("code", ""))
    text = (request.form.get("code") or "")[:100]
    # the code travels in the form from step to step, never in the session, and is checked at each
    code = codes.normalise(text) or text
    flow = Flow(url_for("voting.enter_code", round_id=round_.id), f"{round_.id}:code:{code}",
                lambda marks, key: cast_with_code(round_, code, marks, key), {"code": codes.display(code)})
    if step == "confirm":
        return _confirm(round_, flow)
    state = code_batches.check_code(round_, text)
    if state != code_batches.VALID:
        g.wrong_code = True  # counted against this address by the rate limit
        return _code_page(round_, text, code_batches.CHECK_MESSAGES[state].label, 422)
    return _step(round_, flow, step)


@bp.errorhandler(RateLimitExceeded)
def _too_many(_error):
    if request.endpoint == "voting.enter_code":
        return render_error(429, _("Too many wrong codes from this connection. Try again in a few minutes."))
    return render_error(429)
