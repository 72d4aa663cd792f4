"""The treasury spreadsheet: periods in three languages, every bad row reported, nothing half-read."""
import csv
import io
from datetime import datetime
from types import SimpleNamespace

import openpyxl
import pytest
from flask import Flask
from flask_babel import Babel

from pb.budgets.execution_importers import parse_execution, sample_spreadsheet
from pb.budgets.execution_models import PeriodKind
from pb.budgets.states import LineKind

LINES = [
    SimpleNamespace(id=1, code="7045200", kind=LineKind.EXPENDITURE),
    SimpleNamespace(id=2, code="7063100", kind=LineKind.EXPENDITURE),
    SimpleNamespace(id=3, code="1421", kind=LineKind.REVENUE),
    SimpleNamespace(id=4, code="1421", kind=LineKind.EXPENDITURE),
]


@pytest.fixture(autouse=True)
def app_context():
    app = Flask(__name__)
    Babel(app)
    with app.app_context():
        yield


def csv_bytes(rows, delimiter=","):
    out = io.StringIO()
    csv.writer(out, delimiter=delimiter).writerows(rows)
    return out.getvalue().encode("utf-8")


def parse(rows, kind=None, name="t.csv"):
    data = csv_bytes(rows) if name.endswith(".csv") else rows
    return parse_execution(name, data, LINES, 2027, kind)


def problems(result):
    return {(e.row, e.column): e.message._args[0] for e in result.errors}


def test_periods_in_kyrgyz_russian_and_english_are_read():
    result = parse([["Код", "Мезгил", "Аткарылды"], ["7045200", "1-чейрек", "1 000,50"],
                    ["7045200", "II квартал", "2000"], ["7045200", "Q3 2027", "3000"],
                    ["7063100", "4 кв.", "0"]])
    assert result.ok, result.errors
    assert [r["period"] for r in result.rows] == [(PeriodKind.QUARTER, n) for n in (1, 2, 3, 4)]
    assert str(result.rows[0]["executed"]) == "1000.50"
    assert result.rows[0]["line"].id == 1


def test_months_by_name_number_and_excel_date():
    book = openpyxl.Workbook()
    for row in (["Code", "Period", "Executed"], ["7045200", "март", 10], ["7045200", "2027-04", 5.5],
                ["7063100", datetime(2027, 5, 1), 7]):
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    result = parse_execution("t.xlsx", out.getvalue(), LINES, 2027)
    assert result.ok, result.errors
    assert [r["period"] for r in result.rows] == [(PeriodKind.MONTH, 3), (PeriodKind.MONTH, 4), (PeriodKind.MONTH, 5)]


def test_every_bad_row_is_listed_with_its_column():
    result = parse([
        ["Code", "Period", "Executed"],
        ["7045200", "Q1", "100"],
        ["9999999", "Q1", "100"],  # no such line
        ["7045200", "Q5", "100"],  # no such period
        ["7063100", "Q2 2026", "100"],  # another year
        ["7063100", "Q3", "-5"],  # negative
        ["7045200", "1 квартал", "7"],  # the same line and period again
        ["1421", "Q1", "7"],  # two lines share the code, no kind column
        ["", "Q1", "abc"],  # two problems in one row
    ])
    assert not result.ok
    found = problems(result)
    assert found[(3, "code")].startswith("The budget has no line")
    assert found[(4, "period")].startswith("Unknown period")
    assert found[(5, "period")].startswith("This period is in")
    assert found[(6, "executed")] == "Amounts cannot be negative."
    assert found[(7, "period")].startswith("The figure of line")
    assert found[(8, "kind")].startswith("A revenue and an expenditure line")
    assert (9, "code") in found and (9, "executed") in found
    assert (2, "code") not in found and (2, "period") not in found


def test_a_kind_column_tells_lines_with_the_same_code_apart():
    result = parse([["Код", "Вид", "Период", "Исполнено"], ["1421", "доходы", "1 квартал", "5"],
                    ["1421", "расходы", "1 квартал", "6"]])
    assert result.ok, result.errors
    assert [r["line"].id for r in result.rows] == [3, 4]


def test_months_and_quarters_do_not_mix():
    mixed = parse([["Code", "Period", "Executed"], ["7045200", "Q1", "1"], ["7063100", "March", "1"]])
    assert problems(mixed) == {(3, "period"): "Execution of this budget is recorded by quarter; write a quarter here."}
    against_budget = parse([["Code", "Period", "Executed"], ["7045200", "Q1", "1"]], kind=PeriodKind.MONTH)
    assert problems(against_budget) == {(2, "period"): "Execution of this budget is recorded by month; write a month here."}


def test_missing_headers_and_empty_files_are_refused():
    assert problems(parse([["Code", "Amount"], ["7045200", "1"]])) == {
        (1, "period"): "The column “%(column)s” is missing from the header row.",
        (1, "executed"): "The column “%(column)s” is missing from the header row."}
    assert problems(parse([["Code", "Period", "Executed"]])) == {
        (None, None): "The file has a header row but no figures."}
    assert problems(parse_execution("t.pdf", b"x", LINES, 2027)) == {
        (None, None): "Only .csv and .xlsx files can be imported."}


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_the_sample_reads_back(fmt):
    sample_lines = []
    rows = list(csv.reader(io.StringIO(sample_spreadsheet("csv").decode("utf-8-sig"))))
    for i, code in enumerate(sorted({row[0] for row in rows[1:]})):
        sample_lines.append(SimpleNamespace(id=i, code=code, kind=LineKind.EXPENDITURE))
    result = parse_execution(f"s.{fmt}", sample_spreadsheet(fmt), sample_lines, 2026)
    assert result.ok, result.errors[:3]
    assert len(result.rows) == len(rows) - 1
    assert {r["period"] for r in result.rows} == {(PeriodKind.QUARTER, n) for n in (1, 2, 3)}
