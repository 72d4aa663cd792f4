"""A closed round as a Pabulib (.pb) file that pabutools and other tools read.

The ballots are anonymous: voter ids are 1, 2, ... in an order shuffled by a seed taken from the ballots
themselves (the public digest), so the same round always gives the same file and the order says nothing of
when, where or by whom a ballot was cast. Channel and location are columns only when every channel and
every place counts at least MIN_GROUP ballots: a smaller group could point at a known voter.
"""
import random
from collections import Counter

from flask_babel import lazy_gettext as _l

from pb.allocation.pabulib import PabulibFile, write
from pb.core.errors import Conflict
from pb.voting import outcomes, results
from pb.voting.states import Method, RoundStatus

MIN_GROUP = 10
VOTE_TYPES = {Method.APPROVAL: "approval", Method.KNAPSACK: "approval", Method.CUMULATIVE: "cumulative",
              Method.RANKING: "ordinal"}
# Ashar's rule names that Pabulib's META `rule` names otherwise
PABULIB_LABELS = {"equalshares-add1": "equalshares/add1", "equalshares-add1-comparison": "equalshares/add1-comparison"}


def _amount(value):
    return f"{value.normalize():f}"


def _meta(round_, count):
    meta = {
        "description": round_.title, "country": "Kyrgyzstan", "unit": round_.municipality.name_ky,
        "instance": str(round_.budget.fiscal_year), "num_projects": str(len(round_.entries)),
        "num_votes": str(count), "budget": _amount(round_.amount), "vote_type": VOTE_TYPES[round_.method],
        "rule": PABULIB_LABELS.get(round_.allocation_rule, round_.allocation_rule),
        "date_begin": round_.opens_at.strftime("%Y-%m-%d"), "date_end": round_.closes_at.strftime("%Y-%m-%d"),
        "language": "ky", "currency": "KGS",
    }
    if round_.method == Method.APPROVAL:
        meta.update(min_length=str(round_.min_choices), max_length=str(round_.max_choices))
    elif round_.method == Method.KNAPSACK:
        meta["max_sum_cost"] = _amount(round_.amount)
    elif round_.method == Method.CUMULATIVE:
        meta["max_sum_points"] = str(round_.points)
    else:
        meta.update(max_length=str(round_.rank_depth), scoring_fn="Borda")
    if round_.quota_basis:
        meta["village_quotas"] = round_.quota_basis
    if round_.is_imported:
        meta["comment"] = f"Rehearsal round imported into Ashar from {round_.imported_from}; not a real vote."
    return meta


def _cells(method, choices):
    if method == Method.CUMULATIVE:
        if not choices:
            return ["None", "None"]  # how pabutools reads an empty points ballot
        items = sorted(choices.items())
        return [",".join(str(pid) for pid, _ in items), ",".join(str(v) for _, v in items)]
    if method == Method.RANKING:
        return [",".join(str(pid) for pid, _rank in sorted(choices.items(), key=lambda item: item[1]))]
    return [",".join(str(pid) for pid in sorted(choices))]


def _shown_columns(round_, ballots):
    """Which of channel and location may be columns without singling anyone out."""
    if round_.is_imported or not ballots:
        return False, False
    channels = Counter(channel for _n, channel, _loc, _c in ballots)
    places = Counter(location for _n, _ch, location, _c in ballots)
    pairs = Counter((channel, location) for _n, channel, location, _c in ballots)
    show_channel = min(channels.values()) >= MIN_GROUP
    show_location = show_channel and min(places.values()) >= MIN_GROUP and min(pairs.values()) >= MIN_GROUP
    return show_channel, show_location


def export_pabulib(round_):
    """The .pb text of a closed round: META, PROJECTS with votes, score and the kept outcome, anonymous VOTES."""
    if round_.status != RoundStatus.CLOSED:
        raise Conflict(_l("The ballots are published when the round closes."))
    ballots = results.anonymous_ballots(round_)
    kept = outcomes.outcome_of(round_)
    selected = set(kept.selected)
    counts = {c.entry.proposal_id: c for c in results.tally(round_)}
    scored = round_.method in (Method.CUMULATIVE, Method.RANKING)
    columns = ("project_id", "cost", "name", "village", "votes") + (("score",) if scored else ()) + ("selected",)
    projects = []
    for entry in sorted(results.ballot_entries(round_), key=lambda e: e.proposal_id):
        count = counts[entry.proposal_id]
        row = {"project_id": str(entry.proposal_id), "cost": _amount(entry.cost), "name": entry.proposal.title,
               "village": entry.proposal.village.name if entry.proposal.village else "",
               "votes": str(count.ballots), "selected": "1" if entry.proposal_id in selected else "0"}
        if scored:
            row["score"] = str(count.score)
        projects.append(row)
    show_channel, show_location = _shown_columns(round_, ballots)
    places = {loc.id: loc.name for loc in round_.locations}
    rows = []
    for _number, channel, location, choices in ballots:
        rows.append(_cells(round_.method, choices) + ([channel.value] if show_channel else [])
                    + ([places.get(location, "")] if show_location else []))
    rows.sort()
    digest = outcomes.ballots_digest([choices for *_rest, choices in ballots])
    random.Random(int(digest[:16], 16)).shuffle(rows)
    vote_columns = ("voter_id", "vote") + (("points",) if round_.method == Method.CUMULATIVE else ()) \
        + (("channel",) if show_channel else ()) + (("location",) if show_location else ())
    votes = tuple([str(n)] + row for n, row in enumerate(rows, start=1))
    return write(PabulibFile(_meta(round_, len(rows)), columns, tuple(projects), vote_columns, vote_rows=votes))
