"""The allocation report of a closed round as an A4 PDF, in Kyrgyz or Russian: the rule in plain words,
every proposal with its votes, cost and decision, totals per village, turnout, a chart, signatures."""
from flask_babel import force_locale, gettext as _
from reportlab.graphics.shapes import Drawing, Rect, String
from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import cm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import KeepTogether, Paragraph, Spacer, Table

from pb.core.i18n import format_money, format_number
from pb.hearings.minutes_format import local_date
from pb.reports.pdf.base import CONTENT_WIDTH, build_pdf, styles, table, table_style, text
from pb.reports.pdf.fonts import REGULAR
from pb.reports.results_tables import score_heading

LANGUAGES = ("ky", "ru")
FUNDED, UNFUNDED = colors.HexColor("#2f7d32"), colors.white


def render_allocation_pdf(sheet, signers, lang, municipality_name):
    """The report of a pb.voting.result_sheet.Sheet built in lang, as PDF bytes; signers = (chair, secretary)."""
    if lang not in LANGUAGES:
        raise ValueError(f"allocation reports are printed in {LANGUAGES}, not {lang!r}")
    with force_locale(lang):
        style = styles()
        story = _heading(sheet, municipality_name, style)
        story += _proposals(sheet, style)
        story += _chart(sheet, style)
        story += _villages(sheet, style)
        story += _turnout(sheet.turnout, style)
        story.append(_signatures(signers, style))
        title = _("Allocation report")
        return build_pdf(story, title=f"{title} — {sheet.round.title}", footer_left=f"{municipality_name} · {title}",
                         page_label=lambda page, pages: _("Page %(page)d of %(pages)d", page=page, pages=pages))


def _money(value):
    return str(format_money(value))


def _heading(sheet, municipality_name, style):
    round_ = sheet.round
    rows = [
        (_("Voting"), f"{local_date(round_.opens_at)} — {local_date(round_.closes_at)}"),
        (_("Money to share"), _money(sheet.amount)),
        (_("Given to the funded proposals"), _money(sheet.cost)),
        (_("Money left"), _money(sheet.left)),
        (_("Ballots counted"), format_number(sheet.turnout.total)),
        (_("How the money was allocated"), sheet.rule_text + (f". {sheet.quota_text}" if sheet.quota_text else "")),
        (_("Ties"), sheet.ties_text),
        (_("Fingerprint of the ballots (SHA-256)"), sheet.kept.digest),
    ]
    facts = Table([[Paragraph(text(label), style["cell_bold"]), Paragraph(text(value), style["cell"])]
                   for label, value in rows], colWidths=[4.5 * cm, CONTENT_WIDTH - 4.5 * cm], hAlign="LEFT",
                  style=table_style([("VALIGN", (0, 0), (-1, -1), "TOP"), ("TOPPADDING", (0, 0), (-1, -1), 1.5),
                                     ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5)]))
    return [Paragraph(text(_("Allocation report")), style["title"]),
            Paragraph(text(municipality_name), style["subtitle"]),
            Paragraph(text(round_.title), style["subtitle"])] + ([
        Paragraph(text(_("Rehearsal imported from the file %(file)s: not a real vote. Its ballots were not cast "
                         "in Ashar and its results decide nothing.", file=round_.imported_from)), style["subtitle"])]
        if round_.is_imported else []) + [Spacer(1, 8), facts]


def _proposals(sheet, style):
    rows = [["№", _("Proposal"), _("Village"), _("Cost"), score_heading(sheet.round.method), _("Decision")]]
    for n, row in enumerate(sheet.rows, 1):
        rows.append([str(n), row.entry.proposal.title, row.entry.proposal.village_name,
                     format_number(row.entry.cost), format_number(row.score), row.reason_text])
    rows.append(["", _("Total funded"), "", format_number(sheet.cost), "",
                 _("%(funded)d of %(total)d proposals", funded=len(sheet.funded), total=len(sheet.rows))])
    widths = [0.8 * cm, 3.3 * cm, 2.6 * cm, 2.5 * cm, 2 * cm, CONTENT_WIDTH - 11.2 * cm]
    # a heading kept with a table of several pages would push the whole table to the next page
    heading = ParagraphStyle("h2_free", style["h2"], keepWithNext=0)
    return [Paragraph(text(_("Proposals and decisions")), heading),
            table(rows, widths, style, total=True),
            Paragraph(text(_("Costs in som. Funded proposals come first, in the order the rule chose them.")),
                      style["small"])]


def _chart(sheet, style):
    """Horizontal bars of the scores, filled for funded proposals, outlined for the others (prints in grey)."""
    rows = sorted(sheet.rows, key=lambda r: -r.score)
    top = sheet.top_score or 1
    bar_h, gap, label_w = 9, 4, 6.2 * cm
    height = len(rows) * (bar_h + gap) + 4
    drawing = Drawing(CONTENT_WIDTH, height)
    room = CONTENT_WIDTH - label_w - 1.4 * cm
    for i, row in enumerate(rows):
        y = height - (i + 1) * (bar_h + gap)
        drawing.add(String(0, y + 1.5, _fit(row.entry.proposal.title, label_w - 6), fontName=REGULAR,
                           fontSize=7.5))
        width = max(row.score / top * room, 0.5)
        drawing.add(Rect(label_w, y, width, bar_h, fillColor=FUNDED if row.funded else UNFUNDED,
                         strokeColor=colors.HexColor("#333333"), strokeWidth=0.5))
        drawing.add(String(label_w + width + 3, y + 1.5, format_number(row.score), fontName=REGULAR, fontSize=7.5))
    legend = _("Filled bar: funded. Empty bar: not funded.")
    heading = f"{_('Chart')}: {score_heading(sheet.round.method)}"
    return [Paragraph(text(heading), style["h2"]), drawing, Paragraph(text(legend), style["small"])]


def _fit(title, width, size=7.5):
    """The title, cut with an ellipsis where it would run into the bars."""
    if stringWidth(title, REGULAR, size) <= width:
        return title
    while title and stringWidth(title + "…", REGULAR, size) > width:
        title = title[:-1]
    return title.rstrip() + "…"


def _villages(sheet, style):
    quotas = bool(sheet.kept.quota_basis)
    header = [_("Village")] + ([_("Share of the money")] if quotas else []) + [_("Funded"), _("Given")]
    rows = [header]
    for v in sheet.villages:
        share = [format_number(v.share) if v.share is not None else "—"] if quotas else []
        rows.append([v.village.name] + share + [f"{v.funded} / {v.proposals}", format_number(v.cost)])
    rows.append([_("Total")] + ([format_number(sheet.amount)] if quotas else [])
                + [f"{len(sheet.funded)} / {len(sheet.rows)}", format_number(sheet.cost)])
    width = 3.6 * cm
    widths = [CONTENT_WIDTH - width * (len(header) - 1)] + [width] * (len(header) - 1)
    return [Paragraph(text(_("Totals per village")), style["h2"]),
            table(rows, widths, style, numeric_from=1, total=True)]


def _turnout(turnout, style):
    rows = [[_("Way of voting"), _("Ballots")]]
    rows += [[str(channel.label), format_number(count)] for channel, count in turnout.by_channel.items()]
    rows.append([_("Total"), format_number(turnout.total)])
    story = [Paragraph(text(_("Turnout")), style["h2"]),
             table(rows, [CONTENT_WIDTH - 3.6 * cm, 3.6 * cm], style, numeric_from=1, total=True)]
    if turnout.by_location:
        places = [[_("Place"), _("Ballots")]]
        places += [[location.name if location else _("online (no place)"), format_number(total)]
                   for location, _counts, total in turnout.by_location]
        story += [Paragraph(text(_("By place")), style["h3"]),
                  table(places, [CONTENT_WIDTH - 3.6 * cm, 3.6 * cm], style, numeric_from=1)]
    if turnout.spoiled:
        story.append(Paragraph(text(_("Spoiled paper ballots")) + f": {turnout.spoiled}", style["body"]))
    return story


def _signatures(signers, style):
    line = "_" * 28
    rows = [[Paragraph(text(label), style["cell_bold"]), Paragraph(line, style["cell"]),
             Paragraph(text(name or ""), style["cell"])]
            for label, name in ((_("Chair"), signers[0]), (_("Secretary"), signers[1]))]
    signatures = Table(rows, colWidths=[3.5 * cm, 6.5 * cm, CONTENT_WIDTH - 10 * cm], hAlign="LEFT",
                       style=table_style([("TOPPADDING", (0, 0), (-1, -1), 14),
                                          ("VALIGN", (0, 0), (-1, -1), "BOTTOM")]))
    return KeepTogether([Paragraph(text(_("Signatures")), style["h2"]), signatures])
