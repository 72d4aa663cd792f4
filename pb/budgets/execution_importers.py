"""Execution figures from the treasury's spreadsheet (CSV or XLSX), read with the budget import's rules.

Columns: code, kind (optional: needed only when a revenue and an expenditure line share a code),
period (a quarter such as "Q1", "1 квартал", "1-чейрек", or a month such as "2027-03", "март"),
executed, note. Every problem of every row is reported; parse_execution() saves nothing.
"""
import csv
import io
import re
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import openpyxl

from flask_babel import lazy_gettext as _l

from pb.budgets import importers
from pb.budgets.execution_models import PeriodKind
from pb.budgets.importers import ImportResult, RowError, TableSchema

COLUMNS = ("code", "kind", "period", "executed", "note")
REQUIRED = ("code", "period", "executed")

HEADERS = {
    "code": _l("Code"),
    "kind": _l("Kind"),
    "period": _l("Period"),
    "executed": _l("Executed"),
    "note": _l("Note"),
}

_HEADER_ALIASES = {
    "code": ("Code", "Classification code", "Код", "Код бюджетной классификации",
             "Бюджеттик классификация коду", "Код классификации"),
    "kind": ("Kind", "Type", "Түрү", "Вид", "Тип"),
    "period": ("Period", "Мезгил", "Мөөнөт", "Период", "Отчетный период", "Отчеттук мезгил"),
    "executed": ("Executed", "Actual", "Аткарылды", "Аткарылган", "Аткарылышы", "Исполнено",
                 "Исполнение", "Кассовое исполнение", "Факт"),
    "note": ("Note", "Notes", "Эскертүү", "Примечание", "Примечания"),
}
_HEADER_LOOKUP = importers.make_lookup(_HEADER_ALIASES)

_MONTHS = {
    1: ("january", "jan", "январь", "янв", "үчтүнайы"),
    2: ("february", "feb", "февраль", "фев", "бирдинайы"),
    3: ("march", "mar", "март", "жалганкуран"),
    4: ("april", "apr", "апрель", "апр", "чынкуран"),
    5: ("may", "май", "бугу"),
    6: ("june", "jun", "июнь", "кулжа"),
    7: ("july", "jul", "июль", "теке"),
    8: ("august", "aug", "август", "авг", "башоона"),
    9: ("september", "sep", "сентябрь", "сен", "аякоона"),
    10: ("october", "oct", "октябрь", "окт", "тогуздунайы"),
    11: ("november", "nov", "ноябрь", "ноя", "жетининайы"),
    12: ("december", "dec", "декабрь", "дек", "бештинайы"),
}
_MONTH_LOOKUP = {importers.key_of(name): month for month, names in _MONTHS.items() for name in names}
_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4, "1": 1, "2": 2, "3": 3, "4": 4}
_QUARTER_WORDS = "(?:quarter|qtr|квартал|кв|чейрек|ч)"
_QUARTER = re.compile(rf"^(?:q([1-4])|(i{{1,3}}|iv|[1-4]){_QUARTER_WORDS}|{_QUARTER_WORDS}([1-4]))$")
_YEAR = re.compile(r"(?<!\d)(\d{4})(?!\d)\s*(?:-?ж(?:ыл)?\.?|г(?:од)?\.?)?")


def _period_parser(fiscal_year):
    def parse(value):
        if isinstance(value, (datetime, date)):  # an Excel date cell: its month
            return _in_year(PeriodKind.MONTH, value.month, value.year, fiscal_year)
        text = importers.cell_text(value)
        if not text:
            raise importers.Invalid(_l("This value is required."))
        year = None
        found = _YEAR.search(text)
        if found:
            year = int(found.group(1))
            text = (text[: found.start()] + " " + text[found.end():]).strip(" -./")
        key = importers.key_of(text)
        match = _QUARTER.match(key)
        if match:
            number = _ROMAN[next(group for group in match.groups() if group)]
            return _in_year(PeriodKind.QUARTER, number, year, fiscal_year)
        if key in _MONTH_LOOKUP:
            return _in_year(PeriodKind.MONTH, _MONTH_LOOKUP[key], year, fiscal_year)
        if year is not None and key.isdigit() and 1 <= int(key) <= 12:  # 2027-03, 03.2027
            return _in_year(PeriodKind.MONTH, int(key), year, fiscal_year)
        raise importers.Invalid(_l(
            "Unknown period “%(value)s”; write a quarter (Q1, 1 квартал, 1-чейрек) or a month "
            "(2027-03, март).", value=importers.shorten(importers.cell_text(value))))
    return parse


def _in_year(kind, number, year, fiscal_year):
    if year is not None and year != fiscal_year:
        raise importers.Invalid(_l("This period is in %(year)s, but the budget is for %(budget_year)s.",
                                   year=str(year), budget_year=str(fiscal_year)))
    return kind, number


def _optional_kind(value):
    if not importers.cell_text(value):
        return None
    return importers.choice_parser(importers.KIND_LOOKUP, lambda text: _l(
        "Unknown kind “%(value)s”; use revenue or expenditure.", value=text))(value)


def _line_finder(lines):
    by_code = {}
    for line in lines:
        by_code.setdefault(line.code, []).append(line)

    def check(row):
        found = [line for line in by_code.get(row["code"], ()) if row["kind"] in (None, line.kind)]
        if not found:
            return [("code", _l("The budget has no line with the code “%(code)s”.", code=row["code"]))]
        if len(found) > 1:
            return [("kind", _l("A revenue and an expenditure line have the code “%(code)s”; "
                                "say which in the Kind column.", code=row["code"]))]
        row["line"] = found[0]
        return []
    return check


def execution_schema(lines, fiscal_year):
    """The schema of an execution spreadsheet for a budget with these lines and this year."""
    return TableSchema(
        columns=COLUMNS,
        required=REQUIRED,
        headers=HEADERS,
        header_lookup=_HEADER_LOOKUP,
        parsers={
            "code": importers.string_parser(True, 20),
            "kind": _optional_kind,
            "period": _period_parser(fiscal_year),
            "executed": importers.parse_amount,
            "note": importers.string_parser(False, 500),
        },
        no_rows=_l("The file has a header row but no figures."),
        check_row=_line_finder(lines),
        unique_key=lambda row: (row["line"].id, row["period"]),
        duplicate=lambda row, first: ("period", _l(
            "The figure of line “%(code)s” for this period is already in row %(row)s.",
            code=row["code"], row=first)),
    )


MIXED = {
    PeriodKind.QUARTER: _l("Execution of this budget is recorded by quarter; write a quarter here."),
    PeriodKind.MONTH: _l("Execution of this budget is recorded by month; write a month here."),
}


def parse_execution(filename, data, lines, fiscal_year, period_kind=None, max_rows=importers.MAX_ROWS):
    """Figures for these lines from a file, or every problem of every row.

    period_kind is how the budget's execution is already recorded (months or quarters); a file
    must use the same, and one kind throughout.
    """
    result = importers.parse_table(filename, data, execution_schema(lines, fiscal_year), max_rows)
    expected = period_kind or (result.rows[0]["period"][0] if result.rows else None)
    errors = list(result.errors)
    for row in result.rows:
        if row["period"][0] != expected:
            errors.append(RowError(row["row"], "period", MIXED[expected]))
    return ImportResult(result.rows, tuple(errors))


SAMPLE = Path(__file__).resolve().parents[1] / "demo" / "data" / "ak-dobo-2026-execution.csv"


def sample_spreadsheet(fmt):
    """The demo's treasury figures (Ak-Dobo, three quarters of 2026) as CSV or XLSX bytes."""
    if fmt == "csv":
        return SAMPLE.read_bytes()
    with SAMPLE.open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.reader(fh))
    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet()
    for number, row in enumerate(rows):
        sheet.append(row if number == 0 else [row[0], row[1], Decimal(row[2]), row[3]])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
