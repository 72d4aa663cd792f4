"""Budget lines to and from CSV or Excel (.xlsx) files.

parse_lines() reads a spreadsheet a finance officer prepared, accepting English, Kyrgyz or
Russian headers and labels, and reports every problem of every row at once; pb.budgets.exporters
writes files that parse_lines() reads back exactly.
"""
import codecs
import csv
import io
import unicodedata
from collections.abc import Callable, Mapping
from contextlib import closing
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

import openpyxl
from flask_babel import lazy_gettext as _l

from pb.budgets.states import Category, LineKind
from pb.core.models import to_money

COLUMNS = ("kind", "code", "name_ky", "name_ru", "category",
           "approved_last_year", "executed_last_year", "proposed", "note")
AMOUNTS = ("approved_last_year", "executed_last_year", "proposed")
REQUIRED_HEADERS = COLUMNS[:-1]
MAX_LENGTH = {"code": 20, "name_ky": 300, "name_ru": 300}
MAX_ROWS = 5000
# Far above any municipal budget, and small enough that an Excel number (a float with 15
# significant digits) still holds every tyiyn exactly.
MAX_AMOUNT = Decimal(10) ** 13

HEADERS = {
    "kind": _l("Kind"),
    "code": _l("Code"),
    "name_ky": _l("Name (Kyrgyz)"),
    "name_ru": _l("Name (Russian)"),
    "category": _l("Category"),
    "approved_last_year": _l("Approved last year"),
    "executed_last_year": _l("Executed last year"),
    "proposed": _l("Proposed"),
    "note": _l("Note"),
}

_HEADER_ALIASES = {
    "kind": ("Kind", "Type", "Түрү", "Вид", "Тип"),
    "code": ("Code", "Код", "Код бюджетной классификации", "Бюджеттик классификация коду"),
    "name_ky": ("Name (Kyrgyz)", "Аталышы (кыргызча)", "Наименование (кыргызский)",
                "Наименование (на кыргызском)", "Наименование (киргизский)"),
    "name_ru": ("Name (Russian)", "Аталышы (орусча)", "Наименование (русский)",
                "Наименование (на русском)"),
    "category": ("Category", "Категория", "Категориясы"),
    "approved_last_year": ("Approved last year", "Өткөн жылы бекитилген",
                           "Утверждено в прошлом году"),
    "executed_last_year": ("Executed last year", "Өткөн жылы аткарылган",
                           "Исполнено в прошлом году"),
    "proposed": ("Proposed", "Сунушталган", "Предлагается", "Предложено"),
    "note": ("Note", "Notes", "Эскертүү", "Примечание", "Примечания"),
}
_KIND_ALIASES = {
    LineKind.REVENUE: ("income", "киреше", "кирешелер", "доход", "доходы"),
    LineKind.EXPENDITURE: ("expense", "чыгаша", "чыгашалар", "чыгым", "чыгымдар",
                           "расход", "расходы"),
}
_CATEGORY_ALIASES = {
    Category.EDUCATION: ("билим берүү", "образование"),
    Category.HEALTH: ("саламаттык сактоо", "здравоохранение"),
    Category.CULTURE: ("маданият", "культура"),
    Category.HOUSING: ("housing and communal services", "турак жай-коммуналдык чарба", "ЖКХ",
                       "жилищно-коммунальное хозяйство",
                       "ЖКХ (жилищно-коммунальное хозяйство)"),
    Category.WATER: ("суу", "вода"),
    Category.ROADS: ("жолдор", "дороги"),
    Category.LIGHTING: ("street lighting", "көчө жарыктандыруу", "уличное освещение"),
    Category.WASTE: ("таштанды", "отходы", "вывоз мусора", "вывоз отходов", "отходы (вывоз мусора)"),
    Category.SOCIAL: ("social protection", "социалдык коргоо", "социальная защита"),
    Category.ADMINISTRATION: ("башкаруу", "управление", "администрация",
                              "управление (администрация)"),
    Category.OTHER: ("башка", "прочее", "прочие", "другое"),
}

# Kyrgyz letters typed on a Russian keyboard, and ё, compare as their plain look-alikes.
_FOLD = str.maketrans("үөңё", "уоне")


def _key(text):
    """Case-, space- and punctuation-insensitive form of a header or label."""
    text = unicodedata.normalize("NFKC", str(text)).casefold().translate(_FOLD)
    return "".join(ch for ch in text if ch.isalnum())


def _lookup(aliases):
    table = {}
    for target, names in aliases.items():
        for name in (getattr(target, "value", target), *names):
            if table.setdefault(_key(name), target) != target:
                raise ValueError(f"ambiguous alias {name!r}")
    return table


_HEADER_LOOKUP = _lookup(_HEADER_ALIASES)
_KIND_LOOKUP = _lookup(_KIND_ALIASES)
_CATEGORY_LOOKUP = _lookup(_CATEGORY_ALIASES)


@dataclass(frozen=True)
class TableSchema:
    """What a kind of spreadsheet holds: its columns, their names and parsers, and row rules.

    Budget lines use LINES (below); other imports (execution figures) build their own schema and
    read files through parse_table(), with the same strict rules and messages.
    """

    columns: tuple
    required: tuple
    headers: Mapping  # column -> lazy label, as messages name it
    header_lookup: Mapping  # _key(header text) -> column
    parsers: Mapping  # column -> parse(cell value), raising Invalid
    no_rows: object  # the message for a header without rows
    # row -> [(column, message)]: checks across columns, run once every cell parsed
    check_row: Callable | None = None
    # row -> a key that must be unique in the file, and (row, first_row) -> (column, message)
    unique_key: Callable | None = None
    duplicate: Callable | None = field(default=None)


@dataclass(frozen=True)
class RowError:
    row: int | None  # as numbered in the spreadsheet, the header being row 1
    column: str | None  # a key of COLUMNS
    message: object  # a lazy translated string


@dataclass(frozen=True)
class ImportResult:
    rows: tuple = ()  # dicts with the COLUMNS keys plus "row", for the rows without errors
    errors: tuple = ()

    @property
    def ok(self):
        return not self.errors


class _Invalid(Exception):
    def __init__(self, message):
        super().__init__(message)
        self.message = message


# --- reading files -------------------------------------------------------------------------

def parse_lines(filename: str, data: bytes, max_rows: int = MAX_ROWS) -> ImportResult:
    """Budget lines from a CSV or XLSX file, or every problem of every row."""
    return parse_table(filename, data, LINES, max_rows)


def parse_table(filename: str, data: bytes, schema: TableSchema, max_rows: int = MAX_ROWS) -> ImportResult:
    """The rows of a CSV or XLSX file read with schema, or every problem of every row."""
    extension = filename.rpartition(".")[2].lower() if "." in filename else ""
    reader = {"csv": _csv_rows, "xlsx": _xlsx_rows}.get(extension)
    if reader is None:
        return _failed(_l("Only .csv and .xlsx files can be imported."))
    try:
        with closing(reader(data)) as rows:
            return _parse_table(rows, max_rows, schema)
    except _Invalid as exc:
        return _failed(exc.message)


def _failed(message):
    return ImportResult((), (RowError(None, None, message),))


def _csv_rows(data):
    text = _decode(data)
    delimiter = _sniff_delimiter(text)
    try:
        for cells in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter):
            yield [_csv_unescape(cell) for cell in cells]
    except csv.Error as exc:
        raise _Invalid(_l("The file could not be read as CSV text.")) from exc


def _decode(data):
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):  # Excel "Unicode text"
        encodings = ("utf-16",)
    else:  # utf-8-sig also reads UTF-8 without a BOM; Excel in a Russian locale saves cp1251
        encodings = ("utf-8-sig", "cp1251")
    for encoding in encodings:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if "\x00" not in text:
            return text
    raise _Invalid(_l("The file could not be read as CSV text."))


def _sniff_delimiter(text):
    first = next((line for line in text.splitlines() if line.strip()), "")
    return max((";", "\t", ","), key=first.count) if first else ","


def _xlsx_rows(data):
    books = []
    try:  # a damaged upload can fail anywhere inside zipfile or the XML parser
        for data_only in (True, False):
            books.append(openpyxl.load_workbook(io.BytesIO(data), read_only=True,
                                                data_only=data_only))
        values, formulas = (book.worksheets[0].iter_rows(values_only=True) for book in books)
        for cells, raw in zip(values, formulas):
            yield [_UNCOMPUTED if value is None and formula is not None else value
                   for value, formula in zip(cells, raw)]
    except Exception as exc:
        raise _Invalid(_l("The file could not be read as an Excel workbook (.xlsx).")) from exc
    finally:
        for book in books:
            book.close()


# A formula cell whose result was never saved (files written by programs other than Excel or
# LibreOffice): reading it as empty would silently turn an amount into 0.
_UNCOMPUTED = type("Uncomputed", (), {"__str__": lambda self: "="})()


# --- checking rows -------------------------------------------------------------------------

def _parse_table(rows, max_rows, schema):
    columns, count, lines, errors, first_seen = None, 0, [], [], {}
    for number, cells in enumerate(rows, start=1):
        if all(_text(cell) == "" for cell in cells):
            continue
        if columns is None:
            columns, header_errors = _read_header(cells, number, schema)
            if header_errors:
                return ImportResult((), tuple(header_errors))
            continue
        count += 1
        if count > max_rows:
            return _failed(_l("The file has more than %(max)s lines; split it into smaller "
                              "files.", max=max_rows))
        line, row_errors = _read_row(cells, columns, number, schema)
        errors += row_errors
        if line is None:
            continue
        first = first_seen.setdefault(schema.unique_key(line), number) if schema.unique_key else number
        if first != number:
            column, message = schema.duplicate(line, first)
            errors.append(RowError(number, column, message))
        else:
            lines.append(line)
    if columns is None:
        return _failed(_l("The file is empty."))
    if count == 0:
        return _failed(schema.no_rows)
    return ImportResult(tuple(lines), tuple(errors))


def _read_header(cells, number, schema):
    columns, errors = {}, []
    for index, cell in enumerate(cells):
        key = schema.header_lookup.get(_key(_text(cell)))
        if key in columns:
            errors.append(RowError(number, key, _l(
                "The column “%(column)s” appears more than once.", column=schema.headers[key])))
        elif key is not None:
            columns[key] = index
    for key in schema.required:
        if key not in columns:
            errors.append(RowError(number, key, _l(
                "The column “%(column)s” is missing from the header row.",
                column=schema.headers[key])))
    return columns, errors


def _read_row(cells, columns, number, schema):
    line, errors = {"row": number}, []
    for key in schema.columns:
        index = columns.get(key)
        value = cells[index] if index is not None and index < len(cells) else None
        try:
            if value is _UNCOMPUTED:
                raise _Invalid(_l("This cell holds a formula whose result was not saved; open "
                                  "the file in Excel and save it again."))
            line[key] = schema.parsers[key](value)
        except _Invalid as exc:
            errors.append(RowError(number, key, exc.message))
    if not errors and schema.check_row is not None:
        errors = [RowError(number, column, message) for column, message in schema.check_row(line)]
    return (None if errors else line), errors


def _text(value):
    """A cell as stripped text; whole numbers Excel stored as floats lose their ".0"."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _string(required, max_length=None):
    def parse(value):
        text = _text(value)
        if required and not text:
            raise _Invalid(_l("This value is required."))
        if max_length and len(text) > max_length:
            raise _Invalid(_l("This value is longer than %(max)s characters.", max=max_length))
        return text
    return parse


def _choice(lookup, unknown):
    def parse(value):
        text = _text(value)
        if not text:
            raise _Invalid(_l("This value is required."))
        try:
            return lookup[_key(text)]
        except KeyError:
            raise _Invalid(unknown(_shorten(text))) from None
    return parse


def _shorten(text, limit=40):
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _amount(value):
    if isinstance(value, float):
        value = repr(value)  # the shortest text giving this float: 1234.5 -> "1234.5"
    try:
        if isinstance(value, bool) or not isinstance(value, (int, Decimal, str, type(None))):
            raise InvalidOperation
        amount = value if isinstance(value, Decimal) else _decimal(value)
        if not amount.is_finite():
            raise InvalidOperation
    except InvalidOperation:
        raise _Invalid(_l("“%(value)s” is not an amount.", value=_shorten(_text(value)))) from None
    if amount < 0:
        raise _Invalid(_l("Amounts cannot be negative."))
    if amount >= MAX_AMOUNT:
        raise _Invalid(_l("This amount is too large."))
    if amount != amount.quantize(Decimal("0.01")):
        raise _Invalid(_l("Amounts can have at most two decimal places."))
    return to_money(amount if amount else Decimal(0))  # no "-0.00"


def _decimal(value):
    """Decimal from amount text: "1 234 567,50", "1,234,567.50", "1234567.50"; empty is 0."""
    text = _text(value).replace("\u2212", "-")
    for space in (" ", "\u00a0", "\u2009", "\u202f", "\t"):
        text = text.replace(space, "")
    if not text:
        return Decimal(0)
    if "," in text and "." in text and text.rfind(",") < text.find("."):
        text = text.replace(",", "")  # commas grouping thousands
    elif text.count(",") == 1 and "." not in text:
        text = text.replace(",", ".")  # decimal comma
    return Decimal(text)


_PARSERS = {
    "kind": _choice(_KIND_LOOKUP, lambda text: _l(
        "Unknown kind “%(value)s”; use revenue or expenditure.", value=text)),
    "code": _string(True, MAX_LENGTH["code"]),
    "name_ky": _string(True, MAX_LENGTH["name_ky"]),
    "name_ru": _string(True, MAX_LENGTH["name_ru"]),
    "category": _choice(_CATEGORY_LOOKUP, lambda text: _l(
        "Unknown category “%(value)s”.", value=text)),
    **{key: _amount for key in AMOUNTS},
    "note": _string(False),
}

LINES = TableSchema(
    columns=COLUMNS,
    required=REQUIRED_HEADERS,
    headers=HEADERS,
    header_lookup=_HEADER_LOOKUP,
    parsers=_PARSERS,
    no_rows=_l("The file has a header row but no budget lines."),
    unique_key=lambda line: (line["kind"], line["code"]),
    duplicate=lambda line, first: ("code", _l(
        "A line of the same kind with code “%(code)s” is already in row %(row)s.",
        code=line["code"], row=first)),
)

# The building blocks other imports share (pb.budgets.execution_importers).
Invalid = _Invalid
key_of = _key
make_lookup = _lookup
cell_text = _text
shorten = _shorten
string_parser = _string
choice_parser = _choice
parse_amount = _amount
KIND_LOOKUP = _KIND_LOOKUP


# Text a spreadsheet program would run as a formula is written with a leading apostrophe in CSV (and
# the apostrophe itself is doubled) by pb.budgets.exporters; reading removes it again.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "'")


def _csv_unescape(text):
    return text[1:] if text.startswith("'") and text[1:].startswith(FORMULA_START) else text
