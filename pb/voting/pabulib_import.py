"""A Pabulib (.pb) file imported as a closed rehearsal round, with its projects and ballots.

The round is marked imported (`imported_from` holds the file's name): its pages say it is a rehearsal,
the API and the budget's real rounds leave it out, and its outcome changes no proposal's status. Its
projects become rehearsal proposals (pb.proposals.rehearsal), its ballots anonymous ballots stored in bulk.
Every problem of the file is listed at once, in the user's language, and nothing is written while any remains.
"""
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from pb.allocation import CUMULATIVE, ORDINAL, rule_for_pabulib
from pb.allocation.pabulib import PabulibError, parse
from pb.audit.services import record
from pb.budgets.models import Budget
from pb.core.errors import ValidationFailed
from pb.core.models import local_now, to_money, utcnow
from pb.core.permissions import ensure
from pb.extensions import db
from pb.proposals.rehearsal import add_rehearsal_proposals
from pb.voting import outcomes
from pb.voting.models import Ballot, BallotChoice, RoundProposal, VotingRound
from pb.voting.rules import RULE_NAMES, fits
from pb.voting.states import Channel, Eligibility, Method, RoundStatus

# The web upload's limits (the command has none): a district's vote, not a capital's.
MAX_UPLOAD_BYTES = 2 * 1024 * 1024
MAX_UPLOAD_BALLOTS = 20_000
MAX_PROJECTS = 1000
MAX_AMOUNT = 10 ** 12
METHODS = {"approval": Method.APPROVAL, "choose-1": Method.APPROVAL, "cumulative": Method.CUMULATIVE,
           "ordinal": Method.RANKING}
NOT_VILLAGE_COLUMNS = {"project_id", "cost", "votes", "score", "selected", "name", "description"}
SHOWN = 8  # problems of one kind listed before "and N more"


def _listed(values):
    values = sorted(values, key=str)
    text = ", ".join(str(v) for v in values[:SHOWN])
    return text + (f" … (+{len(values) - SHOWN})" if len(values) > SHOWN else "")


def read_pabulib(raw, max_bytes=None, max_ballots=None):
    """(parsed file, Election) of the bytes of a .pb file, or ValidationFailed listing every problem found."""
    if max_bytes is not None and len(raw) > max_bytes:
        raise ValidationFailed.single("file", _l("The file is larger than %(mb)d MB.", mb=max_bytes // 2 ** 20))
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ValidationFailed.single("file", _l("The file is not UTF-8 text: it is not a Pabulib file.")) from None
    try:
        data = parse(text)
    except PabulibError as exc:
        raise ValidationFailed.single("file", _l(
            "This is not a Pabulib file Ashar can read: it needs the sections META, PROJECTS and VOTES (%(detail)s).",
            detail=str(exc))) from None
    errors = []
    meta = data.meta
    kind = meta.get("vote_type", "").strip()
    if kind not in METHODS:
        errors.append(("file", _l("META: the ballot type (vote_type) %(kind)s is not one Ashar reads (approval, "
                                  "choose-1, cumulative, ordinal).", kind=kind or "—")))
    try:
        amount = to_money(meta.get("budget", ""))
        if not 0 < amount <= MAX_AMOUNT:
            raise ValueError
    except ValueError:
        errors.append(("file", _l("META: the budget %(value)s is not an amount of money above zero.",
                                  value=meta.get("budget") or "—")))
    ids = [row.get("project_id", "") for row in data.projects]
    if not data.projects:
        errors.append(("file", _l("PROJECTS: the file has no projects.")))
    elif len(data.projects) > MAX_PROJECTS:
        errors.append(("file", _l("PROJECTS: more than %(n)d projects.", n=MAX_PROJECTS)))
    repeated = {pid for pid in ids if ids.count(pid) > 1} if len(ids) <= MAX_PROJECTS else set()
    if repeated or "" in ids:
        errors.append(("file", _l("PROJECTS: each project needs its own id (repeated or empty: %(ids)s).",
                                  ids=_listed(repeated) or "—")))
    bad_costs = []
    for row in data.projects:
        try:
            if not 0 < to_money(row.get("cost", "")) <= MAX_AMOUNT:
                raise ValueError
        except ValueError:
            bad_costs.append(f"{row.get('project_id')} ({row.get('cost') or '—'})")
    if bad_costs:
        errors.append(("file", _l("PROJECTS: these costs are not amounts above zero with at most two decimals: "
                                  "%(list)s.", list=_listed(bad_costs))))
    count = len(data.column("vote"))
    if max_ballots is not None and count > max_ballots:
        errors.append(("file", _l("VOTES: %(count)d ballots; a file uploaded here may hold at most %(max)d (the "
                                  "command flask pb import-pabulib has no limit).", count=count, max=max_ballots)))
    else:
        named = set()
        for vote in set(data.column("vote")):
            named.update(part.strip() for part in vote.split(",") if part.strip())
        unknown = named - set(ids) - ({"None"} if kind == CUMULATIVE else set())
        if unknown:
            errors.append(("file", _l("VOTES: the ballots name projects that are not in PROJECTS: %(ids)s.",
                                      ids=_listed(unknown))))
    if errors:
        raise ValidationFailed(errors)
    try:
        election = data.election()
    except PabulibError as exc:
        raise ValidationFailed.single("file", _l("VOTES: %(detail)s", detail=str(exc))) from None
    if election.kind == CUMULATIVE and any(
            getattr(points, "denominator", 1) != 1 for ballot, _n in election.ballots for _pid, points in ballot):
        raise ValidationFailed.single("file", _l("VOTES: the points must be whole numbers."))
    return data, election


def _number(meta, key):
    value = (meta.get(key) or "").strip()
    return int(value) if value.isdigit() else None


def _settings(data, election):
    """The round's method and limits as the file's META states them (or as its ballots show)."""
    meta, kind = data.meta, data.meta["vote_type"].strip()
    longest = max((len(ballot) for ballot, _n in election.ballots), default=1) or 1
    method = METHODS[kind]
    if method == Method.APPROVAL and _number(meta, "max_sum_cost") is not None:
        method = Method.KNAPSACK
    low = _number(meta, "min_length") or 0
    high = 1 if kind == "choose-1" else max(_number(meta, "max_length") or longest, low, 1)
    points = _number(meta, "max_sum_points") or max(
        (sum(int(p) for _pid, p in ballot) for ballot, _n in election.ballots), default=1) if kind == CUMULATIVE else 10
    depth = max(_number(meta, "max_length") or longest, longest) if kind == ORDINAL else 3
    return dict(method=method, min_choices=low, max_choices=high, points=max(points, 1), rank_depth=max(depth, 1))


def _dates(meta):
    found = []
    for key in ("date_begin", "date_end"):
        raw = (meta.get(key) or "").strip()
        for form in ("%Y-%m-%d", "%d.%m.%Y", "%Y-%m-%d %H:%M:%S"):
            try:
                found.append(datetime.strptime(raw, form))
                break
            except ValueError:
                continue
        else:
            found.append(None)
    begin, end = found
    end = end or local_now().replace(second=0, microsecond=0)
    if begin is None or begin >= end:
        begin = end - timedelta(days=1)
    return begin, end


def _rule(requested, method, meta, voters):
    if requested:
        if requested not in RULE_NAMES:
            raise ValidationFailed.single("rule", _l("Choose how the money is allocated."))
        if not fits(requested, method):
            raise ValidationFailed.single("rule", _l(
                "The Method of Equal Shares counts only who chose a proposal, not points or ranks: "
                "for cumulative voting and ranking choose a rule by votes."))
        return requested
    try:
        recorded, _options = rule_for_pabulib(meta, voters)
    except ValueError:
        return "greedy"
    return recorded if recorded in RULE_NAMES and fits(recorded, method) else "greedy"


def _budget(municipality, budget_id):
    if budget_id not in (None, ""):
        budget = db.session.get(Budget, int(budget_id)) if str(budget_id).isdigit() else None
        if budget is None or budget.municipality_id != municipality.id:
            raise ValidationFailed.single("budget_id", _l("Choose a budget of this municipality."))
        return budget
    budget = db.session.execute(sa.select(Budget).where(Budget.municipality_id == municipality.id)
                                .order_by(Budget.fiscal_year.desc()).limit(1)).scalar()
    if budget is None:
        raise ValidationFailed.single("budget_id", _l("The municipality has no budget to attach the rehearsal to."))
    return budget


def _village_of(row, villages):
    for column, value in row.items():
        if column not in NOT_VILLAGE_COLUMNS:
            village = villages.get((value or "").strip().casefold())
            if village is not None:
                return village
    return None


def import_pabulib(actor, municipality, raw, filename, budget_id=None, rule=None, max_bytes=None, max_ballots=None):
    """Import a .pb file as a closed rehearsal round of the municipality; returns the round."""
    ensure(actor, "create_round", municipality)
    data, election = read_pabulib(raw, max_bytes, max_ballots)
    budget = _budget(municipality, budget_id)
    settings = _settings(data, election)
    rule = _rule(rule, settings["method"], data.meta, election.num_voters)
    opens_at, closes_at = _dates(data.meta)
    meta = data.meta
    title = " ".join(part for part in (meta.get("description") or meta.get("unit") or filename,
                                       meta.get("instance", "")) if part).strip()[:200] or filename[:200]
    villages = {v.name.strip().casefold(): v for v in municipality.villages}
    try:
        proposals = add_rehearsal_proposals(budget, [
            dict(title=(row.get("name") or f"#{row['project_id']}")[:200], cost=to_money(row["cost"]),
                 village_id=getattr(_village_of(row, villages), "id", None),
                 description=(row.get("description") or "")[:4000]
                 + f"\n\n[{filename[:200]}, project_id {row['project_id']}]")
            for row in data.projects])
        round_ = VotingRound(budget_id=budget.id, municipality_id=municipality.id, title=title,
                             amount=to_money(meta["budget"]), allocation_rule=rule, quota_basis="",
                             channel_kiosk=False, channel_online=False, channel_paper=True,
                             eligibility=Eligibility.CODES, opens_at=opens_at, closes_at=closes_at, hide_counts=False,
                             double_keying=False, status=RoundStatus.CLOSED, opened_at=utcnow(), closed_at=utcnow(),
                             imported_from=(filename or "file.pb")[:200], **settings)
        round_.entries = [RoundProposal(proposal_id=p.id, cost=p.estimated_cost) for p in proposals]
        db.session.add(round_)
        db.session.flush()
        _insert_ballots(round_, election, {row["project_id"]: p.id for row, p in zip(data.projects, proposals)})
        record(actor, "voting.import_round", round_, file=round_.imported_from, proposals=len(proposals),
               ballots=election.num_voters, rule=rule, budget_id=budget.id)
        outcomes.record_outcome(actor, round_)
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    return round_


def _insert_ballots(round_, election, ids):
    """The file's ballots in bulk: one row per voter (identical ballots repeated), then their choices."""
    rows, shapes = [], []
    for ballot, count in election.ballots:
        if election.kind == CUMULATIVE:
            values = [(ids[pid], int(points)) for pid, points in ballot]
        elif election.kind == ORDINAL:
            values = [(ids[pid], rank) for rank, pid in enumerate(ballot, start=1)]
        else:
            values = [(ids[pid], 1) for pid in sorted(ballot)]
        for _ in range(count):
            number = len(rows) + 1
            rows.append(dict(round_id=round_.id, receipt=f"F{number}", client_key=f"file-{number}",
                             channel=Channel.PAPER, location_id=None))
            shapes.append(values)
    for start in range(0, len(rows), 5000):
        db.session.execute(sa.insert(Ballot), rows[start:start + 5000])
    numbers = dict(db.session.execute(
        sa.select(Ballot.client_key, Ballot.id).where(Ballot.round_id == round_.id)).all())
    choices = [dict(ballot_id=numbers[f"file-{n}"], proposal_id=pid, value=value)
               for n, values in enumerate(shapes, start=1) for pid, value in values]
    for start in range(0, len(choices), 10000):
        db.session.execute(sa.insert(BallotChoice), choices[start:start + 10000])
