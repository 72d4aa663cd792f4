"""Budget line import/export: CSV and XLSX, ky/ru/en headers, every error reported, round trip."""
import csv
import io
from decimal import Decimal
from types import SimpleNamespace

import openpyxl
import pytest
from flask import Flask
from flask_babel import Babel

from pb.budgets.exporters import export_csv, export_xlsx
from pb.budgets.importers import (
    COLUMNS,
    HEADERS,
    ImportResult,
    RowError,
    parse_lines,
)
from pb.budgets.states import Category, LineKind

HEADER = list(COLUMNS)
GOOD = [
    ["revenue", "1111100", "Жеке адамдардын кирешесине салык", "Подоходный налог",
     "other", "1 234 567,50", "1234567.50", "1300000", ""],
    ["expenditure", "2111", "Мектептер", "Школы", "education", "500000", "499999.99",
     "520000.10", "Ремонт крыши"],
]


@pytest.fixture
def app_context():
    app = Flask(__name__)
    Babel(app)
    with app.app_context():
        yield


def csv_bytes(rows, delimiter=",", encoding="utf-8"):
    out = io.StringIO()
    csv.writer(out, delimiter=delimiter).writerows(rows)
    return out.getvalue().encode(encoding)


def xlsx_bytes(rows):
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def pairs(result):
    return {(error.row, error.column) for error in result.errors}


def msgids(result):
    return [error.message._args[0] for error in result.errors]


def line(**overrides):
    values = {
        "kind": LineKind.EXPENDITURE, "code": "2111", "name_ky": "Мектептер", "name_ru": "Школы",
        "category": Category.EDUCATION, "approved_last_year": Decimal("100.00"),
        "executed_last_year": Decimal("99.50"), "proposed": Decimal("120.00"), "note": "",
    }
    values.update(overrides)
    return values


def test_parse_lines_good_csv_gives_exact_decimals():
    result = parse_lines("budget.csv", csv_bytes([HEADER, *GOOD]))

    assert result.ok and result.errors == ()
    first, second = result.rows
    assert first == {
        "row": 2, "kind": LineKind.REVENUE, "code": "1111100",
        "name_ky": "Жеке адамдардын кирешесине салык", "name_ru": "Подоходный налог",
        "category": Category.OTHER, "approved_last_year": Decimal("1234567.50"),
        "executed_last_year": Decimal("1234567.50"), "proposed": Decimal("1300000.00"),
        "note": "",
    }
    assert second["row"] == 3 and second["note"] == "Ремонт крыши"
    assert second["executed_last_year"] == Decimal("499999.99")
    assert str(second["proposed"]) == "520000.10"
    for row in result.rows:
        assert all(type(row[key]) is Decimal for key in COLUMNS[5:8])


def test_parse_lines_good_xlsx_gives_exact_decimals():
    rows = [HEADER, ["revenue", 1111100, "Салык", "Налог", "other", 1234567, 10.5,
                     Decimal("99.99"), None]]
    result = parse_lines("Budget.XLSX", xlsx_bytes(rows))

    assert result.ok
    (row,) = result.rows
    assert row["code"] == "1111100" and row["note"] == ""
    assert [str(row[key]) for key in COLUMNS[5:8]] == ["1234567.00", "10.50", "99.99"]


def test_parse_lines_kyrgyz_headers_and_values_are_recognised():
    header = ["  түрү ", "Код", "Аталышы (кыргызча)", "Аталышы(орусча)", "КАТЕГОРИЯ",
              "Өткөн жылы бекитилген", "Өткөн жылы  аткарылган", "Сунушталган", "Эскертүү"]
    rows = [header,
            ["киреше", "1111", "Салык", "Налог", "башка", "1", "2", "3", "эскертүү"],
            ["Чыгаша", "2111", "Мектеп", "Школа", "Билим берүү", "1", "2", "3", ""],
            ["чыгаша", "2112", "Жарык", "Свет", "көчө жарыктандыруу", "", "", "", ""],
            ["чыгаша", "2113", "Үй", "Дом", "турак жай-коммуналдык чарба", "", "", "", ""],
            ["чыгаша", "2114", "Таштанды", "Мусор", "ташТАНды", "", "", "", ""],
            ["чыгаша", "2115", "Коргоо", "Защита", "социалдык коргоо", "", "", "", ""],
            ["чыгаша", "2116", "Аппарат", "Аппарат", "башкаруу", "", "", "", ""]]
    result = parse_lines("b.csv", csv_bytes(rows))

    assert result.ok, result.errors
    assert [row["kind"] for row in result.rows] == [LineKind.REVENUE] + [LineKind.EXPENDITURE] * 6
    assert [row["category"] for row in result.rows] == [
        Category.OTHER, Category.EDUCATION, Category.LIGHTING, Category.HOUSING,
        Category.WASTE, Category.SOCIAL, Category.ADMINISTRATION]
    assert result.rows[0]["note"] == "эскертүү"
    assert result.rows[2]["proposed"] == Decimal("0.00")


def test_parse_lines_russian_headers_and_values_are_recognised():
    header = ["Вид", "код", "Наименование (кыргызский)", "Наименование (русский)", "Категория",
              "Утверждено в прошлом году", "Исполнено в прошлом году", "Предлагается",
              "Примечание", "Лишняя колонка"]
    rows = [header]
    values = [("доходы", "прочее"), ("Расходы", "Образование"), ("расходы", "здравоохранение"),
              ("расходы", "культура"), ("расходы", "ЖКХ"), ("расходы", "вода"),
              ("расходы", "дороги"), ("расходы", "Уличное освещение"),
              ("расходы", "вывоз мусора"), ("расходы", "социальная защита"),
              ("расходы", "Управление (администрация)"),
              ("расходы", "жилищно-коммунальное хозяйство")]
    for number, (kind, category) in enumerate(values):
        rows.append([kind, str(1000 + number), "ky", "ru", category, "1", "1", "1", "", "x"])
    result = parse_lines("b.xlsx", xlsx_bytes(rows))

    assert result.ok, result.errors
    assert result.rows[0]["kind"] is LineKind.REVENUE
    assert {row["kind"] for row in result.rows[1:]} == {LineKind.EXPENDITURE}
    assert [row["category"] for row in result.rows] == [
        Category.OTHER, Category.EDUCATION, Category.HEALTH, Category.CULTURE, Category.HOUSING,
        Category.WATER, Category.ROADS, Category.LIGHTING, Category.WASTE, Category.SOCIAL,
        Category.ADMINISTRATION, Category.HOUSING]


def test_parse_lines_english_labels_are_recognised():
    header = ["Kind", "Code", "Name (Kyrgyz)", "Name (Russian)", "Category", "Approved last year",
              "Executed last year", "Proposed", "Note"]
    rows = [header, ["EXPENDITURE", "2111", "a", "b", "Street lighting", "1", "1", "1", ""],
            ["expenditure", "2112", "a", "b", "housing and communal services", "1", "1", "1", ""]]
    result = parse_lines("b.csv", csv_bytes(rows))

    assert result.ok
    assert [row["category"] for row in result.rows] == [Category.LIGHTING, Category.HOUSING]


def test_parse_lines_several_bad_rows_reports_every_problem():
    rows = [HEADER,
            GOOD[0],
            ["gift", "", "", "Налог", "sports", "abc", "-5", "1.234", "ok"],
            [],
            ["", "", "", "", "", "", "", "", ""],
            ["revenue", "x" * 21, "a" * 301, "b" * 300, "water", "1,5", "1e20", "", ""],
            GOOD[1]]
    result = parse_lines("b.csv", csv_bytes(rows))

    assert not result.ok
    assert pairs(result) == {
        (3, "kind"), (3, "code"), (3, "name_ky"), (3, "category"),
        (3, "approved_last_year"), (3, "executed_last_year"), (3, "proposed"),
        (6, "code"), (6, "name_ky"), (6, "executed_last_year"),
    }
    assert len(result.errors) == len(pairs(result))
    assert [row["row"] for row in result.rows] == [2, 7]
    by_pair = {(e.row, e.column): e.message for e in result.errors}
    assert by_pair[(3, "kind")]._kwargs == {"value": "gift"}
    assert by_pair[(3, "category")]._args[0] == "Unknown category “%(value)s”."
    assert by_pair[(3, "executed_last_year")]._args[0] == "Amounts cannot be negative."
    assert by_pair[(3, "proposed")]._args[0] == "Amounts can have at most two decimal places."
    assert by_pair[(6, "executed_last_year")]._args[0] == "This amount is too large."
    assert by_pair[(6, "name_ky")]._kwargs == {"max": 300}


def test_parse_lines_error_messages_translate_in_app_context(app_context):
    rows = [HEADER, ["gift", "1", "a", "b", "water", "1", "1", "1", ""]]
    (error,) = parse_lines("b.csv", csv_bytes(rows)).errors

    assert error == RowError(2, "kind", error.message)
    assert str(error.message) == "Unknown kind “gift”; use revenue or expenditure."
    assert str(HEADERS[error.column]) == "Kind"


def test_parse_lines_duplicate_kind_and_code_names_the_first_row(app_context):
    rows = [HEADER,
            ["revenue", "2111", "a", "b", "other", "1", "1", "1", ""],
            ["expenditure", "2111", "a", "b", "other", "1", "1", "1", ""],
            ["revenue", "3000", "a", "b", "other", "1", "1", "1", ""],
            ["доходы", " 2111 ", "c", "d", "other", "1", "1", "1", ""]]
    result = parse_lines("b.csv", csv_bytes(rows))

    assert pairs(result) == {(5, "code")}
    assert str(result.errors[0].message) == (
        "A line of the same kind with code “2111” is already in row 2.")
    assert [row["row"] for row in result.rows] == [2, 3, 4]


def test_parse_lines_missing_headers_reports_each_on_row_one(app_context):
    rows = [["Kind", "Код", "Name (Kyrgyz)", "whatever", "Proposed"],
            ["revenue", "1", "a", "b", "1"]]
    result = parse_lines("b.csv", csv_bytes(rows))

    assert pairs(result) == {(1, "name_ru"), (1, "category"), (1, "approved_last_year"),
                             (1, "executed_last_year")}
    assert result.rows == ()
    assert "is missing from the header row" in str(result.errors[0].message)


def test_parse_lines_note_column_is_optional():
    rows = [HEADER[:-1], GOOD[0][:-1]]
    result = parse_lines("b.csv", csv_bytes(rows))

    assert result.ok and result.rows[0]["note"] == ""


def test_parse_lines_semicolon_cp1251_csv_is_read():
    rows = [["Вид", "Код", "Наименование (кыргызский)", "Наименование (русский)", "Категория",
             "Утверждено в прошлом году", "Исполнено в прошлом году", "Предлагается",
             "Примечание"],
            ["расходы", "2111", "Мектептер", "Школы", "образование", "1 234 567,50",
             "1\u00a0000,00", "12,5", "Ремонт; крыши"]]
    data = csv_bytes(rows, delimiter=";", encoding="cp1251")
    result = parse_lines("b.csv", data)

    assert result.ok, result.errors
    (row,) = result.rows
    assert row["name_ru"] == "Школы" and row["note"] == "Ремонт; крыши"
    assert row["approved_last_year"] == Decimal("1234567.50")
    assert row["executed_last_year"] == Decimal("1000.00")
    assert str(row["proposed"]) == "12.50"


def test_parse_lines_bom_utf8_and_tab_csv_are_read():
    bom = b"\xef\xbb\xbf" + csv_bytes([HEADER, *GOOD])
    tabbed = csv_bytes([HEADER, *GOOD], delimiter="\t")

    for data in (bom, tabbed):
        result = parse_lines("b.csv", data)
        assert result.ok and len(result.rows) == 2
        assert result.rows[0]["kind"] is LineKind.REVENUE


def test_parse_lines_xlsx_float_cells_are_exact_or_rejected():
    rows = [HEADER,
            ["revenue", 1111.0, "a", "b", "other", 1234.5, 0.1, 1e6, None],
            ["revenue", "2", "a", "b", "other", 0.125, 12.345, True, None]]
    result = parse_lines("b.xlsx", xlsx_bytes(rows))

    (row,) = result.rows
    assert row["code"] == "1111"
    assert [str(row[key]) for key in COLUMNS[5:8]] == ["1234.50", "0.10", "1000000.00"]
    assert pairs(result) == {(3, "approved_last_year"), (3, "executed_last_year"),
                             (3, "proposed")}
    assert msgids(result)[:2] == ["Amounts can have at most two decimal places."] * 2
    assert msgids(result)[2] == "“%(value)s” is not an amount."


def test_parse_lines_corrupt_xlsx_gives_one_error():
    for data in (b"not a zip at all", xlsx_bytes([HEADER, *GOOD])[:200], b""):
        result = parse_lines("b.xlsx", data)
        assert result.rows == () and len(result.errors) == 1
        assert result.errors[0].row is None and result.errors[0].column is None
        assert msgids(result) == ["The file could not be read as an Excel workbook (.xlsx)."]


def test_parse_lines_unreadable_csv_gives_one_error():
    result = parse_lines("b.csv", b"kind,code\x00\x98\x00")

    assert pairs(result) == {(None, None)}
    assert msgids(result) == ["The file could not be read as CSV text."]


def test_parse_lines_unsupported_extension_gives_one_error():
    for name in ("budget.xls", "budget.pdf", "csv", "budget"):
        result = parse_lines(name, csv_bytes([HEADER, *GOOD]))
        assert not result.ok and result.rows == ()
        assert msgids(result) == ["Only .csv and .xlsx files can be imported."]


def test_parse_lines_empty_file_and_header_only_are_errors():
    assert msgids(parse_lines("b.csv", b"")) == ["The file is empty."]
    assert msgids(parse_lines("b.csv", b"\r\n;;\r\n")) == ["The file is empty."]
    assert msgids(parse_lines("b.xlsx", xlsx_bytes([]))) == ["The file is empty."]
    assert msgids(parse_lines("b.csv", csv_bytes([HEADER, [""] * 9]))) == [
        "The file has a header row but no budget lines."]


def test_parse_lines_too_many_rows_is_one_error():
    rows = [HEADER] + [["revenue", str(n), "a", "b", "other", "1", "1", "1", ""]
                       for n in range(6)]

    assert parse_lines("b.csv", csv_bytes(rows), max_rows=6).ok
    result = parse_lines("b.csv", csv_bytes(rows), max_rows=5)
    assert pairs(result) == {(None, None)} and result.rows == ()
    assert result.errors[0].message._kwargs == {"max": 5}


def test_parse_lines_amount_text_variants():
    amounts = ["1 234 567,50", "1,234,567.50", "1\u202f234\u202f567.5", "1234567.50"]
    rows = [HEADER] + [["revenue", str(n), "a", "b", "other", value, "", "0", ""]
                       for n, value in enumerate(amounts)]
    result = parse_lines("b.csv", csv_bytes(rows))

    assert result.ok, result.errors
    assert {row["approved_last_year"] for row in result.rows} == {Decimal("1234567.50")}
    assert {row["executed_last_year"] for row in result.rows} == {Decimal("0")}


def test_export_csv_has_bom_and_english_header():
    data = export_csv([line()])

    assert data.startswith(b"\xef\xbb\xbf")
    text = data.decode("utf-8-sig").splitlines()
    assert text[0] == ",".join(COLUMNS)
    assert text[1] == "expenditure,2111,Мектептер,Школы,education,100.00,99.50,120.00,"


LINES = [
    line(),
    line(kind=LineKind.REVENUE, code="1111100", category=Category.OTHER,
         name_ky="Салык, \"жергиликтүү\"", name_ru="Налог;\nместный",
         approved_last_year=Decimal("1234567890.12"), executed_last_year=Decimal("0.00"),
         proposed=Decimal("0.50"), note="=HYPERLINK(\"x\")"),
    line(code="0701", note="-минус", name_ru="'кавычка", name_ky="@a",
         proposed=Decimal("9999999999999.99")),
    line(kind="expenditure", category="roads", code="2200", note="''=x"),
]


def as_input(lines):
    return [{key: line_[key] for key in COLUMNS} for line_ in lines]


def as_output(result):
    return [{key: row[key] for key in COLUMNS} for row in result.rows]


def test_export_csv_round_trips_exactly():
    result = parse_lines("export.csv", export_csv(LINES))

    assert result.ok, result.errors
    assert as_output(result) == as_input(LINES)
    assert [row["row"] for row in result.rows] == [2, 3, 4, 5]


def test_export_xlsx_round_trips_exactly():
    result = parse_lines("export.xlsx", export_xlsx(LINES))

    assert result.ok, result.errors
    assert as_output(result) == as_input(LINES)
    assert str(result.rows[2]["proposed"]) == "9999999999999.99"


def test_export_xlsx_writes_numbers_and_text_not_formulas():
    book = openpyxl.load_workbook(io.BytesIO(export_xlsx(LINES)))
    sheet = book.worksheets[0]

    assert [cell.value for cell in sheet[1]] == list(COLUMNS)
    assert sheet["F2"].data_type == "n" and sheet["F2"].number_format == "#,##0.00"
    assert sheet["I3"].data_type == "s" and sheet["I3"].value.startswith("=")
    assert sheet["B4"].value == "0701"


def test_export_accepts_objects():
    objects = [SimpleNamespace(**line(note=None))]

    result = parse_lines("b.csv", export_csv(objects))
    assert as_output(result) == as_input([line()])


def test_import_result_is_frozen():
    result = ImportResult()

    assert result.ok
    with pytest.raises(AttributeError):
        result.rows = ()


def test_parse_lines_xlsx_formula_without_saved_result_is_an_error():
    rows = [HEADER, ["revenue", "1", "a", "b", "other", "=2+2", 5, "=F2", None]]
    result = parse_lines("b.xlsx", xlsx_bytes(rows))

    assert pairs(result) == {(2, "approved_last_year"), (2, "proposed")}
