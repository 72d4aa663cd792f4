"""The "add one" completion of Equal Shares: raise every voter's share by one unit of money at a time.

Shares are start, start + 1, start + 2, ...; each step is a run of Equal Shares, and a
stop rule decides which step's outcome is kept (see `add_one`). Elections need hundreds
to tens of thousands of steps. Each step is run by the compiled interval run
(`interval.py`), exact wherever its floats decide clearly and replaced by an exact run
(`mes.equal_shares`) where they do not; and whole stretches of steps are skipped where
one interval run over the stretch proves that every share in it funds the same projects.
"""
from __future__ import annotations

from fractions import Fraction
from math import ceil, floor

from pb.allocation.mes import Prepared, _Run, equal_shares


def exhaustive(prep: Prepared, sequence: list) -> bool:
    """No supported project outside the outcome fits the money left (pabutools' test in its add-one loop)."""
    chosen = set(sequence)
    left = prep.budget - sum(prep.cost[p] for p in sequence)
    return not any(p not in chosen and prep.cost[p] <= left for p in prep.candidates)


def add_one(prep: Prepared, start: Fraction, stop: str) -> tuple[_Run, dict]:
    """The share-raising loop of the add-one completion, in one of its two stop rules.

    stop="exhaustive" (pabutools' `voter_budget_increment=1`): stop at the first outcome
    that leaves no room for another supported project (exhaustive) and keep it, or at the
    first that costs more than the budget and keep the one before.

    stop="fits" (equalshares.net, Pabulib's `equalshares/add1`): keep raising while the
    next outcome still fits the budget; keep the last that fits.

    Both stop, and keep the current outcome, once the share is at least the cost of all
    projects: from there on every supported project is funded at every larger share.

    Skipping is exact: a stretch that an interval run proves funds the same projects at
    every step has the cost and exhaustiveness (all the stop rules look at) of its first
    step, and no stop can fall strictly inside it; a stretch never reaches past the first
    share that covers every project. Proofs double their stride while they succeed and
    halve it when one fails; a plain step decides where no proof of two steps or more
    holds, and after it proofs start again at the last stride that held, once a plain
    step keeps the projects. A proof that fails where two projects' ρ/u cross (by their
    lines, `Kernel.guess`) is next tried short of the crossing. Returns the final exact
    run and notes (its share, the number of steps, how many runs it took).
    """
    if stop not in ("exhaustive", "fits"):
        raise ValueError(f"unknown stop rule {stop!r}")
    from pb.allocation.interval import kernel   # here: numba takes half a second to import, and few need it
    fast = kernel(prep)
    runs = {"interval": 0, "exact": 0}

    def step(share):
        """The projects Equal Shares funds at one share, in an order it may fund them."""
        runs["interval"] += 1
        found = fast.run(share, share)
        if found is None:
            runs["exact"] += 1
            found = equal_shares(prep, share).sequence
        return found

    total = Fraction(prep.total_cost, prep.scale)
    sequence = step(start)
    last = 0                            # the step whose projects are `sequence`
    stride, reach = 2, 2                # the next proof's stride (0: a plain step first); the last that held
    failed = False                      # whether the last proof failed
    while True:
        share = start + last
        if share >= total or (stop == "exhaustive" and exhaustive(prep, sequence)):
            break
        stride = min(stride, ceil(total - share))   # not past the first share that covers every project
        if stride >= 2:
            runs["interval"] += 1
            if fast.run(share, share + stride, sequence) is not None:
                last += stride
                reach = stride
                if not failed:
                    stride *= 2         # after a failure at twice this stride, this one again
                failed = False
                continue
            stride //= 2
            if fast.guess is not None:      # where two projects' lines cross: no longer stride than that
                stride = min(stride, floor(fast.guess - share))
            failed = True
            if stride >= 2:
                continue
        following = step(share + 1)
        if sum(prep.cost[p] for p in following) > prep.budget:
            break                       # both rules keep the outcome of the step before
        stride = reach if following == sequence else 0
        sequence, last, failed = following, last + 1, False
    final_share = start + last
    run = equal_shares(prep, final_share)   # exact, for its rounds and payments
    runs["exact"] += 1
    if set(run.sequence) != set(sequence):
        raise AssertionError("the interval runs and the exact run disagree")
    return run, {"share": final_share, "steps": last, "runs": runs["interval"] + runs["exact"],
                 "exact_runs": runs["exact"]}
