"""Benchmark: concurrent voters casting ballots at kiosks, against gunicorn on PostgreSQL and SQLite.

    .venv/bin/python benchmarks/voting_load.py [--db postgresql|sqlite] [--voters 300] [--workers N]
                                               [--kill-worker] [--ballots 6000] [--think 0.85]

For each database (both by default) it makes a fresh database (PostgreSQL: ashar_bench, dropped after;
SQLite: a file with the default WAL set-up in a temporary folder), migrates it, sets up an open round
with 10 proposals, 10 kiosks and one voting code per ballot through the services (not timed), starts
gunicorn on a free local port, and lets the voters cast: each takes a while to fill in a ballot, then
its kiosk sends it through the sync endpoint and retries with the same key on a lost connection or a
5xx until it is acknowledged. Without --kill-worker or --no-kill both runs are made, one of them
with a gunicorn worker killed (SIGKILL) when 40% of the ballots are in. At the end the database must
hold exactly the ballots acknowledged, none twice, each with the receipt its voter was shown, and
exactly their codes spent; the script exits 1 otherwise. Traffic goes to 127.0.0.1 only.
"""
import argparse
import asyncio
import os
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import voting_load_cpu as cpu
import voting_load_voters as voters
import voting_load_world as world

TARGET_RATE, TARGET_P95 = 300, 0.150  # ballots per second and seconds, on PostgreSQL
CORES = os.cpu_count()
KILL_AT = 0.4  # share of the ballots acknowledged when a worker is killed
GUNICORN = Path(sys.executable).with_name("gunicorn")


def _free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _children(pid):
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                found.append(int(entry.name))
    return sorted(found)


class Gunicorn:
    """gunicorn serving wsgi:app on a free local port, stopped on leaving the with block."""

    def __init__(self, env, workdir, workers, worker_class, threads):
        self.port = _free_port()
        self.workers = workers
        self.log = Path(workdir) / "gunicorn.log"
        # gunicorn makes sync workers threaded when given threads: a sync worker gets one
        threads = threads if worker_class == "gthread" else 1
        args = [str(GUNICORN), "--bind", f"127.0.0.1:{self.port}", "--workers", str(workers),
                "--worker-class", worker_class, "--threads", str(threads), "--timeout", "30",
                "--graceful-timeout", "5", "--keep-alive", "5", "--backlog", "2048",
                "--error-logfile", str(self.log), "wsgi:app"]
        self.process = subprocess.Popen(args, cwd=world.ROOT, env=env, stdout=subprocess.DEVNULL,
                                        stderr=subprocess.DEVNULL)

    @property
    def url(self):
        return f"http://127.0.0.1:{self.port}"

    def __enter__(self):
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise SystemExit(f"gunicorn stopped at start; see {self.log}")
            if len(_children(self.process.pid)) >= self.workers:
                try:
                    urllib.request.urlopen(self.url + "/robots.txt", timeout=2).close()
                    return self
                except OSError as exc:
                    if getattr(exc, "code", 0) and exc.code < 500:
                        return self
            time.sleep(0.2)
        self.__exit__()
        raise SystemExit(f"gunicorn did not start in 60 s; see {self.log}")

    def __exit__(self, *exc):
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def kill_one_worker(self):
        """SIGKILL one worker, as a crash would; the master starts another in its place."""
        workers = _children(self.process.pid)
        if workers:
            os.kill(workers[0], signal.SIGKILL)
            return workers[0]
        return None


def run_one(kind, kill, args):
    """One database, one run; returns the row of the table."""
    workdir = tempfile.mkdtemp(prefix=f"ashar-vbench-{kind}-")
    secret = secrets.token_hex(16)  # fixed for the run: the codes' hashes depend on it
    url = world.database_url(kind, workdir)
    keep = args.keep
    try:
        world.fresh_database(kind, url, secret, workdir)
        round_id, proposal_ids, tokens, clear = world.build_round(url, secret, workdir, args.ballots)
        from pb.core.models import local_now

        ballots = voters.make_ballots(clear, tokens, proposal_ids, world.MAX_CHOICES, local_now)
        env = world.app_environment(url, secret, workdir)
        with Gunicorn(env, workdir, args.workers, args.worker_class, args.threads) as server:
            killed = []

            async def watch(run):
                if not kill:
                    return
                while len(run.acknowledged) < KILL_AT * len(run.ballots):
                    await asyncio.sleep(0.05)
                killed.append(server.kill_one_worker())
                run.kill_at = time.perf_counter() - run.started

            meter = cpu.CpuMeter(lambda: _children(server.process.pid),
                                 lambda: cpu.database_backends(world.PG_DATABASE) if kind == "postgresql" else [])
            if args.wait_idle:
                cpu.wait_until_idle(0.85, args.wait_idle)
            meter.start()
            run = voters.drive(server.url, ballots, args.voters, args.think, watch)
            used = meter.stop()
            if kill and not killed:
                raise SystemExit("the run ended before a worker could be killed; give it more --ballots")
        acked = {b.key: (b.answer.get("receipt", ""), b.code) for b in run.acknowledged}
        check = world.check_stored(url, secret, round_id, acked, sum(len(b.choices) for b in run.acknowledged))
        row = _row(kind, kill, args, run, check)
        row["cpu"] = used
        keep = keep or not row["ok"]
        if keep:
            print(f"  ({kind}: the database and the server's log are kept in {workdir})", file=sys.stderr)
        return row
    finally:
        if not keep:
            world.drop_database(kind)
            shutil.rmtree(workdir, ignore_errors=True)


def _row(kind, kill, args, run, check):
    acked = run.acknowledged
    latencies = [b.latency for b in acked]
    seconds = run.finished - run.started
    errors = [e for b in run.ballots for e in b.errors]
    consistent = (len(acked) == check["stored"] and not check["not_stored"] and not check["not_acked"]
                  and not check["double_keys"] and not check["double_receipts"] and not check["wrong_receipt"]
                  and not check["codes_not_spent"] and not check["codes_spent_unacked"]
                  and not check["choices_missing"])
    return dict(
        kind=kind, kill=kill, voters=args.voters, sent=len(run.ballots), acked=len(acked), **check,
        lost=len(run.ballots) - len(acked) - len(run.refused), refused_answers=len(run.refused),
        retried=run.retried, errors=len(errors), error_kinds=sorted(set(errors)),
        seconds=seconds, rate=len(acked) / seconds if seconds else 0.0,
        p50=voters.percentile(latencies, 50), p95=voters.percentile(latencies, 95),
        p99=voters.percentile(latencies, 99), mean=statistics.fmean(latencies) if latencies else 0.0,
        kill_at=run.kill_at, ok=consistent and len(acked) == len(run.ballots),
    )


def print_table(rows, args):
    head = (f"{'database':<11}{'worker killed':>14}{'voters':>7}{'ballots':>8}{'acked':>7}{'stored':>7}"
            f"{'doubles':>8}{'retried':>8}{'ballots/s':>10}{'p50 ms':>8}{'p95 ms':>8}{'p99 ms':>8}  result")
    print(f"\n{args.workers} gunicorn workers ({args.worker_class}, {args.threads} threads each); "
          f"each voter takes {args.think:.2f} s on average to fill in a ballot")
    print(head)
    print("-" * len(head))
    for r in rows:
        killed = f"at {r['kill_at']:.1f} s" if r["kill"] else "no"
        result = "ok" if r["ok"] else "MISMATCH"
        print(f"{r['kind']:<11}{killed:>14}{r['voters']:>7}{r['sent']:>8}{r['acked']:>7}{r['stored']:>7}"
              f"{r['double_keys'] + r['double_receipts']:>8}{r['retried']:>8}{r['rate']:>10.0f}"
              f"{r['p50'] * 1000:>8.0f}{r['p95'] * 1000:>8.0f}{r['p99'] * 1000:>8.0f}  {result}")
    for r in rows:
        problems = {k: r[k] for k in ("not_stored", "not_acked", "wrong_receipt", "codes_not_spent",
                                      "codes_spent_unacked", "choices_missing", "lost", "refused_answers")
                    if r[k]}
        if problems:
            print(f"  {r['kind']}, killed={r['kill']}: {problems}")
        if r["errors"]:
            print(f"  {r['kind']}, killed={r['kill']}: {r['errors']} failed attempts retried "
                  f"({', '.join(r['error_kinds'])})")
    print(f"\n{'database':<11}{'worker killed':>14}   CPU ms per ballot: {'voters':>7}{'app':>6}{'database':>9}"
          f"   the {CORES} cores busy{'':>3}other programs")
    for r in rows:
        used, n = r["cpu"], max(r["acked"], 1)
        killed = "yes" if r["kill"] else "no"
        share = 100 / (used["wall"] * CORES)
        print(f"{r['kind']:<11}{killed:>14}{'':>22}{used['voters'] * 1000 / n:>7.2f}{used['app'] * 1000 / n:>6.2f}"
              f"{used['db'] * 1000 / n:>9.2f}{used['machine'] * share:>17.0f}%{used['others'] * share:>16.0f}%")
    print("(SQLite works inside the app's processes; other programs are whatever else ran on the machine)")
    for r in rows:
        if r["kind"] == "postgresql" and not r["kill"]:
            met = r["rate"] >= TARGET_RATE and r["p95"] < TARGET_P95
            print(f"target on PostgreSQL (>= {TARGET_RATE} ballots/s, p95 < {TARGET_P95 * 1000:.0f} ms): "
                  f"{'met' if met else 'NOT met'}")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", choices=["postgresql", "sqlite"], action="append",
                        help="the database (both when not given)")
    parser.add_argument("--voters", type=int, default=300, help="voters casting at the same time")
    parser.add_argument("--ballots", type=int, default=6000, help="ballots in all, each with its own code")
    parser.add_argument("--think", type=float, default=0.85,
                        help="mean seconds a voter takes to fill in a ballot before it is sent")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers (gunicorn.conf.py has 2)")
    parser.add_argument("--worker-class", default="gthread", choices=["sync", "gthread"])
    parser.add_argument("--threads", type=int, default=4, help="threads per gthread worker")
    kill = parser.add_mutually_exclusive_group()
    kill.add_argument("--kill-worker", action="store_true", help="only the run with a worker killed")
    kill.add_argument("--no-kill", action="store_true", help="only the run without")
    parser.add_argument("--keep", action="store_true", help="keep the database and the server's log")
    parser.add_argument("--wait-idle", type=float, default=0, metavar="SECONDS",
                        help="on a shared machine, wait up to this long for it to be idle before each run")
    args = parser.parse_args(argv)
    kinds = args.db or ["postgresql", "sqlite"]
    kills = [True] if args.kill_worker else [False] if args.no_kill else [False, True]
    rows = []
    for kind in kinds:
        for kill in kills:
            print(f"{kind}, {'a worker killed' if kill else 'no worker killed'}: "
                  f"{args.ballots} ballots, {args.voters} voters ...", file=sys.stderr, flush=True)
            rows.append(run_one(kind, kill, args))
    print_table(rows, args)
    if not all(r["acked"] == r["stored"] and r["ok"] for r in rows):
        print("acknowledged and stored ballots differ", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
