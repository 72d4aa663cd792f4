"""Demo voting: a closed round in each of the three Nookat aiyl okmotus (52 proposals, 3,939,000 som,
ballots from kiosks, online and paper) and an open round in Ak-Dobo with a batch of unused codes.

Made through the services, so that it is audited like real work, with three shortcuts, each explained
where it is: the demo accounts added here reuse one Argon2 hash of the demo password, the session keeps
its objects across the services' commits, and the closed rounds' times are moved back to the days they
tell of once their ballots are in.
"""
import csv
import random
from contextlib import contextmanager
from datetime import datetime, time, timedelta
from decimal import Decimal
from pathlib import Path

import sqlalchemy as sa

from pb.accounts import services as accounts
from pb.budgets import services as budgets
from pb.core.models import local_now
from pb.demo.hearings import HALL_PROPOSALS
from pb.demo.people import Residents, add_organisers
from pb.extensions import db
from pb.groups import services as groups
from pb.places.models import Municipality
from pb.proposals import review
from pb.proposals import services as proposals
from pb.proposals.states import Status
from pb.voting import casting, code_batches, codes, kiosk_casting, kiosks, paper
from pb.voting import services as voting
from pb.voting.states import Method, RoundStatus

DATA = Path(__file__).parent / "data"
NOOKAT_TOTAL = Decimal("3939000")  # the 2014 hearings' figure, shared by the villages' contributions
UTC_OFFSET = timedelta(hours=6)  # Asia/Bishkek: opened_at/closed_at are UTC, opens_at/closes_at local
ALL_CHANNELS = ["kiosk", "online", "paper"]

# slug: how its round is run. turnout = (kiosk, online, paper) counted ballots; days = (opened, closed)
# before today; a location (school or club) in each village; the first location had two tablets.
NOOKAT = {
    "isanov": dict(method=Method.KNAPSACK, rule="greedy", quotas="contribution", days=(6, 2), turnout=(36, 12, 24),
                   spoiled=1, double_keying=False, chair="chair@isanov.kg", keyers=("chair@isanov.kg",),
                   locations=[("Кара-Таш, №1 орто мектеп", "Кара-Таш"), ("Сары-Булак клубу", "Сары-Булак"),
                              ("Он-Эки-Бел мектеби", "Он-Эки-Бел")]),
    "zulpuev": dict(method=Method.APPROVAL, rule="mes-cost-greedy", quotas="contribution", max_choices=5, days=(13, 9),
                    turnout=(34, 10, 20), spoiled=0, double_keying=True, offline_twice=True, chair="chair@zulpuev.kg",
                    keyers=("secretary@zulpuev.kg", "chair@zulpuev.kg"),
                    locations=[("Кожо-Келен орто мектеби", "Кожо-Келен"), ("Кулатов маданият үйү", "Кулатов"),
                               ("Бел-Орук башталгыч мектеби", "Бел-Орук")]),
    "janynookat": dict(method=Method.KNAPSACK, rule="greedy", quotas="mix", days=(11, 7), turnout=(32, 10, 22),
                       spoiled=1, double_keying=False, chair="chair@janynookat.kg", keyers=("chair@janynookat.kg",),
                       locations=[("Жаңы-Ноокат, №5 орто мектеп", "Жаңы-Ноокат"), ("Көк-Бел клубу", "Көк-Бел"),
                                  ("Мырза-Аке мектеби", "Мырза-Аке")]),
}
AK_DOBO = dict(amount=Decimal("1200000"), codes=60, online=4,
               locations=[("Ак-Добо мектеби", "Ак-Добо"), ("Кызыл-Арык клубу", "Кызыл-Арык"),
                          ("Жон-Арык мектеби", "Жон-Арык")])

SUMMARIES = {
    "zulpuev": ("Зулпуев айыл өкмөтүнүн 2027-жылдын бюджетинин долбоору: Кожо-Келен, Кулатов жана Бел-Орук.",
                "Проект бюджета Зулпуевского айыл окмоту на 2027 год: Кожо-Келен, Кулатов и Бел-Орук."),
    "janynookat": ("Жаңы-Ноокат айыл өкмөтүнүн 2027-жылдын бюджетинин долбоору: Жаңы-Ноокат, Көк-Бел жана Мырза-Аке.",
                   "Проект бюджета Жаны-Ноокатского айыл окмоту на 2027 год: Жаны-Ноокат, Кок-Бел и Мырза-Аке."),
}

# The Isanov hearing's hall proposals (pb.demo.hearings): two are already in the budget's own lines.
HALL_VERDICTS = {
    HALL_PROPOSALS[0][0]: "Бул иш бюджеттин «Сугат тармагын оңдоо» сабынан (2 600 000 сом) аткарылат.",
    HALL_PROPOSALS[1][0]: "Бул иш бюджеттин «Ичүүчү суу» сабынан (1 650 000 сом) биринчи кезекте аткарылат.",
}

def _user(login):
    return accounts.find_user_by_login(login)


def split(total, weights):
    """total split in proportion to weights, in whole units that add up to total (largest remainder)."""
    weights = [Decimal(w) for w in weights]
    exact = [Decimal(total) * w / sum(weights) for w in weights]
    parts = [int(x) for x in exact]
    by_remainder = sorted(range(len(exact)), key=lambda i: (-(exact[i] - parts[i]), i))
    for i in by_remainder[:int(total) - sum(parts)]:
        parts[i] += 1
    return parts


def nookat_amounts(munis):
    """{slug: som}: the 3,939,000 som shared by the aiyl okmotus as their villages contribute to the budget."""
    contributions = [sum(v.revenue_contribution for v in munis[slug].villages) for slug in NOOKAT]
    return {slug: Decimal(part) for slug, part in zip(NOOKAT, split(NOOKAT_TOTAL, contributions))}


def _proposal_rows():
    with (DATA / "voting-proposals.csv").open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    by_municipality = {}
    for row in rows:
        by_municipality.setdefault(row["municipality"], []).append(row)
    return by_municipality


# --- budgets and proposals ----------------------------------------------------------


def _nookat_budget(slug, municipality, chair):
    """Isanov's budget is the hearings demo's; the other two are imported the same way and taken to hearing."""
    existing = budgets.list_budgets(None, municipality.id)
    if existing:
        return existing[0]
    summary_ky, summary_ru = SUMMARIES[slug]
    budget = budgets.create_budget(chair, municipality, 2027, summary_ky=summary_ky, summary_ru=summary_ru)
    csv_file = DATA / f"{slug}-2027.csv"
    budgets.import_lines(chair, budget, csv_file.name, csv_file.read_bytes())
    budgets.change_phase(chair, budget, "consultation")
    budgets.change_phase(chair, budget, "hearing")
    return budget


def _submit(budget, reviewer, rows, residents_by_village):
    """Each row submitted by a resident of its village and reviewed onto the ballot; returns {id: appeal}."""
    villages = {v.name: v for v in budget.municipality.villages}
    appeal = {}
    for n, row in enumerate(rows):
        authors = residents_by_village[row["village"]]
        proposal = proposals.submit_proposal(authors[n % len(authors)], budget, dict(
            title=row["title"], description=row["description"], village_id=villages[row["village"]].id,
            category=row["category"], estimated_cost=row["estimated_cost"],
            contribution_money=row["contribution_money"], contribution_labour=row["contribution_labour"]))
        for status in ("under_review", "feasible", "on_ballot"):
            review.change_status(reviewer, proposal, status)
        appeal[proposal.id] = int(row["appeal"])
    return appeal


def _review_hall_proposals(budget, reviewer):
    """The hearing's own proposals: the ones the budget already covers are refused with the reason."""
    appeal = {}
    for proposal in proposals.list_proposals(budget, status=Status.SUBMITTED.value, per_page=100).items:
        review.change_status(reviewer, proposal, "under_review")
        reason = HALL_VERDICTS.get(proposal.title)
        if reason:
            review.change_status(reviewer, proposal, "not_feasible", reason)
            continue
        review.change_status(reviewer, proposal, "feasible")
        review.change_status(reviewer, proposal, "on_ballot")
        appeal[proposal.id] = 4
    return appeal


# --- rounds and ballots -------------------------------------------------------------


class Ballots:
    """Ballots with a plausible shape: each proposal has its appeal, and people favour their own village's."""

    def __init__(self, round_, appeal, seed):
        self.rng = random.Random(seed)
        self.round = round_
        self.entries = [(e.proposal_id, e.proposal.village_id, e.cost, appeal[e.proposal_id]) for e in round_.entries]

    def choose(self, village_id):
        """The proposal ids one voter from this village chooses."""
        rng, round_ = self.rng, self.round
        # weighted shuffle (Efraimidis–Spirakis): a higher weight tends to come first
        order = sorted(self.entries, reverse=True,
                       key=lambda e: rng.random() ** (1 / (e[3] * (3 if e[1] == village_id else 1))))
        if round_.method == Method.APPROVAL:
            return [e[0] for e in order[:rng.randint(2, round_.max_choices)]]
        chosen, total, wanted = [], Decimal(0), rng.randint(2, 6)
        for proposal_id, _village, cost, _appeal in order:
            if total + cost <= round_.amount:
                chosen.append(proposal_id)
                total += cost
                if len(chosen) == wanted:
                    break
        return chosen


def _counted(outcome):
    if outcome.status != casting.COUNTED:  # the demo must hold what it says it holds
        raise RuntimeError(f"demo ballot {outcome.key} was not counted: {outcome.reason}")


def _new_round(chair, budget, title, method, rule, amount, opens, closes, locations, **settings):
    ids = [p.id for p in voting.ballot_candidates(budget)]
    round_ = voting.create_round(chair, budget, dict(
        title=title, method=method.value, allocation_rule=rule, amount=amount, eligibility="both",
        min_choices=1, max_choices=settings.pop("max_choices", len(ids)), channels=ALL_CHANNELS,
        opens_at=opens, closes_at=closes, hide_counts=True, proposal_ids=ids, **settings))
    villages = {v.name: v.id for v in budget.municipality.villages}
    places = [voting.add_location(chair, round_, name, villages[village]) for name, village in locations]
    voting.open_round(chair, round_)
    return round_, places


def _kiosk_ballots(chair, round_, places, count, ballots, opens, offline_twice):
    """Codes handed out at each location and cast on its tablet. With offline_twice the first location
    had two tablets that, offline, both took the same two slips: the later ballots are refused and reported."""
    for first, (place, n) in enumerate(zip(places, split(count, [p.village.registered_voters for p in places]))):
        printed = (n + 13) // 10 * 10  # slips come in sheets of ten; a few to spare
        _batch, clear = code_batches.generate_batch(chair, round_, printed, label=f"{place.name}: {printed} талон",
                                                    location_id=place.id)
        tablets = [kiosks.start_kiosk(chair, round_, place.id, "1-планшет")[0]]
        twice = offline_twice and first == 0
        if twice:
            tablets.append(kiosks.start_kiosk(chair, round_, place.id, "2-планшет")[0])
        for i in range(n):
            item = {"key": f"demo-{round_.id}-{place.id}-{i}", "code": clear[i],
                    "choices": ballots.choose(place.village_id)}
            if twice and i < 2:
                item |= {"receipt": codes.new_receipt(), "cast_at": (opens + timedelta(hours=2, minutes=i)).isoformat()}
            _counted(kiosk_casting.submit_from_kiosk(tablets[i % len(tablets)], item))
        if twice:
            for i in range(2):
                kiosk_casting.submit_from_kiosk(tablets[(i + 1) % 2], {
                    "key": f"demo-{round_.id}-{place.id}-again-{i}", "code": clear[i], "receipt": codes.new_receipt(),
                    "choices": ballots.choose(place.village_id),
                    "cast_at": (opens + timedelta(hours=2, minutes=20 + i)).isoformat()})
        for tablet in tablets:
            kiosks.end_kiosk(chair, tablet)


def _paper_ballots(round_, places, count, spoiled, ballots, keyers):
    """Paper ballots keyed in under their numbers: once, or twice where the round asks for double keying
    (one pair of keyings differs and a third decides)."""
    for n_place, (place, n) in enumerate(zip(places, split(count, [p.village.registered_voters for p in places]))):
        for i in range(n + (spoiled if n_place == 0 else 0)):
            serial, choices = f"{n_place + 1}{i + 1:03d}", ballots.choose(place.village_id)
            unreadable = i >= n
            for k, actor in enumerate(keyers):
                # on one paper the second keying misses a mark: the two differ and a third keying decides
                typo = k == 1 and n_place == 1 and i == 2 and len(choices) > 1
                keyed = choices[:-1] if typo else choices
                paper.key_paper(actor, round_, serial, place.id, keyed, spoiled=unreadable)
                if typo:
                    paper.key_paper(keyers[-1], round_, serial, place.id, choices, spoiled=unreadable)


def _close_in_the_past(chair, round_, opens, closes):
    # Ballots count only while a round is open by the clock, so the demo casts them now and then moves
    # the round back to the days it tells of: the one place where the demo writes a round directly.
    round_.closes_at = closes
    round_.opened_at = opens - UTC_OFFSET
    db.session.commit()
    voting.close_round(chair, round_)
    round_.closed_at = closes - UTC_OFFSET
    db.session.commit()


def _nookat_round(slug, municipality, amount, rows, residents, seed):
    spec = NOOKAT[slug]
    chair = _user(spec["chair"])
    budget = _nookat_budget(slug, municipality, chair)
    kiosk_count, online_count, paper_count = spec["turnout"]
    villages = sorted(municipality.villages, key=lambda v: v.id)  # by name would follow the database's collation
    voters = {v.name: residents.add(v, n, chair)
              for v, n in zip(villages, split(online_count, [v.registered_voters for v in villages]))}
    appeal = _review_hall_proposals(budget, chair) | _submit(budget, chair, rows, voters)
    budgets.change_phase(chair, budget, "voting")
    today = local_now().date()
    opens = datetime.combine(today - timedelta(days=spec["days"][0]), time(8, 0))
    closes = datetime.combine(today - timedelta(days=spec["days"][1]), time(20, 0))
    settings = {"max_choices": spec["max_choices"]} if "max_choices" in spec else {}
    round_, places = _new_round(
        chair, budget, f"{municipality.name_ky}: 2027-жылга тургундардын артыкчылыктары", spec["method"],
        spec["rule"], amount, opens, local_now() + timedelta(hours=2), spec["locations"],
        double_keying=spec["double_keying"], quota_basis=spec["quotas"], **settings)
    ballots = Ballots(round_, appeal, seed)
    _kiosk_ballots(chair, round_, places, kiosk_count, ballots, opens, spec.get("offline_twice", False))
    for n, voter in enumerate(v for people in voters.values() for v in people):
        _counted(casting.cast_online(voter, round_, ballots.choose(voter.verified_village_id), f"demo-online-{n}"))
    _paper_ballots(round_, places, paper_count, spec["spoiled"], ballots, [_user(k) for k in spec["keyers"]])
    _close_in_the_past(chair, round_, opens, closes)
    return round_


def _ak_dobo_round(municipality, rows, residents):
    chair = _user("chair@ak-dobo.kg")
    budget = budgets.list_budgets(None, municipality.id)[0]
    villages = sorted(municipality.villages, key=lambda v: v.id)  # by name would follow the database's collation
    home = next(v for v in villages if v.name == "Ак-Добо")
    groups.verify_resident(chair, municipality, _user("0555123456").id, home.id)  # may vote online in the demo
    voters = {v.name: residents.add(v, n, chair)
              for v, n in zip(villages, split(AK_DOBO["online"], [v.registered_voters for v in villages]))}
    appeal = {p.id: 4 for p in voting.ballot_candidates(budget)} | _submit(budget, chair, rows, voters)
    now = local_now()
    round_, _places = _new_round(
        chair, budget, "Ак-Добо: 2027-жылга тургундардын долбоорлору", Method.KNAPSACK, "greedy",
        AK_DOBO["amount"], now.replace(minute=0, second=0, microsecond=0),
        datetime.combine(now.date() + timedelta(days=14), time(20, 0)), AK_DOBO["locations"])
    _batch, clear = code_batches.generate_batch(chair, round_, AK_DOBO["codes"], label="Үйдөн-үйгө таратуу үчүн")
    ballots = Ballots(round_, appeal, 2027)
    for n, voter in enumerate(v for people in voters.values() for v in people):
        _counted(casting.cast_online(voter, round_, ballots.choose(voter.verified_village_id), f"demo-online-{n}"))
    return clear


def ak_dobo_slips_pdf(clear_codes):
    """The A4 slips of the codes load_demo_voting returned, for seed-demo to write (load_demo writes no file)."""
    from pb.reports.documents import public_url
    from pb.reports.pdf.slips import Slips, render_slips_pdf

    municipality = db.session.execute(sa.select(Municipality).where(Municipality.slug == "ak-dobo")).scalar_one()
    round_ = next(r for r in voting.list_rounds(municipality.id) if r.status == RoundStatus.OPEN)
    batch = code_batches.list_batches(round_)[0][0]
    names = dict.fromkeys(name for name in (municipality.name_ky, municipality.name_ru) if name)
    return render_slips_pdf(Slips(
        " / ".join(names), round_.title, round_.closes_at, list(clear_codes),
        lambda code: public_url("voting.enter_code", round_id=round_.id, code=code), label=batch.label))


@contextmanager
def _kept_after_commit():
    # Every service commits, and a commit expires all the session holds: reloading it after each of some
    # six hundred small commits took a third of this part's time. Nothing else writes while the demo
    # loads, so what the session holds stays true (a rollback still expires everything).
    session = db.session()
    before, session.expire_on_commit = session.expire_on_commit, False
    try:
        yield
    finally:
        session.expire_on_commit = before


def load_demo_voting(munis):
    """Closed rounds in Isanov, Zulpuev and Janynookat, an open one in Ak-Dobo; returns Ak-Dobo's clear codes."""
    with _kept_after_commit():
        admin = _user("admin@ashar.kg")  # its hash is of the demo password, which every demo account shares
        add_organisers(admin, munis)
        rows = _proposal_rows()
        residents = Residents(admin.password_hash)
        amounts = nookat_amounts(munis)
        for n, slug in enumerate(NOOKAT):
            _nookat_round(slug, munis[slug], amounts[slug], rows[slug], residents, seed=2014 + n)
        return _ak_dobo_round(munis["ak-dobo"], rows["ak-dobo"], residents)
