"""Budget lines written as CSV or Excel (.xlsx) files that pb.budgets.importers.parse_lines reads back exactly."""
import csv
import io
from collections.abc import Mapping

import openpyxl
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from pb.budgets.importers import AMOUNTS, COLUMNS, FORMULA_START
from pb.core.models import to_money


def _csv_escape(text):
    return "'" + text if text.startswith(FORMULA_START) else text


def _export_row(line):
    """The COLUMNS values of a line (object or dict): enum values, Decimal amounts, text."""
    get = line.get if isinstance(line, Mapping) else (lambda key: getattr(line, key, None))
    row = {}
    for key in COLUMNS:
        value = get(key)
        if key in AMOUNTS:
            row[key] = to_money(0 if value is None else value)
        else:
            row[key] = "" if value is None else str(getattr(value, "value", value))
    return row


def export_csv(lines) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    for line in lines:
        row = _export_row(line)
        writer.writerow([row[key] if key in AMOUNTS else _csv_escape(row[key])
                         for key in COLUMNS])
    return out.getvalue().encode("utf-8-sig")


def export_xlsx(lines) -> bytes:
    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet()
    sheet.freeze_panes = "A2"
    for letter, width in zip("ABCDEFGHI", (12, 12, 40, 40, 16, 18, 18, 18, 40)):
        sheet.column_dimensions[letter].width = width
    sheet.append(COLUMNS)
    for line in lines:
        sheet.append([_xlsx_cell(sheet, key, value) for key, value in _export_row(line).items()])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _xlsx_cell(sheet, key, value):
    if key in AMOUNTS:
        cell = WriteOnlyCell(sheet, value=value)
        cell.number_format = "#,##0.00"
    else:
        cell = WriteOnlyCell(sheet, value=ILLEGAL_CHARACTERS_RE.sub("", value))
        cell.data_type = "s"  # text, never a formula, even when it starts with "="
    return cell
