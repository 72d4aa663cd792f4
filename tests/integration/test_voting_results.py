"""A closed round's results through the test client: the page explains every proposal, the CSV and XLSX
carry the same figures, the allocation report reads back in Kyrgyz and Russian, and anyone can recount
the outcome from the published ballots."""
import csv
import io
import re
from decimal import Decimal

import pytest
from flask_babel import force_locale
from openpyxl import load_workbook
from pypdf import PdfReader

from pb.core.i18n import format_number

from pb.voting import codes, outcomes, result_sheet
from pb.voting import services as voting
from pb.voting.models import Ballot, BallotChoice
from pb.voting.states import Channel, Method
from tests import factories as f
from tests.voting_factories import key, make_round, proposal_ids

COSTS = [Decimal("300000"), Decimal("500000"), Decimal("400000"), Decimal("250000")]


def _cast(db, round_, choices, channel=Channel.KIOSK, location=None):
    ballot = Ballot(round_id=round_.id, receipt=codes.new_receipt(), client_key=key(), channel=channel,
                    location_id=location.id if location else None)
    ballot.choices = [BallotChoice(proposal_id=pid, value=value) for pid, value in choices.items()]
    db.session.add(ballot)
    db.session.commit()


@pytest.fixture
def closed(db):
    """A greedy approval round on 1,000,000 som with 8 ballots from the hall and online, closed by staff."""
    round_ = make_round(proposals=4, costs=COSTS, title="Жаңы-Ноокат: 2027-жылга бөлүнгөн акча")
    a, b, c, d = proposal_ids(round_)
    hall = round_.locations[0]
    for choices in ({b: 1, c: 1}, {b: 1}, {b: 1, a: 1}, {c: 1, a: 1}, {c: 1}, {c: 1, b: 1}):
        _cast(db, round_, choices, Channel.KIOSK, hall)
    for choices in ({a: 1}, {b: 1, d: 1}):
        _cast(db, round_, choices, Channel.ONLINE)
    voting.close_round(f.make_staff(round_.municipality), round_)
    return round_


def _text(response):
    assert response.status_code == 200, response.status_code
    return response.get_data(as_text=True).replace("\xa0", " ").replace("&#34;", '"')


@pytest.mark.parametrize("lang", ["ky", "ru", "en"])
def test_results_page_explains_every_proposal_in_the_language(client, closed, lang):
    with client.session_transaction() as session:
        session["lang"] = lang
    page = _text(client.get(f"/rounds/{closed.id}/results"))
    with force_locale(lang):
        sheet = result_sheet.build_sheet(closed)
        given, left = format_number(900000), format_number(100000)
    assert len(sheet.rows) == 4
    for row in sheet.rows:
        assert row.reason_text.replace("\xa0", " ").replace('"', "&#34;").replace("'", "&#39;") in page
        assert row.entry.proposal.title in page
    # b 5 votes (500,000), c 4 (400,000): 900,000 given, 100,000 left; a (3 votes, 300,000) no longer fits
    assert [row.entry.cost for row in sheet.funded] == [Decimal("500000"), Decimal("400000")]
    assert given.replace("\xa0", " ") in page and left.replace("\xa0", " ") in page and "<svg" in page
    assert sheet.ties_text.replace("'", "&#39;") in page and sheet.rule_text in page


def test_results_page_shows_turnout_by_channel_and_place_and_links_the_downloads(client, closed):
    page = _text(client.get(f"/rounds/{closed.id}/results"))
    assert "Мектеп: <strong>6</strong>" in page
    for href in (f"/rounds/{closed.id}/results.csv", f"/rounds/{closed.id}/results.xlsx",
                 f"/rounds/{closed.id}/allocation/ky.pdf", f"/rounds/{closed.id}/allocation/ru.pdf"):
        assert f'href="{href}"' in page
    assert f'href="/rounds/{closed.id}/results"' in _text(client.get(f"/rounds/{closed.id}"))


def test_results_csv_and_xlsx_carry_the_figures_of_the_page(client, closed):
    a, b, c, d = proposal_ids(closed)
    with client.session_transaction() as session:
        session["lang"] = "en"
    response = client.get(f"/rounds/{closed.id}/results.csv")
    assert response.mimetype == "text/csv" and "attachment" in response.headers["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.get_data().decode("utf-8-sig"))))
    assert len(rows) == 5
    by_id = {int(row[1]): row for row in rows[1:]}
    assert [by_id[pid][0] for pid in (b, c, a, d)] == ["1", "2", "", ""]
    assert (by_id[b][4], by_id[b][5], by_id[b][6]) == ("500000.00", "5", "5")
    assert "100,000" in by_id[a][8] and "300,000" in by_id[a][8]
    book = load_workbook(io.BytesIO(client.get(f"/rounds/{closed.id}/results.xlsx").get_data()))
    table, totals = book.worksheets
    values = list(table.iter_rows(values_only=True))
    assert values[0] == tuple(rows[0]) and len(values) == 5
    assert {row[1]: (row[4], row[6]) for row in values[1:]}[b] == (500000, 5)
    summary = {label: value for label, value in totals.iter_rows(values_only=True)}
    assert Decimal(str(summary["Money left"])) == Decimal("100000")
    assert summary["Ballots counted"] == 8 and summary["Мектеп"] == 6


@pytest.mark.parametrize("lang", ["ky", "ru"])
def test_allocation_report_reads_back_with_kyrgyz_letters_and_the_figures(client, closed, lang):
    response = client.get(f"/rounds/{closed.id}/allocation/{lang}.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(response.get_data())).pages)
    text = text.replace("\xa0", " ")
    assert all(letter in text for letter in "өүң")  # the round's title is Kyrgyz in both reports
    for figure in ("1 000 000", "900 000", "100 000", "500 000"):
        assert figure in text
    assert ("Бөлүштүрүү боюнча отчет" if lang == "ky" else "Отчёт о распределении") in text


def test_results_wait_for_the_close_and_bad_addresses_change_nothing(client, db):
    round_ = make_round()
    for path in ("/results", "/results.csv", "/allocation/ky.pdf"):
        assert client.get(f"/rounds/{round_.id}{path}").status_code == 403
    assert round_.outcome is None
    closed = make_round(status=round_.status.CLOSED)
    for path in ("/results.pdf", "/allocation/en.pdf", "/allocation/ky.xlsx"):
        assert client.get(f"/rounds/{closed.id}{path}").status_code == 404
    assert client.get("/rounds/999999/results").status_code == 404


def test_the_outcome_is_recounted_from_the_published_anonymous_ballots(client, closed):
    """What a journalist would do: download every ballot, rebuild the election, run the same rule."""
    rows = list(csv.reader(io.StringIO(client.get(f"/rounds/{closed.id}/ballots.csv").get_data().decode("utf-8-sig"))))
    ids = [int(re.match(r"#(\d+) ", name).group(1)) for name in rows[0][3:]]
    ballots = [{pid: int(value) for pid, value in zip(ids, row[3:]) if value} for row in rows[1:]]
    costs = {e.proposal_id: (e.cost, e.proposal.village_id) for e in closed.entries}
    election = outcomes.build_election(Method.APPROVAL, 3, closed.amount,
                                       [(pid, *costs[pid]) for pid in ids], ballots)
    recount = outcomes.run_rule(election, closed.allocation_rule)
    kept = outcomes.outcome_of(closed)
    assert kept.kept and tuple(int(pid) for pid in recount.selected) == kept.selected
    assert outcomes.ballots_digest(ballots) == kept.digest
    assert _text(client.get(f"/rounds/{closed.id}/results")).count(kept.digest) == 1


def test_the_api_results_carry_the_kept_decisions(client, closed):
    body = client.get(f"/api/v1/rounds/{closed.id}/results").get_json()
    funded = [p["proposal"]["id"] for p in body["proposals"] if p["decision"]["funded"]]
    assert tuple(funded) == outcomes.outcome_of(closed).selected
