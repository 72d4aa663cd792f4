"""Simulated voters at kiosks: each takes a while to fill in a ballot, then the kiosk sends it and
retries with the same key, as the real kiosk does, until the server acknowledges it."""
import asyncio
import random
import time
import uuid
from dataclasses import dataclass, field

import aiohttp

# the kiosk's sync endpoint (pb/voting/kiosk_views.py)
SYNC_URL = "/kiosk/api/ballots"
TOKEN_COOKIE = "ashar_kiosk"
ACKNOWLEDGED = ("counted", "duplicate")
REQUEST_TIMEOUT = 10  # seconds; a request that hangs longer is retried
RUN_LIMIT = 300  # seconds; the run stops by itself, and what is not acknowledged by then is reported


@dataclass
class Ballot:
    code: str
    token: str
    choices: dict
    key: str = field(default_factory=lambda: uuid.uuid4().hex)
    receipt: str = ""  # the kiosk's own, shown to the voter even offline
    cast_at: str = ""
    answer: dict | None = None
    sent_at: float = 0.0
    latency: float = 0.0
    attempts: int = 0
    errors: list = field(default_factory=list)


@dataclass
class Run:
    ballots: list
    started: float = 0.0
    finished: float = 0.0
    kill_at: float | None = None  # when a worker was killed, seconds into the run

    @property
    def acknowledged(self):
        return [b for b in self.ballots if b.answer and b.answer.get("status") in ACKNOWLEDGED]

    @property
    def refused(self):
        return [b for b in self.ballots if b.answer and b.answer.get("status") not in ACKNOWLEDGED]

    @property
    def retried(self):
        return sum(1 for b in self.ballots if b.attempts > 1)


def make_ballots(clear_codes, tokens, proposal_ids, max_choices, local_now):
    from pb.voting import codes

    rng = random.Random(2027)
    ballots = []
    for n, code in enumerate(clear_codes):
        chosen = {str(pid): 1 for pid in rng.sample(proposal_ids, rng.randint(1, max_choices))}  # as kiosk.js sends
        ballots.append(Ballot(code=codes.display(code), token=tokens[n % len(tokens)], choices=chosen,
                              receipt=codes.new_receipt(), cast_at=local_now().isoformat(timespec="seconds")))
    return ballots


async def _send(session, base_url, ballot):
    item = {"key": ballot.key, "code": ballot.code, "receipt": ballot.receipt,
            "choices": ballot.choices, "cast_at": ballot.cast_at}
    async with session.post(base_url + SYNC_URL, json={"items": [item]},
                            headers={"Cookie": f"{TOKEN_COOKIE}={ballot.token}"}) as response:
        if response.status >= 500 or response.status == 429:
            return None, f"HTTP {response.status}"
        if response.status != 200:
            raise RuntimeError(f"HTTP {response.status}: {(await response.text())[:300]}")
        data = await response.json()
        return data["results"][0], None


async def _cast(session, base_url, ballot, deadline):
    ballot.sent_at = time.perf_counter()
    backoff = 0.05
    while time.perf_counter() < deadline:
        ballot.attempts += 1
        try:
            answer, error = await _send(session, base_url, ballot)
        except (aiohttp.ClientError, asyncio.TimeoutError, ConnectionError) as exc:
            answer, error = None, type(exc).__name__
        if answer is not None:
            ballot.answer = answer
            ballot.latency = time.perf_counter() - ballot.sent_at
            return
        ballot.errors.append(error)
        await asyncio.sleep(backoff * random.uniform(0.5, 1.5))
        backoff = min(backoff * 2, 1.0)


async def _voter(session, base_url, queue, think, deadline):
    first = True
    while True:
        try:
            ballot = queue.get_nowait()
        except asyncio.QueueEmpty:
            return
        # the first voters arrive spread over one think time, so that the run ramps up
        await asyncio.sleep(random.uniform(0, 2 * think) if first else random.uniform(0.5 * think, 1.5 * think))
        first = False
        await _cast(session, base_url, ballot, deadline)


async def _drive(base_url, ballots, voters, think, on_progress):
    queue = asyncio.Queue()
    for ballot in ballots:
        queue.put_nowait(ballot)
    run = Run(ballots)
    timeout = aiohttp.ClientTimeout(total=REQUEST_TIMEOUT)
    # idle connections are dropped before the server's keep-alive (5 s) would drop them under a request
    connector = aiohttp.TCPConnector(limit=voters, limit_per_host=voters, keepalive_timeout=3)
    async with aiohttp.ClientSession(timeout=timeout, connector=connector) as session:
        run.started = time.perf_counter()
        deadline = run.started + RUN_LIMIT
        tasks = [asyncio.create_task(_voter(session, base_url, queue, think, deadline)) for _ in range(voters)]
        watcher = asyncio.create_task(on_progress(run)) if on_progress else None
        await asyncio.gather(*tasks)
        run.finished = time.perf_counter()
        if watcher:
            watcher.cancel()
    return run


def drive(base_url, ballots, voters, think, on_progress=None):
    """Cast every ballot with `voters` voters at once, each taking about `think` seconds per ballot."""
    return asyncio.run(_drive(base_url, ballots, voters, think, on_progress))


def percentile(values, p):
    if not values:
        return float("nan")
    ordered = sorted(values)
    rank = min(len(ordered) - 1, max(0, round(p / 100 * len(ordered) + 0.5) - 1))
    return ordered[rank]
