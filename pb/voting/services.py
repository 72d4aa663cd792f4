"""Voting rounds: preparing one (settings, ballot, locations), opening and closing it, and finding them."""
from datetime import datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from pb.audit.services import record
from pb.core.errors import Conflict, NotFound, ValidationFailed
from pb.core.models import local_now, to_money, utcnow
from pb.core.permissions import ensure
from pb.extensions import db
from pb.proposals.models import Proposal
from pb.proposals.states import Status
from pb.voting import permissions  # noqa: F401  (registers the rules)
from pb.voting import outcomes
from pb.voting.models import RoundProposal, VotingLocation, VotingRound
from pb.voting.quotas import BASES, weights as quota_weights
from pb.voting.rules import RULE_NAMES, fits
from pb.voting.states import TRANSITIONS, Channel, Eligibility, Method, RoundStatus

MAX_TITLE, MAX_LOCATION, MAX_NUMBER = 200, 200, 1000
MAX_AMOUNT = 10 ** 12  # som


# --- queries ----------------------------------------------------------------------


def get_round(round_id):
    """The round, or NotFound."""
    round_ = db.session.get(VotingRound, round_id)
    if round_ is None:
        raise NotFound()
    return round_


def list_rounds(municipality_id, include_drafts=False, include_imported=True):
    """The municipality's rounds, latest first; drafts only for those who prepare them."""
    query = sa.select(VotingRound).where(VotingRound.municipality_id == municipality_id)
    if not include_imported:  # rehearsals are listed apart, never among the real votes
        query = query.where(VotingRound.imported_from == "")
    if not include_drafts:
        query = query.where(VotingRound.status != RoundStatus.DRAFT)
    return db.session.execute(query.order_by(VotingRound.opens_at.desc(), VotingRound.id.desc())).scalars().all()


def ballot_candidates(budget):
    """The proposals that may go on a ballot: those the review put on it."""
    return db.session.execute(
        sa.select(Proposal).where(Proposal.budget_id == budget.id, Proposal.status == Status.ON_BALLOT,
                                  Proposal.rehearsal.is_(False))
        .order_by(Proposal.village_id, Proposal.id)
    ).scalars().all()


def costs_of(round_):
    """{proposal_id: cost} of the round's ballot."""
    return {entry.proposal_id: entry.cost for entry in round_.entries}


def is_accepting(round_, at=None):
    """Whether the round takes ballots at this local time."""
    at = at or local_now()
    return round_.status == RoundStatus.OPEN and round_.opens_at <= at < round_.closes_at


def get_location(round_, location_id):
    """One of the round's locations, or ValidationFailed."""
    try:
        location_id = int(location_id)
    except (TypeError, ValueError):
        location_id = None
    location = next((loc for loc in round_.locations if loc.id == location_id), None)
    if location is None:
        raise ValidationFailed.single("location_id", _l("Choose one of the round's locations."))
    return location


# --- validation -------------------------------------------------------------------


def _int(data, field, errors, low, high, default=None):
    value = data.get(field, default)
    try:
        number = int(value)
    except (TypeError, ValueError):
        errors.append((field, _l("Enter a whole number.")))
        return default
    if not low <= number <= high:
        errors.append((field, _l("Enter a number from %(low)d to %(high)d.", low=low, high=high)))
    return number


def _when(data, field, errors):
    value = data.get(field)
    if isinstance(value, datetime):
        return value.replace(second=0, microsecond=0)
    try:
        parsed = datetime.fromisoformat(str(value or "").strip())
        if not 2000 <= parsed.year <= 2100:
            raise ValueError
        return parsed.replace(second=0, microsecond=0, tzinfo=None)
    except ValueError:
        errors.append((field, _l("Enter a date and a time, e.g. 2027-02-14 10:00.")))
        return None


def _settings(budget, data):
    errors = []
    values = {}
    title = (data.get("title") or "").strip()
    if not title:
        errors.append(("title", _l("This field is required.")))
    elif len(title) > MAX_TITLE:
        errors.append(("title", _l("At most %(n)d characters.", n=MAX_TITLE)))
    values["title"] = title
    try:
        values["method"] = Method(data.get("method"))
    except ValueError:
        errors.append(("method", _l("Choose how residents vote.")))
    try:
        values["eligibility"] = Eligibility(data.get("eligibility"))
    except ValueError:
        errors.append(("eligibility", _l("Choose who may vote.")))
    rule = data.get("allocation_rule") or ""
    if rule not in RULE_NAMES:
        errors.append(("allocation_rule", _l("Choose how the money is allocated.")))
    elif "method" in values and not fits(rule, values["method"]):
        errors.append(("allocation_rule", _l(
            "The Method of Equal Shares counts only who chose a proposal, not points or ranks: "
            "for cumulative voting and ranking choose a rule by votes.")))
    values["allocation_rule"] = rule
    basis = data.get("quota_basis") or ""
    if basis not in BASES:
        errors.append(("quota_basis", _l("Choose how the money is shared among the villages.")))
    elif basis and not quotas_possible(budget.municipality, basis):
        errors.append(("quota_basis", _l("The villages have no figures for these quotas: enter their registered "
                                         "voters or contributions first.")))
    values["quota_basis"] = basis
    try:
        values["amount"] = to_money(data.get("amount"))
        if not 0 < values["amount"] <= MAX_AMOUNT:  # the column holds tyiyn in a BIGINT
            raise ValueError
    except ValueError:
        errors.append(("amount", _l("Enter the money to allocate in som, e.g. 1500000.")))
    values["min_choices"] = _int(data, "min_choices", errors, 1, MAX_NUMBER, 1)
    values["max_choices"] = _int(data, "max_choices", errors, 1, MAX_NUMBER, values["min_choices"])
    if isinstance(values["min_choices"], int) and isinstance(values["max_choices"], int) \
            and values["max_choices"] < values["min_choices"]:
        errors.append(("max_choices", _l("The maximum cannot be below the minimum.")))
    values["points"] = _int(data, "points", errors, 1, MAX_NUMBER, 10)
    values["rank_depth"] = _int(data, "rank_depth", errors, 1, 20, 3)
    channels = set(data.get("channels") or ())
    known = {channel.value for channel in Channel}
    if not channels or channels - known:
        errors.append(("channels", _l("Choose at least one way to vote.")))
    for channel in Channel:
        values[f"channel_{channel.value}"] = channel.value in channels
    values["opens_at"] = _when(data, "opens_at", errors)
    values["closes_at"] = _when(data, "closes_at", errors)
    if values["opens_at"] and values["closes_at"] and values["closes_at"] <= values["opens_at"]:
        errors.append(("closes_at", _l("The round must close after it opens.")))
    values["hide_counts"] = bool(data.get("hide_counts"))
    values["double_keying"] = bool(data.get("double_keying"))
    proposal_ids = _proposal_ids(budget, data, errors)
    if errors:
        raise ValidationFailed(errors)
    return values, proposal_ids


def quotas_possible(municipality, basis):
    """Whether the municipality's villages have figures to share the money by this basis."""
    return bool(quota_weights(basis, municipality.villages))


def _proposal_ids(budget, data, errors):
    candidates = {proposal.id: proposal for proposal in ballot_candidates(budget)}
    try:
        ids = {int(value) for value in data.get("proposal_ids") or ()}
    except (TypeError, ValueError):
        ids = None
    if ids is None or ids - set(candidates):
        errors.append(("proposal_ids", _l("Choose proposals that are on the ballot of this budget.")))
        return []
    return [candidates[pid] for pid in sorted(ids)]


def _set_ballot(round_, proposals):
    keep = {proposal.id for proposal in proposals}
    for entry in list(round_.entries):
        if entry.proposal_id not in keep:
            round_.entries.remove(entry)
    present = {entry.proposal_id for entry in round_.entries}
    for proposal in proposals:
        if proposal.id not in present:
            round_.entries.append(RoundProposal(proposal_id=proposal.id, cost=proposal.estimated_cost))


# --- changes ----------------------------------------------------------------------


def create_round(actor, budget, data):
    """Prepare a round for a budget (in preparation until opened)."""
    ensure(actor, "create_round", budget.municipality)
    values, proposals = _settings(budget, data)
    round_ = VotingRound(budget_id=budget.id, municipality_id=budget.municipality_id, **values)
    db.session.add(round_)
    _set_ballot(round_, proposals)
    db.session.flush()
    record(actor, "voting.create_round", round_, title=round_.title, proposals=len(proposals))
    db.session.commit()
    return round_


def update_round(actor, round_, data):
    """Change the settings and the ballot of a round in preparation."""
    ensure(actor, "edit", round_)
    values, proposals = _settings(round_.budget, data)
    for field, value in values.items():
        setattr(round_, field, value)
    _set_ballot(round_, proposals)
    record(actor, "voting.update_round", round_, title=round_.title, proposals=len(proposals))
    db.session.commit()
    return round_


def add_location(actor, round_, name, village_id=None):
    """A place where kiosk and paper ballots are cast (a hall, a school, a door-to-door route)."""
    ensure(actor, "manage", round_)
    if round_.status == RoundStatus.CLOSED:
        raise Conflict(_l("The round is closed."))
    name = (name or "").strip()
    if not name:
        raise ValidationFailed.single("name", _l("This field is required."))
    if len(name) > MAX_LOCATION:
        raise ValidationFailed.single("name", _l("At most %(n)d characters.", n=MAX_LOCATION))
    if any(loc.name.casefold() == name.casefold() for loc in round_.locations):
        raise ValidationFailed.single("name", _l("The round already has a location of this name."))
    village = None
    if village_id not in (None, "", 0, "0"):
        village = next((v for v in round_.municipality.villages if str(v.id) == str(village_id)), None)
        if village is None:
            raise ValidationFailed.single("village_id", _l("Choose a village of this municipality."))
    location = VotingLocation(round=round_, name=name, village_id=village.id if village else None)
    db.session.add(location)
    db.session.flush()
    record(actor, "voting.add_location", round_, location=name)
    db.session.commit()
    return location


def _move(actor, round_, to, action):
    if to not in TRANSITIONS[round_.status]:
        raise Conflict(_l("The round is %(status)s; this cannot be done now.", status=round_.status.label))
    round_.status = to
    record(actor, action, round_)


def open_round(actor, round_):
    """Open the round: the ballot is fixed, at the costs of this moment; ballots count between its times."""
    ensure(actor, "manage", round_)
    if round_.status == RoundStatus.DRAFT and not round_.entries:
        raise ValidationFailed.single(None, _l("Put at least one proposal on the ballot first."))
    _move(actor, round_, RoundStatus.OPEN, "voting.open_round")
    for entry in round_.entries:
        entry.cost = entry.proposal.estimated_cost
    round_.opened_at = utcnow()
    db.session.commit()


def close_round(actor, round_):
    """Close the round: no more ballots; the rule allocates the money, the counts and results are published."""
    ensure(actor, "manage", round_)
    _move(actor, round_, RoundStatus.CLOSED, "voting.close_round")
    round_.closed_at = utcnow()
    try:
        outcomes.record_outcome(actor, round_)
    except Exception:
        db.session.rollback()  # a round closes with its outcome or not at all
        raise
    db.session.commit()
