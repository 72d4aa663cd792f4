"""Benchmark: the allocation rules against pabutools, and on every shared Pabulib file.

    .venv/bin/python benchmarks/allocation.py [--skip-pabutools] [--limit SECONDS] [--files PATTERN]

1. Łódź 2022 (90,494 approval ballots, 160 projects): `greedy` and `mes-cost`, ours with
   the file reading included, against pabutools 1.2.3 (its parse and its rule timed
   apart); prints the ratio and checks that both select the same projects.
2. Every rule on every file in ../shared/data/pabulib: CPU seconds per rule (reading
   the file, then the rule on the parsed election), a star where it takes 5 s or more;
   `village-quotas` runs only where the file has neighbourhood budgets (Amsterdam).
   For the five rules that are pabutools calls, "=" or "≠" compares the outcome on
   approval files with pabutools' recorded one (pabutools-outcomes.json).

Times are CPU seconds (time.process_time), which other jobs on the machine do not
inflate. The compiled add-one kernel is made ready first and timed apart. A rule that
does not finish within --limit CPU seconds (default 120) is reported as such.
"""
import argparse
import json
import signal
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from pb.allocation import RULES, allocate  # noqa: E402
from pb.allocation.pabulib import read  # noqa: E402

DATA = ROOT.parent / "shared" / "data" / "pabulib"
TARGET = 5.0
PABUTOOLS_KEYS = {"greedy": "greedy_cost", "mes-cost": "mes_cost", "mes-card": "mes_card",
                  "mes-cost-greedy": "mes_cost+greedy_cost", "mes-cost-add1": "mes_cost_add1"}
SHORT = {"greedy": "greedy", "greedy-no-skip": "no-skip", "mes-cost": "mes-cost", "mes-card": "mes-card",
         "mes-cost-greedy": "mes+gr", "mes-cost-add1": "mes-add1", "equalshares": "es",
         "equalshares-comparison": "es-cmp", "equalshares-add1": "es-add1",
         "equalshares-add1-comparison": "es-add1-cmp", "village-quotas": "quotas"}


class TooLong(Exception):
    pass


def _alarm(signum, frame):
    raise TooLong


def timed(function, limit):
    """(result, CPU seconds), or (None, None) when it takes more than `limit` CPU seconds.

    CPU time, not wall time: on a machine shared with other jobs it is what the code
    costs (both sides are single-threaded, so on an idle machine the two are equal).
    """
    signal.signal(signal.SIGPROF, _alarm)
    signal.setitimer(signal.ITIMER_PROF, limit)
    start = time.process_time()
    try:
        return function(), time.process_time() - start
    except TooLong:
        return None, None
    finally:
        signal.setitimer(signal.ITIMER_PROF, 0)


def against_pabutools(limit):
    from pabutools.election import Cost_Sat, parse_pabulib
    from pabutools.rules import greedy_utilitarian_welfare, method_of_equal_shares

    path = DATA / "Poland_Lodz_2022.pb"
    print(f"Łódź 2022 ({path.name}): ours (reading included) against pabutools 1.2.3")
    (instance, profile), parse_seconds = timed(lambda: parse_pabulib(str(path)), limit)
    print(f"  pabutools parse_pabulib: {parse_seconds:.2f} s")
    calls = {"greedy": lambda: greedy_utilitarian_welfare(instance, profile, sat_class=Cost_Sat),
             "mes-cost": lambda: method_of_equal_shares(instance, profile, sat_class=Cost_Sat)}
    for rule, call in calls.items():
        ours, our_seconds = timed(lambda: allocate(read(path).election(), rule), limit)
        theirs, their_seconds = timed(call, limit)
        if theirs is None:
            print(f"  {rule:<9} ours {our_seconds:.3f} s; pabutools did not finish within {limit:.0f} s")
            continue
        same = sorted(ours.selected) == sorted(p.name for p in theirs)
        print(f"  {rule:<9} ours {our_seconds:.3f} s, pabutools {their_seconds:.2f} s "
              f"(+ {parse_seconds:.2f} s parse): {their_seconds / our_seconds:.0f}x faster "
              f"({(their_seconds + parse_seconds) / our_seconds:.0f}x with pabutools' parse), "
              f"{'same' if same else 'DIFFERENT'} outcome")
    print()


def quota_options(data, election):
    """Neighbourhood budgets as weights, where the file has them (Amsterdam's budget_per_neighborhood)."""
    names, amounts = data.meta.get("neighborhoods"), data.meta.get("budget_per_neighborhood")
    if not (names and amounts) or "neighborhood" not in data.project_columns:
        return None
    weights = dict(zip(names.split(","), amounts.split(",")))
    return {"weights": weights, "inner": "greedy"}


def table(limit, pattern):
    outcomes = json.loads((DATA / "pabutools-outcomes.json").read_text(encoding="utf-8"))
    rules = list(RULES)
    print(f"Every rule on every file: CPU seconds (read = reading the file; * = {TARGET:.0f} s or more with the read; "
          f"=/≠ = pabutools' recorded outcome)")
    print(f"{'file':<34}{'read':>6}" + "".join(f"{SHORT[r]:>12}" for r in rules))
    slowest = (0.0, "")
    for path in sorted(DATA.glob(pattern)):
        start = time.process_time()
        data = read(path)
        group = "neighborhood" if "neighborhood" in data.project_columns else None
        election = data.election(group_column=group)
        read_seconds = time.process_time() - start
        cells = []
        for rule in rules:
            election = data.election(group_column=group)    # a fresh one: no rule profits from another's caches
            options = {}
            if rule == "village-quotas":
                options = quota_options(data, election)
                if options is None:
                    cells.append(f"{'-':>12}")
                    continue
            outcome, seconds = timed(lambda: allocate(election, rule, **options), limit)
            if outcome is None:
                cells.append(f"{'>' + str(int(limit)):>12}")
                slowest = max(slowest, (float("inf"), f"{rule} on {path.name}"))
                continue
            total = seconds + read_seconds
            slowest = max(slowest, (total, f"{rule} on {path.name}"))
            mark = "*" if total >= TARGET else " "
            recorded = outcomes.get(path.name, {}).get(PABUTOOLS_KEYS.get(rule, ""), None)
            if election.kind == "approval" and isinstance(recorded, list):
                mark += "=" if sorted(outcome.selected) == sorted(recorded) else "≠"
            else:
                mark += " "
            cells.append(f"{seconds:>10.2f}{mark}")
        print(f"{path.stem[:33]:<34}{read_seconds:>6.2f}" + "".join(cells), flush=True)
    print(f"slowest: {slowest[1]} ({slowest[0]:.2f} s with the read)")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--skip-pabutools", action="store_true", help="only our side (pabutools takes minutes)")
    parser.add_argument("--limit", type=float, default=120.0, help="seconds before a rule is given up")
    parser.add_argument("--files", default="*.pb", help="a glob in the data folder")
    args = parser.parse_args()
    if not DATA.exists():
        sys.exit(f"{DATA} is missing: the shared Pabulib data lives beside the clone")
    start = time.process_time()
    from pb.allocation.interval import warm     # numba: compiled once per version, then read from disk
    warm()
    print(f"The add-one kernel: ready in {time.process_time() - start:.2f} s (importing numba and reading "
          "the compiled code kept on disk; the first time, compiling it)\n")
    if not args.skip_pabutools:
        against_pabutools(max(args.limit, 300.0))
    table(args.limit, args.files)


if __name__ == "__main__":
    main()
