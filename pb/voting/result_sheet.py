"""The results of a closed round as one sheet of figures: what the page, the downloads, the report and
the API all show, so that they cannot disagree."""
from dataclasses import dataclass
from decimal import Decimal

from flask_babel import lazy_gettext as _l

from pb.allocation import as_money
from pb.core.errors import Conflict
from pb.voting import outcomes, results
from pb.voting.reasons import quota_explanation, reason_text, rule_text, ties_text
from pb.voting.states import RoundStatus


@dataclass(frozen=True)
class Row:
    entry: object  # RoundProposal, with its proposal and village loaded
    ballots: int
    score: int
    funded: bool
    order: int | None  # 1 for the first proposal the rule funded
    reason: object  # pb.allocation Reason
    reason_text: str


@dataclass(frozen=True)
class VillageTotal:
    village: object
    share: object  # Decimal or None without quotas
    proposals: int
    funded: int
    cost: Decimal  # what its funded proposals cost


@dataclass(frozen=True)
class Sheet:
    round: object
    rows: list  # funded in the order chosen, then the others by score
    amount: Decimal
    cost: Decimal
    left: Decimal
    villages: list
    turnout: object  # results.Turnout
    rule_text: str
    quota_text: str
    ties_text: str
    kept: object  # outcomes.Stored

    @property
    def funded(self):
        return [row for row in self.rows if row.funded]

    @property
    def unfunded(self):
        return [row for row in self.rows if not row.funded]

    @property
    def top_score(self):
        return max((row.score for row in self.rows), default=0)


def _decimal(value):
    value = as_money(str(value)) if isinstance(value, str) else value
    return Decimal(value.numerator) / Decimal(value.denominator) if hasattr(value, "denominator") else Decimal(value)


def build_sheet(round_):
    """The results of a closed round (Conflict before the close): rows, totals, villages, turnout, the rule."""
    if round_.status != RoundStatus.CLOSED:
        raise Conflict(_l("The results are published when the round closes."))
    kept = outcomes.outcome_of(round_)
    counts = {c.entry.proposal_id: c for c in results.tally(round_)}
    entries = results.ballot_entries(round_)
    titles = {e.proposal_id: e.proposal.title for e in entries}
    names = {str(v.id): v.name for v in round_.municipality.villages}
    order = {pid: n for n, pid in enumerate(kept.selected, start=1)}
    rows = []
    for entry in entries:
        count = counts.get(entry.proposal_id)
        reason = kept.reasons[entry.proposal_id]
        rows.append(Row(entry, count.ballots if count else 0, count.score if count else 0, reason.funded,
                        order.get(entry.proposal_id), reason, reason_text(reason, titles, names)))
    rows.sort(key=lambda r: (not r.funded, r.order or 0, -r.score, r.entry.cost, r.entry.proposal_id))
    shares = kept.notes.get("shares", {}) if kept.quota_basis else {}
    villages = []
    for village in round_.municipality.villages:
        own = [r for r in rows if r.entry.proposal.village_id == village.id]
        share = shares.get(str(village.id))
        if not own and share is None:
            continue
        funded = [r for r in own if r.funded]
        villages.append(VillageTotal(village, None if share is None else _decimal(share), len(own), len(funded),
                                     sum((r.entry.cost for r in funded), Decimal(0))))
    cost = _decimal(kept.cost)
    return Sheet(round_, rows, round_.amount, cost, round_.amount - cost, villages, results.turnout(round_),
                 rule_text(kept.rule, kept.quota_basis), quota_explanation(kept.quota_basis), ties_text(kept.rule),
                 kept)
