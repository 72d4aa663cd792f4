"""The one-page citizen budget for village notice boards: large type, two charts, in Kyrgyz or Russian."""
from flask_babel import force_locale, gettext as _
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import cm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Paragraph, Spacer, Table

from pb.core.i18n import format_number
from pb.reports.pdf import charts
from pb.reports.pdf.base import CONTENT_WIDTH, build_pdf, styles, table_style, text
from pb.reports.pdf.fonts import BOLD
from pb.reports.pdf.summary import day, money

LANGUAGES = ("ky", "ru")
LISTED = 5  # proposals or lines named on the page; the rest are counted
SCALES = (1, 0.9, 0.8, 0.7, 0.6)  # type is made smaller, step by step, until the page holds everything


def _large(style, k):
    body = ParagraphStyle("large", style["body"], fontSize=13 * k, leading=17 * k)
    return {
        "title": ParagraphStyle("ctitle", body, fontName=BOLD, fontSize=24 * k, leading=29 * k, alignment=TA_CENTER),
        "sub": ParagraphStyle("csub", body, fontSize=15 * k, leading=19 * k, alignment=TA_CENTER),
        "h2": ParagraphStyle("ch2", body, fontName=BOLD, fontSize=16 * k, leading=20 * k, spaceBefore=7 * k,
                             spaceAfter=3 * k),
        "label": ParagraphStyle("clabel", body, fontSize=12 * k, leading=15 * k, alignment=TA_CENTER),
        "figure": ParagraphStyle("cfigure", body, fontName=BOLD, fontSize=18 * k, leading=23 * k, alignment=TA_CENTER),
        "body": body,
        "small": ParagraphStyle("csmall", body, fontSize=11 * k, leading=14 * k),
    }


def render_citizen_pdf(doc, lang, url):
    """The citizen budget of a published budget (a BudgetDocument) as one A4 page in lang; url is its page."""
    if lang not in LANGUAGES:
        raise ValueError(f"the citizen budget is printed in {LANGUAGES}, not {lang!r}")
    with force_locale(lang):
        for k in SCALES:
            pages = []
            data = _render(doc, lang, url, k, pages)
            if max(pages) == 1:
                break
        return data


def _render(doc, lang, url, k, pages):
    large = _large(styles(), k)
    name = doc.names[lang]
    f = doc.figures
    story = [
        Paragraph(text(_("Budget %(year)d for citizens", year=doc.fiscal_year)), large["title"]),
        Paragraph(text(name), large["sub"]),
        Paragraph(text(_status(doc)), large["sub"]),
        Spacer(1, 8 * k),
        _figures(f, large),
        Paragraph(text(_("Where the money goes")), large["h2"]),
        charts.pie([(str(c.category.label), c.proposed) for c in f.categories[:8]]
                   + ([(_("other"), sum(c.proposed for c in f.categories[8:]))] if len(f.categories) > 8 else []),
                   CONTENT_WIDTH, 5.8 * cm * k, font_size=11.5 * k),
        Paragraph(text(_("Where the money comes from")), large["h2"]),
        charts.bars([(str(r.group.label), r.proposed) for r in doc.revenue], CONTENT_WIDTH, font_size=11 * k,
                    value_format=money, bar_height=15 * k),
    ]
    story += _highlights(doc, large, lang)
    story.append(Spacer(1, 6 * k))
    story.append(Paragraph(text(_("Read the whole budget, comment and propose: %(url)s", url=url)), large["small"]))
    title = _("Budget %(year)d for citizens", year=doc.fiscal_year)

    def page_label(page, total):
        pages.append(total)
        return _("Page %(page)d of %(pages)d", page=page, pages=total)

    return build_pdf(story, title=f"{title} — {name}", footer_left=f"{name} · {title}", page_label=page_label)


def _status(doc):
    if doc.approval is not None:
        return _("Approved by the local council on %(date)s", date=day(doc.approval.session_date))
    return _("Draft for public discussion (phase: %(phase)s)", phase=doc.phase.label)


def _figures(f, large):
    cells = [(_("Revenue"), money(f.revenue)), (_("Expenditure"), money(f.expenditure))]
    per_resident = f.per_resident(f.expenditure)
    if per_resident is not None:
        cells.append((_("Spent per resident"), money(per_resident)))
    width = CONTENT_WIDTH / len(cells)
    # one size for the three figures, as large as the widest allows on one line
    widest = max(stringWidth(value, BOLD, 1) for _label, value in cells)
    size = min(large["figure"].fontSize, (width - 14) / widest)
    figure = ParagraphStyle("cfigure_fit", large["figure"], fontSize=size, leading=size * 1.25)
    return Table([[Paragraph(text(label), large["label"]) for label, _v in cells],
                  [Paragraph(text(value).replace(" ", "\u00a0"), figure) for _l, value in cells]],
                 colWidths=[width] * len(cells),
                 style=table_style([("BOX", (0, 0), (-1, -1), 1, colors.HexColor("#1f5f8b")),
                                    ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                                    ("INNERGRID", (0, 0), (-1, -1), 0.5, colors.HexColor("#b0b7bf")),
                                    ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#eef3f8")),
                                    ("TOPPADDING", (0, 0), (-1, -1), 5), ("BOTTOMPADDING", (0, 0), (-1, -1), 6)]))


def _highlights(doc, large, lang):
    """The funded proposals (or, before the approval, the largest expenditures) and the hearings' turnout."""
    if doc.funded:
        story = [Paragraph(text(_("Residents' proposals in the budget: %(n)s, %(amount)s",
                                  n=format_number(len(doc.funded)), amount=money(doc.funded_total))), large["h2"])]
        largest = sorted(doc.funded, key=lambda p: -p.amount)[:LISTED]  # the rest are counted, not named
        items = [f"{p.title} ({p.village}) — {money(p.amount)}" for p in largest]
        rest = len(doc.funded) - LISTED
    else:
        story = [Paragraph(text(_("The largest expenditures")), large["h2"])]
        items = [f"{line} — {money(amount)}" for line, amount in doc.largest_lines[lang]]
        rest = 0
    story += [Paragraph("• " + text(item), large["body"]) for item in items]
    if rest > 0:
        story.append(Paragraph(text(_("and %(n)s more", n=format_number(rest))), large["body"]))
    participants = sum(h.participants for h in doc.hearings)
    if participants:
        story.append(Paragraph(text(_("%(n)s residents took part in the public hearings on this budget.",
                                      n=format_number(participants))), large["body"]))
    return story
