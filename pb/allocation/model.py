"""An election as plain, frozen data: projects, the budget and the ballots, grouped.

Money is exact: an int, or a Fraction when a cost has decimals (Pabulib files have
costs such as `4000.0` and budgets such as `1331751.11`). Floats are refused, so no
rounding error can decide which project is funded.

Identical ballots are stored once with their multiplicity: a city of 90,000 voters has
far fewer distinct ballots, and every rule works on the groups.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from fractions import Fraction
from functools import cached_property
from typing import Iterable, Mapping, Union

Money = Union[int, Fraction]

APPROVAL = "approval"
CHOOSE_ONE = "choose-1"
CUMULATIVE = "cumulative"
ORDINAL = "ordinal"
BALLOT_KINDS = (APPROVAL, CHOOSE_ONE, CUMULATIVE, ORDINAL)


def as_money(value) -> Money:
    """An exact amount from an int, a Fraction, a Decimal or a decimal string ("4000.0", "1 331,11")."""
    if isinstance(value, bool) or isinstance(value, float):
        raise TypeError(f"money must be exact (int, Fraction, Decimal or a decimal string), not {value!r}")
    if isinstance(value, int):
        return value
    if isinstance(value, str):
        text = value.strip().replace(" ", "").replace("\u00a0", "").replace(",", ".")
        try:
            value = Fraction(text)
        except ValueError:
            raise ValueError(f"not an amount: {value!r}") from None
    else:
        value = Fraction(value)
    return value.numerator if value.denominator == 1 else value


def format_money(value: Money) -> str:
    """310000 -> '310,000'; Fraction(133175111, 100) -> '1,331,751.11'; other fractions rounded to cents."""
    value = Fraction(value)
    if value.denominator == 1:
        return f"{value.numerator:,}"
    cents = round(value * 100)
    sign = "-" if cents < 0 else ""
    whole, rest = divmod(abs(cents), 100)
    text = f"{sign}{whole:,}.{rest:02d}"
    return text if value * 100 == cents else "≈" + text


@dataclass(frozen=True)
class Project:
    """A project on the ballot. `group` is its village (or district) for village quotas."""

    id: str
    cost: Money
    group: str | None = None
    name: str = ""

    def __post_init__(self):
        if not isinstance(self.id, str) or not self.id:
            raise ValueError(f"a project id must be a non-empty string, not {self.id!r}")
        cost = as_money(self.cost)
        if cost < 0:
            raise ValueError(f"project {self.id}: the cost cannot be negative")
        object.__setattr__(self, "cost", cost)


def _canonical(kind: str, ballot, known: Mapping[str, Project]):
    """The hashable form of one ballot, so that identical ballots group together.

    approval / choose-1: a frozenset of ids (a repeated id counts once);
    cumulative: a tuple of (id, points) sorted by id, points of a repeated id added up
    (as Pabulib's `score` column counts them); ordinal: the ranked tuple of ids, a
    repeated id keeping its best rank.
    """
    if kind in (APPROVAL, CHOOSE_ONE):
        ids = frozenset(ballot)
        unknown = ids.difference(known)
    elif kind == CUMULATIVE:
        items = ballot.items() if isinstance(ballot, Mapping) else ballot
        points: dict[str, Money] = {}
        for project_id, value in items:
            value = as_money(value)
            if value < 0:
                raise ValueError(f"negative points for project {project_id}")
            points[project_id] = points.get(project_id, 0) + value
        ids = tuple(sorted((pid, value) for pid, value in points.items() if value))
        unknown = set(points).difference(known)
    elif kind == ORDINAL:
        ids = tuple(dict.fromkeys(ballot))
        unknown = set(ids).difference(known)
    else:
        raise ValueError(f"unknown ballot kind {kind!r}; expected one of {', '.join(BALLOT_KINDS)}")
    if unknown:
        raise ValueError(f"a ballot names unknown projects: {', '.join(sorted(unknown))}")
    return ids


@dataclass(frozen=True)
class Election:
    """Projects, budget and grouped ballots: everything a rule needs, nothing else.

    `ballots` holds (ballot, count) pairs with the ballots in canonical form (see
    `Election.build`, which groups and checks them). Empty ballots count as voters:
    Equal Shares gives them a share too, as pabutools and equalshares.net do.
    `rank_points` gives the points of the 1st, 2nd, ... rank of an ordinal ballot; by
    default (k, k-1, ..., 1) for ballots of at most k ranks, which is Kraków's 3/2/1.
    """

    projects: tuple[Project, ...]
    budget: Money
    ballots: tuple = ()
    kind: str = APPROVAL
    rank_points: tuple | None = None

    def __post_init__(self):
        if self.kind not in BALLOT_KINDS:
            raise ValueError(f"unknown ballot kind {self.kind!r}; expected one of {', '.join(BALLOT_KINDS)}")
        budget = as_money(self.budget)
        if budget < 0:
            raise ValueError("the budget cannot be negative")
        object.__setattr__(self, "budget", budget)
        object.__setattr__(self, "projects", tuple(self.projects))
        ids = [p.id for p in self.projects]
        if len(set(ids)) != len(ids):
            raise ValueError("project ids must be unique")
        if self.rank_points is not None:
            object.__setattr__(self, "rank_points", tuple(as_money(v) for v in self.rank_points))

    @classmethod
    def build(cls, projects: Iterable[Project], budget, ballots: Iterable, kind: str = APPROVAL,
              rank_points=None) -> "Election":
        """An election from one ballot per voter, or from (ballot, count) pairs when `ballots` is a Counter.

        A ballot is an iterable of project ids (approval, choose-1, ordinal) or a mapping
        / pairs of project id -> points (cumulative).
        """
        projects = tuple(projects)
        known = {p.id: p for p in projects}
        pairs = ballots.items() if isinstance(ballots, Counter) else ((b, 1) for b in ballots)
        grouped: Counter = Counter()
        for ballot, count in pairs:
            if isinstance(ballot, str):
                raise TypeError("a ballot is a collection of project ids, not a string")
            grouped[_canonical(kind, ballot, known)] += count
        return cls(projects, budget, tuple((b, n) for b, n in grouped.items() if n > 0), kind, rank_points)

    @classmethod
    def from_groups(cls, projects: Iterable[Project], budget, groups: Mapping, kind: str = APPROVAL,
                    rank_points=None) -> "Election":
        """An election from ballots already in canonical form (see `_canonical`) with their counts.

        For readers of big files: the ids are checked once for all ballots.
        """
        projects = tuple(projects)
        seen: set = set()
        if kind in (APPROVAL, CHOOSE_ONE, ORDINAL):
            for ballot in groups:
                seen.update(ballot)
        else:
            for ballot in groups:
                seen.update(pid for pid, _ in ballot)
        unknown = seen.difference(p.id for p in projects)
        if unknown:
            raise ValueError(f"a ballot names unknown projects: {', '.join(sorted(unknown))}")
        return cls(projects, budget, tuple((b, n) for b, n in groups.items() if n > 0), kind, rank_points)

    @cached_property
    def by_id(self) -> dict[str, Project]:
        return {p.id: p for p in self.projects}

    @cached_property
    def num_voters(self) -> int:
        return sum(count for _, count in self.ballots)

    @cached_property
    def support_sets(self) -> tuple:
        """(frozenset of supported project ids, count) per ballot group: what Equal Shares uses."""
        if self.kind in (APPROVAL, CHOOSE_ONE):
            return self.ballots
        merged: Counter = Counter()
        for ballot, count in self.ballots:
            ids = frozenset(pid for pid, _ in ballot) if self.kind == CUMULATIVE else frozenset(ballot)
            merged[ids] += count
        return tuple(merged.items())

    @cached_property
    def supporters(self) -> dict[str, int]:
        """How many voters support each project (approve it, give it points or rank it)."""
        counts = dict.fromkeys(self.by_id, 0)
        for ids, count in self.support_sets:
            for pid in ids:
                counts[pid] += count
        return counts

    @cached_property
    def effective_rank_points(self) -> tuple:
        if self.rank_points is not None:
            return self.rank_points
        longest = max((len(b) for b, _ in self.ballots), default=0)
        return tuple(range(longest, 0, -1))

    @cached_property
    def scores(self) -> dict[str, Money]:
        """What greedy counts: votes (approval, choose-1), points (cumulative), rank points (ordinal)."""
        if self.kind in (APPROVAL, CHOOSE_ONE):
            return self.supporters
        scores: dict[str, Money] = dict.fromkeys(self.by_id, 0)
        if self.kind == CUMULATIVE:
            for ballot, count in self.ballots:
                for pid, points in ballot:
                    scores[pid] += points * count
        else:
            table = self.effective_rank_points
            for ballot, count in self.ballots:
                for rank, pid in enumerate(ballot[:len(table)]):
                    scores[pid] += table[rank] * count
        return {pid: as_money(value) for pid, value in scores.items()}

    @property
    def score_unit(self) -> str:
        return "votes" if self.kind in (APPROVAL, CHOOSE_ONE) else "points"

    def restricted(self, project_ids: Iterable[str], budget) -> "Election":
        """The ballots over some projects only, with another budget (used by village quotas).

        Ballots left without any of these projects are dropped: Equal Shares divides a
        village's share among the people who voted for something in that village. Ranked
        ballots become points ballots carrying their rank points from the full ballot, so
        that a project ranked second keeps second-rank points.
        """
        keep = set(project_ids)
        projects = tuple(p for p in self.projects if p.id in keep)
        grouped: Counter = Counter()
        kind = self.kind
        if kind in (APPROVAL, CHOOSE_ONE):
            for ballot, count in self.ballots:
                grouped[ballot & keep] += count
        elif kind == CUMULATIVE:
            for ballot, count in self.ballots:
                grouped[tuple((pid, pts) for pid, pts in ballot if pid in keep)] += count
        else:
            table = self.effective_rank_points
            for ballot, count in self.ballots:
                ranked = ((pid, table[rank]) for rank, pid in enumerate(ballot[:len(table)]))
                grouped[tuple(sorted((pid, pts) for pid, pts in ranked if pid in keep))] += count
            kind = CUMULATIVE
        return Election(projects, budget, tuple((b, n) for b, n in grouped.items() if b), kind)
