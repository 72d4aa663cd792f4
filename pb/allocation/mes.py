"""The Method of Equal Shares, exactly and fast, and its "add one" completions.

Every voter starts with an equal share of the budget. A project can be funded when its
supporters together still have its cost; among those, the one that asks the least of
each supporter is funded first: the smallest ρ/u, where ρ is the most any supporter
pays (supporters with less than ρ pay all they have) and u the utility of the project
to a supporter: its cost ("cost utilities") or 1 ("cardinality utilities"). Ties go to
the project first in the tie order (pabutools': the id as text; equalshares.net's:
lowest cost, then most votes, then id).

How it stays exact and fast:

* A voter's money depends only on which funded projects they voted for (their
  "history"), so money is stored once per history, and how many supporters of a
  project have each history is counted once per set of funded projects (and cached).
* Money is exact: integers over a common denominator that grows only when a payment
  needs it. Floats, each within a few units in the last place of the exact value, only
  guide: every decision where floats are within 1e-9 of each other is taken exactly.
* As in pabutools and equalshares.net, a project's ρ/u from an earlier round is a
  lower bound for later rounds (money only goes down), so few projects are evaluated
  again in each round; and a project none of whose supporters paid since its last
  evaluation keeps its ρ/u. A project that only has to lose to the best so far is
  dismissed by a cheaper test (`above`), which also raises its lower bound.
* Histories are numbered once per election (`Prepared.history`): the money of
  histories is read a million times a run, and small int keys are found faster. Float
  money is a list indexed by that number, the number of a history with one more project
  funded is cached per project (`Prepared.successors`), and payments are made in bulk.

The add-one completion, which runs Equal Shares again with every share one unit of
money larger until a stop rule holds, is in `add_one.py`: most of its steps are run in
floats with proven bounds (`interval.py`), and `equal_shares` decides where those cannot.
"""
from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections import Counter
from dataclasses import dataclass
from fractions import Fraction
from itertools import accumulate, compress, islice, repeat
from math import gcd, inf, lcm
from operator import le, mul, sub

from pb.allocation.model import Election, as_money
from pb.allocation.outcome import MES_FUNDED, MES_UNAFFORDABLE, NO_SUPPORTERS, Reason

COST = "cost"
CARDINALITY = "cardinality"
_CLOSE = 1e-9   # floats within this relative distance of each other are compared exactly
_EXACT = object()
NEWTON_STEPS = 2   # at most, in `above` (of 1, 2, 4 and 8, 2 was fastest on Praga-Południe)


class Prepared:
    """The election as Equal Shares computes on it: integer money, indices, supporters per project.

    A voter's "history" is the set of already funded projects they voted for, as a bit
    mask; voters with the same history have the same money left. How many supporters of
    a project have each history depends only on which projects are funded so far, not
    on the shares, so these counts are cached across runs (the add-one loop runs Equal
    Shares many times on similar sets).
    """

    CACHE_SIZE = 20000

    def __init__(self, election: Election, utility: str = COST, tie: str = "pabutools"):
        if utility not in (COST, CARDINALITY):
            raise ValueError(f"unknown utility {utility!r}")
        self.election = election
        projects = election.projects
        self.ids = [p.id for p in projects]
        index = {pid: i for i, pid in enumerate(self.ids)}
        # one scale makes every cost and the budget an integer (Pabulib has costs like 4000.0 or 1331751.11)
        self.scale = lcm(Fraction(election.budget).denominator, *(Fraction(p.cost).denominator for p in projects))
        self.cost = [int(p.cost * self.scale) for p in projects]
        self.budget = int(election.budget * self.scale)
        self.util = self.cost if utility == COST else [1] * len(projects)
        voter_masks: list[list[int]] = [[] for _ in projects]
        self.voters = 0
        for ids, count in election.support_sets:
            self.voters += count
            mask = 0
            for pid in ids:
                mask |= 1 << index[pid]
            repeated = [mask] * count
            for pid in ids:
                voter_masks[index[pid]].extend(repeated)
        self.voter_masks = voter_masks          # per project, the ballot of each supporter, as a mask
        self.neighbours = [0] * len(projects)   # per project, every project one of its supporters voted for
        for ids, _ in election.support_sets:
            mask = 0
            for pid in ids:
                mask |= 1 << index[pid]
            for pid in ids:
                self.neighbours[index[pid]] |= mask
        self.near = [[q for q in range(len(projects)) if mask >> q & 1] for mask in self.neighbours]  # as lists
        self.votes = [len(masks) for masks in voter_masks]
        self.free = [i for i in range(len(projects)) if self.votes[i] and not self.cost[i]]
        self.candidates = [i for i in range(len(projects)) if self.votes[i] and self.cost[i]]
        if tie == "pabutools":
            order = sorted(range(len(projects)), key=lambda i: self.ids[i])
        elif tie == "equalshares":
            order = sorted(range(len(projects)), key=lambda i: (self.cost[i], -self.votes[i], self.ids[i]))
        else:
            raise ValueError(f"unknown tie-breaking {tie!r}")
        self.rank = [0] * len(projects)
        for position, i in enumerate(order):
            self.rank[i] = position
        # ρ is at least cost / supporters (an equal split), so ρ/u starts from this bound
        self.initial_lower = {i: Fraction(self.cost[i], self.votes[i] * self.util[i]) for i in self.candidates}
        self.initial_floats = {p: float(v) * (1 - _CLOSE) for p, v in self.initial_lower.items()}  # rounded down
        self.total_cost = sum(self.cost)
        self._histories: dict = {}
        # histories are numbered (mask -> number and back): dicts find small int keys twice as fast
        # as masks of a hundred bits or more, and the money of histories is read a million times a run
        self._numbers: dict = {0: 0}
        self.masks: list = [0]
        # per project p, history h -> the number of h with p added: the payment loop asks this millions
        # of times, and a small int key is found faster than a mask of a hundred bits is built and hashed
        self.successors: list[dict] = [{} for _ in projects]

    def reorder(self, p: int, funded: int, masks: tuple, counts: tuple):
        """Keep p's histories (for `funded`) in this order: the same pairs, sorted by money in the last run."""
        self._histories[(p, funded & self.neighbours[p])] = (masks, counts)

    def histories(self, p: int, funded: int) -> tuple:
        """(histories, numbers of p's supporters with each) once the projects in `funded` are funded.

        Histories are given by their numbers (`history`), not their masks."""
        funded &= self.neighbours[p]         # projects none of p's supporters voted for change nothing
        key = (p, funded)
        found = self._histories.get(key)
        if found is None:
            if len(self._histories) >= self.CACHE_SIZE:
                self._histories.clear()
            counted = Counter(map(funded.__and__, self.voter_masks[p]))
            numbers = tuple(map(self._numbers.get, counted))    # most were numbered before: no call for them
            if None in numbers:
                numbers = tuple(map(self.history, counted))
            found = self._histories[key] = (numbers, tuple(counted.values()))
        return found

    def history(self, mask: int) -> int:
        """A small number for a history mask, the same in every run: small ints make faster dict keys."""
        found = self._numbers.get(mask)
        if found is None:
            found = self._numbers[mask] = len(self.masks)
            self.masks.append(mask)
        return found


@dataclass
class _Run:
    """One run of Equal Shares with a given starting share (real money per voter)."""

    share: Fraction
    sequence: list          # project indices, in the order funded
    payments: list          # (numerator, denominator, supporters who paid ρ): ρ in real money, per funded project
    cost: int               # scaled total cost of the outcome (free projects cost nothing)
    nums: dict              # history (its number) -> money left: nums[h] / denominators[epochs[h]] (scaled)
    epochs: dict
    denominators: list
    floats: list            # history (its number) -> money left as a float, within a few units in the last place


def equal_shares(prep: Prepared, share: Fraction):
    """Equal Shares with each voter starting with `share`.

    Money is exact and integer: a history's money is a numerator over the denominator
    of the "epoch" it was computed in; a new epoch starts when a payment needs a finer
    denominator, and older numerators are scaled only when read.
    """
    scaled = Fraction(share) * prep.scale
    denominators = [scaled.denominator]
    scales = [1]                        # denominators[-1] // denominators[e], per epoch e
    nums = {0: scaled.numerator}        # history (number 0: the empty one) -> money left, over denominators[epochs[h]]
    epochs = {0: 0}                     # the empty history: nobody has paid anything yet
    # the same money as a float: it only guides, exact checks decide. A list indexed by the history's
    # number, 0.0 where nobody has money (reading a list is some twice as fast as dict.get with a
    # default, and money is read tens of millions of times an add-one run); histories numbered
    # during the run are appended with 0.0, as nobody has money in a history before a payment puts it there
    floats = [0.0] * len(prep.masks)
    floats[0] = float(scaled)
    nums_get, floats_get = nums.get, floats.__getitem__
    mask_of = prep.masks
    funded = 0
    votes, cost, util, rank = prep.votes, prep.cost, prep.util, prep.rank
    prep_histories = prep.histories

    def histories(p, funded):
        found = prep_histories(p, funded)
        if len(floats) < len(mask_of):      # histories first met here: nobody in them has money yet
            floats.extend(repeat(0.0, len(mask_of) - len(floats)))
        return found
    remaining = set(prep.candidates)
    # lower bounds of each project's ρ/u, as floats rounded down: valid in every later round
    lower = dict(prep.initial_floats)

    def exact(h):
        num = nums_get(h)
        return num * scales[epochs[h]] if num else 0

    def levels(p):
        """(money, voters, masks, first) of p's supporters' histories, the poorest first; money[first:] is not 0.

        The cache keeps each history list in the order of the last sort: from one step of
        the add-one loop to the next, money moves little, so the order mostly still holds
        and the check replaces the sort.
        """
        masks, counts = histories(p, funded)
        money = list(map(floats_get, masks))
        if not all(map(le, money, islice(money, 1, None))):
            order = sorted(range(len(money)), key=money.__getitem__)
            masks, counts = tuple(map(masks.__getitem__, order)), tuple(map(counts.__getitem__, order))
            money = list(map(money.__getitem__, order))
            prep.reorder(p, funded, masks, counts)
        return money, counts, masks, bisect_right(money, 0.0)

    def split(p, money, counts, first, need):
        """(poor, paid, rich): the first level that pays ρ in full, what those before it have, and who pays ρ.

        Floats: the prefix sums of who has the least find where the money suffices.
        """
        everyone = votes[p]
        paid = list(accumulate(map(mul, money, counts), initial=0.0))
        counted = list(accumulate(counts, initial=0))
        size = len(money)
        poor = bisect_left(range(size), True, first,
                           key=lambda i: money[i] * (everyone - counted[i]) >= need - paid[i])
        return poor, paid[poor], everyone - counted[poor]

    def estimate(p):
        """Float bounds (low, high) on p's ρ/u; None if its supporters surely cannot pay; _EXACT if floats cannot tell.

        Sorted money, prefix sums and a bisection find who pays all they have; the bounds
        hold because no supporter's money is near ρ (else _EXACT).
        """
        money, counts, _, first = levels(p)
        need = cost[p]
        total = sum(map(mul, money, counts))
        if total < need * (1 - _CLOSE):
            return None
        if total <= need * (1 + _CLOSE):
            return _EXACT
        poor, paid, rich = split(p, money, counts, first, need)
        if poor == len(money):
            return _EXACT
        rest = need - paid
        error = need * (len(money) - first + 4) * 2.3e-16      # of the float prefix sums: positive terms below `need`
        if rest <= 4 * error:
            return _EXACT
        low, high = (rest - error) / rich, (rest + error) / rich
        if not bisect_left(money, low * (1 - _CLOSE), first) == poor == bisect_right(money, high * (1 + _CLOSE), first):
            return _EXACT
        return low / util[p] * (1 - _CLOSE), high / util[p] * (1 + _CLOSE)

    def evaluate(p):
        """(ρ/u, R, rich) with ρ = R / (rich * denominator) exactly, or None when its supporters cannot pay its cost.

        Floats find the voters who cannot pay ρ in full; exact integers then compute ρ
        from them and check every voter whose float is near ρ, falling back to an exact
        computation throughout when floats are not clear enough.
        """
        money, counts, masks, first = levels(p)
        total = sum(map(mul, money, counts))
        need = cost[p]
        if total < need * (1 - _CLOSE):
            return None
        if total <= need * (1 + _CLOSE):
            return evaluate_exactly(p)
        poor, _, rich = split(p, money, counts, first, need)
        if not rich:
            return evaluate_exactly(p)
        denominator = denominators[-1]
        rest = need * denominator - sum(map(mul, map(exact, masks[first:poor]), counts[first:poor]))
        if rest <= 0:
            return evaluate_exactly(p)
        rho = rest / (rich * denominator)
        low, high = rho * (1 - _CLOSE), rho * (1 + _CLOSE)
        i = poor - 1
        while i >= first and money[i] >= low:          # who paid all they had must have less than ρ
            if exact(masks[i]) * rich >= rest:
                return evaluate_exactly(p)
            i -= 1
        i = poor
        while i < len(money) and money[i] < high:      # who pays ρ must have at least ρ
            if exact(masks[i]) * rich < rest:
                return evaluate_exactly(p)
            i += 1
        return Fraction(rest, rich * denominator * util[p]), rest, rich

    def evaluate_exactly(p):
        masks, counts = histories(p, funded)
        values = list(map(exact, masks))
        need = cost[p] * denominators[-1]
        if sum(map(mul, values, counts)) < need:
            return None
        paid = 0
        rich = votes[p]
        for b, m in sorted(zip(values, counts)):   # the poorest first; those with nothing left pay nothing
            if need - paid <= b * rich:
                break
            paid += b * m
            rich -= m
        rest = need - paid
        return Fraction(rest, rich * denominators[-1] * util[p]), rest, rich

    def bounds_of(p):
        """(low, high, exact result or None), or None when p cannot be paid for.

        An exact result is evaluate's, with the number of denominators then (its R is in
        units of the denominator of that time).
        """
        found = estimate(p)
        if found is _EXACT:
            found = evaluate(p)
            if found is None:
                return None
            ratio = float(found[0])
            return ratio * (1 - _CLOSE), ratio * (1 + _CLOSE), found + (len(denominators),)
        return None if found is None else (found[0], found[1], None)

    def above(p, bound):
        """None, unless p surely asks more than `bound`: then a float lower bound on its ρ/u (inf: unaffordable).

        A cheaper test than `bounds_of` for a project that only has to lose: no sort, a
        few passes over the money. With f(t) the money p's supporters give at ρ = t (each
        the least of their money and t), ρ > t exactly when f(t) < cost (t just above
        bound·u), and, f being concave, ρ is at least t + (cost - f(t)) / r with r the
        supporters with more than t: a Newton step from below, repeated up to
        NEWTON_STEPS times for a bound that spares tests in later rounds. Floats, made
        safe: who has almost t counts as having t (f only grows and r too, so the step
        only shrinks), and the sums' rounding errors, far below _CLOSE, are covered by it;
        a close call at the first step returns None (the full evaluation decides).
        """
        masks, counts = histories(p, funded)
        t = bound * util[p] * (1 + _CLOSE)
        money = list(map(floats_get, masks))
        products = list(map(mul, money, counts))
        need, everyone = cost[p], votes[p]
        for step in range(NEWTON_STEPS):
            poor = list(map((t * (1 - 2 * _CLOSE)).__gt__, money))     # surely less than t
            rich = everyone - sum(compress(counts, poor))
            given = (sum(compress(products, poor)) + t * rich) * (1 + _CLOSE)
            if given >= need * (1 - _CLOSE):
                # ρ is at least t, known from the step before (t is then above the bound)
                return None if not step else t / util[p] * (1 - _CLOSE)
            if not rich:
                return inf              # all they have is less than the cost
            # more steps make the bound closer to ρ: fewer tests in later rounds
            t = (t + (need - given) / rich) * (1 - _CLOSE)
        return t / util[p] * (1 - _CLOSE)

    sequence, payments = [], []
    fresh: dict = {}                    # bounds (and exact ratio) still true: none of its supporters paid since
    while remaining:
        # the best so far starts from projects whose bounds still hold (free to read): others
        # then only have to lose to it, which `above` tests more cheaply than bounds_of computes
        best = min((found[1] for p, found in fresh.items() if p in remaining), default=inf)
        contenders = []
        for p in sorted(remaining, key=lower.__getitem__):
            if lower[p] > best:
                break                       # it, and every project after it, asks more than the best
            found = fresh.get(p)
            if found is None and best < inf:
                # most projects looked at only have to lose to the best so far: a cheap test first
                floor = above(p, best)
                if floor is not None:
                    if floor == inf:
                        remaining.discard(p)
                    else:
                        lower[p] = floor
                    continue
            found = found or bounds_of(p)
            if found is None:
                remaining.discard(p)
                continue
            fresh[p] = found
            lower[p] = found[0]
            best = min(best, found[1])
            contenders.append((p, found))
        # those that may ask the least: decided exactly, ties to the first in the tie order
        tied, least = [], None
        for p, (low, _, result) in contenders:
            if low > best:
                continue
            if result is None or result[3] != len(denominators):
                result = evaluate(p) + (len(denominators),)
                fresh[p] = (low, fresh[p][1], result)
            if least is None or result[0] < least:
                least, tied = result[0], [(p, result)]
            elif result[0] == least:
                tied.append((p, result))
        if not tied:
            break
        winner, (_, rest, rich, _) = min(tied, key=lambda pf: rank[pf[0]])
        lower.pop(winner, None)
        remaining.discard(winner)
        sequence.append(winner)
        # every supporter with at least ρ pays ρ, the others pay all they have; ρ = rest / (rich * D)
        common = gcd(rest, rich)
        factor, rho = rich // common, rest // common
        if factor > 1:
            denominators.append(denominators[-1] * factor)
            scales = [v * factor for v in scales]
            scales.append(1)
        epoch = len(denominators) - 1
        payments.append((rho, denominators[-1] * prep.scale, rich))    # a Fraction only when explained
        bit = 1 << winner
        denominator = denominators[-1]
        below = float(Fraction(rho, denominator)) * (1 - _CLOSE)
        # float(left) * (1 / float(D)) is within 3 units in the last place of left / D, as the guard needs
        inverse = 1 / float(denominator) if denominator.bit_length() < 900 else None
        number = prep.history
        after_of = prep.successors[winner]
        paying = histories(winner, funded)[0]
        # those with more than ρ (their float above `below`) pay it; the others had less than ρ: they are
        # left with nothing. Both lists are built in full before the loop below writes to floats and nums
        # (it writes only histories with the winner in them, which are not among `paying`)
        paying = list(compress(paying, map(below.__lt__, map(floats_get, paying))))
        lefts = list(map(sub, map(mul, map(nums.__getitem__, paying), map(scales.__getitem__, map(
            epochs.__getitem__, paying))), repeat(rho)))
        for h, left, after in zip(paying, lefts, list(map(after_of.get, paying))):
            if left > 0:
                if after is None:               # numbers never change: the one found once holds in every run
                    after = after_of[h] = number(mask_of[h] | bit)
                    if after >= len(floats):    # numbered just now (older numbers are within floats)
                        floats.extend(repeat(0.0, after + 1 - len(floats)))
                nums[after] = left
                epochs[after] = epoch
                floats[after] = float(left) * inverse if inverse else left / denominator
        funded |= bit
        # what the winner's supporters paid changes only the projects they also voted for
        for q in prep.near[winner]:
            fresh.pop(q, None)
    return _Run(Fraction(share), sequence, payments, sum(cost[p] for p in sequence), nums, epochs,
                denominators, floats)


def explain(prep: Prepared, run: _Run) -> tuple[list[str], dict[str, Reason]]:
    """The funded ids (free projects first, then in order) and a reason for every project."""
    election = prep.election
    reasons: dict[str, Reason] = {}
    selected = [prep.ids[p] for p in prep.free]
    share = run.share
    for p in prep.free:
        reasons[prep.ids[p]] = Reason(prep.ids[p], MES_FUNDED, {
            "cost": 0, "rho": 0, "supporters": prep.votes[p], "paid_rho": prep.votes[p], "paid_all": 0,
            "share": share, "round": 0})
    for position, (p, (numerator, denominator, rich)) in enumerate(zip(run.sequence, run.payments), 1):
        rho = Fraction(numerator, denominator)
        pid = prep.ids[p]
        selected.append(pid)
        reasons[pid] = Reason(pid, MES_FUNDED, {
            "cost": election.by_id[pid].cost, "rho": as_money(rho), "supporters": prep.votes[p], "paid_rho": rich,
            "paid_all": prep.votes[p] - rich, "share": as_money(share), "round": position})
    chosen = set(run.sequence)
    funded = 0
    for p in run.sequence:
        funded |= 1 << p
    for p, pid in enumerate(prep.ids):
        if pid in reasons:
            continue
        cost = election.by_id[pid].cost
        if not prep.votes[p]:
            reasons[pid] = Reason(pid, NO_SUPPORTERS, {"cost": cost})
        elif p not in chosen:
            total = Fraction(0)
            for h, m in zip(*prep.histories(p, funded)):
                if h in run.nums:
                    total += Fraction(run.nums[h] * m, run.denominators[run.epochs[h]])
            reasons[pid] = Reason(pid, MES_UNAFFORDABLE, {"cost": cost, "supporters": prep.votes[p],
                                                          "money": as_money(total / prep.scale)})
    return selected, reasons
