"""The voting load benchmark's world: a fresh database, a round set up through the services, and the
count of what was stored, to hold against what the voters were told."""
import os
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import sqlalchemy as sa

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from config import Config  # noqa: E402

PG_SERVER = os.environ.get("BENCH_PG_SERVER", "postgresql+psycopg://postgres@127.0.0.1:5432")
# another clone on the same server may be benchmarking too: BENCH_PG_DATABASE keeps the runs apart
PG_DATABASE = os.environ.get("BENCH_PG_DATABASE", "ashar_bench")
PROPOSALS = 10
KIOSKS = 10
MAX_CHOICES = 3


def database_url(kind, workdir):
    if kind == "postgresql":
        return f"{PG_SERVER}/{PG_DATABASE}"
    return f"sqlite:///{Path(workdir) / 'ashar.db'}"


def app_environment(url, secret, workdir):
    """The environment the migrations and gunicorn run in: this database, this secret, files in workdir."""
    env = {k: v for k, v in os.environ.items() if k not in ("REDIS_URL", "ASHAR_ENV")}
    env.update(DATABASE_URL=url, SECRET_KEY=secret, MAIL_OUTBOX_DIR=str(Path(workdir) / "outbox"),
               UPLOAD_DIR=str(Path(workdir) / "uploads"), PYTHONPATH=str(ROOT))
    return env


def _pg_admin():
    return sa.create_engine(f"{PG_SERVER}/postgres", isolation_level="AUTOCOMMIT")


def drop_database(kind):
    if kind != "postgresql":
        return
    admin = _pg_admin()
    with admin.connect() as conn:
        conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{PG_DATABASE}" WITH (FORCE)'))
    admin.dispose()


def fresh_database(kind, url, secret, workdir):
    """An empty database of this kind, migrated to head with `flask db upgrade`."""
    if kind == "postgresql":
        drop_database(kind)
        admin = _pg_admin()
        with admin.connect() as conn:
            conn.execute(sa.text(f'CREATE DATABASE "{PG_DATABASE}"'))
        admin.dispose()
    done = subprocess.run([sys.executable, "-m", "flask", "--app", "wsgi", "db", "upgrade"], cwd=ROOT,
                          env=app_environment(url, secret, workdir), capture_output=True, text=True)
    if done.returncode:
        raise SystemExit(f"flask db upgrade failed:\n{done.stderr[-3000:]}")


def build_round(url, secret, workdir, n_codes):
    """A municipality, a budget with PROPOSALS proposals on the ballot, an open approval round (1 to
    MAX_CHOICES choices), KIOSKS kiosks and n_codes voting codes, all through the services.

    Returns (round id, proposal ids, kiosk tokens, clear codes)."""
    from pb import create_app
    from pb.extensions import db

    class BenchConfig(Config):
        SQLALCHEMY_DATABASE_URI = url
        SECRET_KEY = secret
        MAIL_OUTBOX_DIR = str(Path(workdir) / "outbox")
        UPLOAD_DIR = str(Path(workdir) / "uploads")
        MAIL_SERVER = None

    app = create_app(BenchConfig)
    with app.app_context():
        try:
            return _build(n_codes)
        finally:
            db.session.remove()
            db.engine.dispose()


def _build(n_codes):
    from pb.accounts import services as accounts
    from pb.budgets import services as budgets
    from pb.core.models import local_now
    from pb.places import services as places
    from pb.proposals import review
    from pb.proposals import services as proposals
    from pb.voting import code_batches, kiosks
    from pb.voting import services as voting

    admin = accounts.create_first_admin("Бенчмарк Админ", "bench@ashar.kg", "bench-password-2027")
    municipality = places.create_municipality(admin, dict(
        slug="bench", name_ky="Ак-Добо айыл өкмөтү", name_ru="Ак-Добинский айыл окмоту", kind="aiyl_okmotu",
        oblast="talas", rayon="Талас району", population=8650))
    village = places.create_village(admin, municipality, dict(
        name="Ак-Добо", population=4210, registered_voters=2890, revenue_contribution="2100000"))
    budget = budgets.create_budget(admin, municipality, 2027)
    budgets.change_phase(admin, budget, "consultation")
    ids = []
    for n in range(PROPOSALS):
        proposal = proposals.submit_proposal(admin, budget, dict(
            title=f"Долбоор {n + 1}: көчө жарыгы", description="Мектепке баруучу көчөгө 12 чырак керек.",
            village_id=village.id, category="lighting", estimated_cost=str(100000 + 25000 * n),
            contribution_money="0", contribution_labour=""))
        for status in ("under_review", "feasible", "on_ballot"):
            review.change_status(admin, proposal, status)
        ids.append(proposal.id)
    now = local_now()
    round_ = voting.create_round(admin, budget, dict(
        title="2027-жылдын долбоорлору", method="approval", eligibility="both", allocation_rule="greedy",
        amount="1000000", min_choices=1, max_choices=MAX_CHOICES, points=10, rank_depth=3,
        channels=["kiosk", "online", "paper"], opens_at=now - timedelta(hours=1),
        closes_at=now + timedelta(days=1), hide_counts=True, proposal_ids=ids))
    location = voting.add_location(admin, round_, "Мектеп", village.id)
    voting.open_round(admin, round_)
    clear = []
    while len(clear) < n_codes:
        size = min(code_batches.MAX_BATCH, n_codes - len(clear))
        clear += code_batches.generate_batch(admin, round_, size, label=f"bench {len(clear)}")[1]
    tokens = [kiosks.start_kiosk(admin, round_, location.id, label=f"kiosk {n + 1}")[1] for n in range(KIOSKS)]
    return round_.id, ids, tokens, clear


def stored_count(engine, round_id):
    with engine.connect() as conn:
        return conn.execute(sa.text("SELECT count(*) FROM ballot WHERE round_id = :r"), {"r": round_id}).scalar()


def check_stored(url, secret, round_id, acked, choices_sent):
    """What the database holds against what the voters were told.

    acked is {client_key: (receipt as shown, clear code)} for every ballot acknowledged (counted or
    duplicate); choices_sent the number of choices those ballots carried."""
    from pb.voting import codes

    engine = sa.create_engine(url)
    try:
        with engine.connect() as conn:
            ballots = conn.execute(sa.text(
                "SELECT client_key, receipt FROM ballot WHERE round_id = :r"), {"r": round_id}).all()
            choices = conn.execute(sa.text(
                "SELECT count(*) FROM ballot_choice JOIN ballot ON ballot.id = ballot_choice.ballot_id "
                "WHERE ballot.round_id = :r"), {"r": round_id}).scalar()
            used = set(conn.execute(sa.text(
                "SELECT code_hash FROM voting_code WHERE round_id = :r AND used_at IS NOT NULL"),
                {"r": round_id}).scalars())
            refused = conn.execute(sa.text(
                "SELECT count(*) FROM refused_ballot WHERE round_id = :r"), {"r": round_id}).scalar()
    finally:
        engine.dispose()
    stored = {key: receipt for key, receipt in ballots}
    acked_hashes = {codes.code_hash(secret, round_id, codes.normalise(code)) for _receipt, code in acked.values()}
    return dict(
        stored=len(ballots),
        double_keys=len(ballots) - len(stored),
        double_receipts=len(ballots) - len({receipt for _key, receipt in ballots}),
        not_stored=sum(1 for key in acked if key not in stored),
        not_acked=sum(1 for key in stored if key not in acked),
        wrong_receipt=sum(1 for key, (receipt, _code) in acked.items()
                          if key in stored and codes.normalise(receipt) != stored[key]),
        codes_used=len(used),
        codes_not_spent=len(acked_hashes - used),
        codes_spent_unacked=len(used - acked_hashes),
        choices_missing=choices_sent - choices,
        refused=refused,
    )
