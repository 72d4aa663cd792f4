"""Simulated voters at kiosks: each takes a while to fill in a ballot, then the kiosk sends it and
retries with the same key, as the real kiosk does, until the server acknowledges it.

The voters share the two cores with the server, so they speak HTTP/1.1 themselves over asyncio streams
(one kept-alive connection per voter, as a tablet's browser keeps one), which costs a few times less
CPU per request than a general HTTP client would.
"""
import asyncio
import json
import random
import time
import uuid
from dataclasses import dataclass, field
from urllib.parse import urlsplit

# the kiosk's sync endpoint (pb/voting/kiosk_views.py)
SYNC_URL = "/kiosk/api/ballots"
TOKEN_COOKIE = "ashar_kiosk"
ACKNOWLEDGED = ("counted", "duplicate")
REQUEST_TIMEOUT = 10  # seconds; a request that hangs longer is retried
RUN_LIMIT = 300  # seconds; the run stops by itself, and what is not acknowledged by then is reported
IDLE_CLOSE = 3  # seconds; a connection idle this long is closed before the server's keep-alive (5 s) drops it


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

    def request(self, host):
        """The kiosk's request, as static/js/kiosk-queue.js sends one queued ballot."""
        item = {"key": self.key, "code": self.code, "receipt": self.receipt, "choices": self.choices,
                "cast_at": self.cast_at}
        body = json.dumps({"items": [item]}).encode()
        head = (f"POST {SYNC_URL} HTTP/1.1\r\nHost: {host}\r\nContent-Type: application/json\r\n"
                f"Accept: application/json\r\nCookie: {TOKEN_COOKIE}={self.token}\r\n"
                f"Content-Length: {len(body)}\r\n\r\n")
        return head.encode() + body


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


class _Connection:
    """One voter's kept-alive connection to the server, opened again when it was lost or left idle."""

    def __init__(self, host, port):
        self.host, self.port = host, port
        self.reader = self.writer = None
        self.used = 0.0

    async def exchange(self, request):
        """Send the request, return (status, body); raises ConnectionError or TimeoutError on failure."""
        if self.writer is not None and time.perf_counter() - self.used > IDLE_CLOSE:
            self.close()
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection(self.host, self.port)
        try:
            self.writer.write(request)
            head = await self.reader.readuntil(b"\r\n\r\n")
            status, length, close = _parse_head(head)
            body = await self.reader.readexactly(length)
        except (asyncio.IncompleteReadError, asyncio.LimitOverrunError, OSError) as exc:
            self.close()
            raise ConnectionError(type(exc).__name__) from exc
        if close:
            self.close()
        self.used = time.perf_counter()
        return status, body

    def close(self):
        if self.writer is not None:
            self.writer.close()
        self.reader = self.writer = None


def _parse_head(head):
    lines = head.split(b"\r\n")
    status = int(lines[0].split(b" ", 2)[1])
    length, close = 0, False
    for line in lines[1:]:
        name, _, value = line.partition(b":")
        name = name.strip().lower()
        if name == b"content-length":
            length = int(value)
        elif name == b"connection":
            close = value.strip().lower() == b"close"
    return status, length, close


async def _send(connection, request):
    try:
        async with asyncio.timeout(REQUEST_TIMEOUT):
            status, body = await connection.exchange(request)
    except TimeoutError:
        connection.close()  # the answer may still come: it must not be read as the next request's
        raise
    if status >= 500 or status == 429:
        return None, f"HTTP {status}"
    if status != 200:
        raise RuntimeError(f"HTTP {status}: {body[:300]!r}")
    return json.loads(body)["results"][0], None


async def _cast(connection, ballot, deadline):
    request = ballot.request(connection.host)
    ballot.sent_at = time.perf_counter()
    backoff = 0.05
    while time.perf_counter() < deadline:
        ballot.attempts += 1
        try:
            answer, error = await _send(connection, request)
        except (TimeoutError, ConnectionError, OSError) as exc:
            answer, error = None, type(exc).__name__
        if answer is not None:
            ballot.answer = answer
            ballot.latency = time.perf_counter() - ballot.sent_at
            return
        ballot.errors.append(error)
        await asyncio.sleep(backoff * random.uniform(0.5, 1.5))
        backoff = min(backoff * 2, 1.0)


async def _voter(host, port, queue, think, deadline):
    connection = _Connection(host, port)
    first = True
    try:
        while True:
            try:
                ballot = queue.get_nowait()
            except asyncio.QueueEmpty:
                return
            # the first voters arrive spread over one think time, so that the run ramps up
            await asyncio.sleep(random.uniform(0, 2 * think) if first else random.uniform(0.5 * think, 1.5 * think))
            first = False
            await _cast(connection, ballot, deadline)
    finally:
        connection.close()


async def _drive(base_url, ballots, voters, think, on_progress):
    address = urlsplit(base_url)
    queue = asyncio.Queue()
    for ballot in ballots:
        queue.put_nowait(ballot)
    run = Run(ballots)
    run.started = time.perf_counter()
    deadline = run.started + RUN_LIMIT
    tasks = [asyncio.create_task(_voter(address.hostname, address.port, queue, think, deadline))
             for _ in range(voters)]
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
