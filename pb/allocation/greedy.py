"""Greedy by votes: the most supported projects first, as long as the money lasts.

The score is what `Election.scores` counts: votes for approval and choose-1 ballots,
points for cumulative ballots, rank points for ordinal ballots.

Ties (equal scores) are broken by an order given as a key function:
`pabutools_order` (the project id compared as text, smallest first: pabutools'
default lexicographic tie-breaking) or `equalshares_order` (lowest cost, then most
votes, then id: equalshares.net's order).
"""
from __future__ import annotations

from typing import Callable, Iterable

from pb.allocation.model import Election, Money, as_money
from pb.allocation.outcome import (
    BELOW_THRESHOLD, COMPLETION_FUNDED, FUNDED, NOT_FITS, STOPPED_NO_SKIP, Outcome, Reason, make_outcome,
)


def pabutools_order(election: Election) -> Callable[[str], tuple]:
    """Tie order of pabutools: the project id as text, smallest first ("10" before "9")."""
    return lambda pid: (pid,)


def equalshares_order(election: Election) -> Callable[[str], tuple]:
    """Tie order of equalshares.net: lowest cost, then most votes (supporters), then id as text."""
    by_id = election.by_id
    supporters = election.supporters
    return lambda pid: (by_id[pid].cost, -supporters[pid], pid)


def ranking(election: Election, order=pabutools_order, among: Iterable[str] | None = None) -> list[str]:
    """Project ids by score, highest first, ties broken by `order`."""
    scores = election.scores
    tie = order(election)
    ids = election.by_id if among is None else among
    return sorted(ids, key=lambda pid: (-scores[pid], tie(pid)))


def greedy(election: Election, *, min_score=None, skip: bool = True, order=pabutools_order,
           rule: str = "greedy") -> Outcome:
    """Fund projects by score, highest first, while they fit the money left.

    A project that no longer fits is skipped and counting goes on down the list; with
    `skip=False` ("no-skip", as Wrocław and Gdynia count) counting stops at the first
    project that does not fit. With `min_score`, projects scoring less are not eligible
    (Pabulib's `min_project_score_threshold`: a score equal to it is eligible).
    Projects nobody voted for are funded too if money is left, as pabutools does.
    Ties: `order` (pabutools' by default: smallest id as text).
    """
    threshold = as_money(min_score) if min_score is not None else None
    scores = election.scores
    unit = election.score_unit
    left: Money = election.budget
    selected: list[str] = []
    reasons: dict[str, Reason] = {}
    stopped_at = None
    for pid in ranking(election, order):
        project = election.by_id[pid]
        score = scores[pid]
        if threshold is not None and score < threshold:
            reasons[pid] = Reason(pid, BELOW_THRESHOLD, {"score": score, "unit": unit, "threshold": threshold})
        elif stopped_at is not None:
            reasons[pid] = Reason(pid, STOPPED_NO_SKIP, {"score": score, "unit": unit, "cost": project.cost,
                                                         "stopped_at": stopped_at})
        elif project.cost <= left:
            left -= project.cost
            selected.append(pid)
            reasons[pid] = Reason(pid, FUNDED, {"score": score, "unit": unit, "cost": project.cost, "left": left})
        else:
            reasons[pid] = Reason(pid, NOT_FITS, {"score": score, "unit": unit, "cost": project.cost, "left": left})
            if not skip:
                stopped_at = pid
    notes = {"threshold": threshold} if threshold is not None else {}
    return make_outcome(rule, election, selected, reasons, notes)


def complete_by_votes(election: Election, selected: list[str], reasons: dict[str, Reason],
                      order=pabutools_order) -> list[str]:
    """Fund, by score, the projects that fit in what `selected` left; updates `reasons` in place.

    pabutools' completion (`completion_by_rule_combination` with greedy) does exactly this.
    """
    scores = election.scores
    unit = election.score_unit
    chosen = set(selected)
    left = election.budget - sum(election.by_id[pid].cost for pid in selected)
    added = []
    for pid in ranking(election, order, [pid for pid in election.by_id if pid not in chosen]):
        cost = election.by_id[pid].cost
        if cost <= left:
            left -= cost
            added.append(pid)
            reasons[pid] = Reason(pid, COMPLETION_FUNDED, {"score": scores[pid], "unit": unit, "cost": cost,
                                                           "left": left})
        else:
            reasons[pid] = Reason(pid, NOT_FITS, {"score": scores[pid], "unit": unit, "cost": cost, "left": left})
    return selected + added
