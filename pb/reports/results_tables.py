"""A round's results as CSV and XLSX: the same figures as the results page, in the current language."""
import csv
import io

from flask_babel import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _cell(value):
    # a spreadsheet would run text starting like a formula; the apostrophe keeps it text
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def score_heading(method):
    """The name of the score column for the round's ballot method."""
    return {"cumulative": _("Points"), "ranking": _("Score")}.get(method.value, _("Votes"))


def _header(sheet):
    return [_("Order funded"), _("Proposal number"), _("Proposal"), _("Village"), _("Cost (som)"), _("Ballots"),
            score_heading(sheet.round.method), _("Decision"), _("Reason")]


def _rows(sheet):
    for row in sheet.rows:
        yield [row.order or "", row.entry.proposal_id, row.entry.proposal.title, row.entry.proposal.village_name,
               row.entry.cost, row.ballots, row.score, _("funded") if row.funded else _("not funded"), row.reason_text]


def results_csv(sheet):
    """One line per proposal (funded first, in the order chosen), UTF-8 with a BOM for spreadsheets."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(_header(sheet))
    for values in _rows(sheet):
        writer.writerow([_cell(value) if isinstance(value, str) else value for value in values])
    return out.getvalue().encode("utf-8-sig")


def _summary(sheet):
    """(label, value) lines of the second sheet: money, rule, villages, turnout."""
    t = sheet.turnout
    lines = [(_("Round"), sheet.round.title), (_("Money to share"), sheet.amount),
             (_("Given to the funded proposals"), sheet.cost), (_("Money left"), sheet.left),
             (_("How the money was allocated"), sheet.rule_text), (_("Ties"), sheet.ties_text),
             (_("Ballots counted"), t.total)]
    lines += [(str(channel.label), count) for channel, count in t.by_channel.items()]
    lines += [(location.name if location else _("online (no place)"), total) for location, _c, total in t.by_location]
    lines += [(_("Spoiled paper ballots"), t.spoiled), (_("Fingerprint of the ballots (SHA-256)"), sheet.kept.digest)]
    for v in sheet.villages:
        lines.append((_("%(village)s: given", village=v.village.name), v.cost))
        if v.share is not None:
            lines.append((_("%(village)s: share of the money", village=v.village.name), round(v.share, 2)))
    return lines


def results_xlsx(sheet):
    """Two sheets: the proposals with their decisions, and the totals with turnout by channel and place."""
    book = Workbook()
    table = book.active
    table.title = _("Results")[:31]
    table.append(_header(sheet))
    for values in _rows(sheet):
        table.append([_cell(value) for value in values])
    for cell in table[1]:
        cell.font = Font(bold=True)
    for row in table.iter_rows(min_row=2, min_col=5, max_col=5):
        row[0].number_format = "#,##0.00"
    for column, width in zip("ABCDEFGHI", (8, 10, 48, 18, 14, 9, 9, 12, 80)):
        table.column_dimensions[column].width = width
    summary = book.create_sheet(_("Totals")[:31])
    for label, value in _summary(sheet):
        summary.append([_cell(label), _cell(value)])
    summary.column_dimensions["A"].width = 40
    summary.column_dimensions["B"].width = 70
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
