"""The approved-budget summary as an A4 PDF for the council, in Kyrgyz or Russian."""
from babel.dates import format_date as babel_date
from flask_babel import force_locale, get_locale, gettext as _
from reportlab.lib.units import cm
from reportlab.platypus import KeepTogether, Paragraph, Spacer, Table

from pb.core.i18n import format_money, format_number, format_percent
from pb.hearings.minutes_format import local_date
from pb.reports.pdf import charts
from pb.reports.pdf.base import CONTENT_WIDTH, build_pdf, styles, table, table_style, text

LANGUAGES = ("ky", "ru")


def money(value):
    return str(format_money(value))


def change_ratio(now, before):
    return format_percent((now - before) / before, 1) if before else "—"


def signed(value):
    return ("+" if value > 0 else "") + money(value)


def day(value):
    """A calendar date, e.g. "20 декабря 2026 г."."""
    return babel_date(value, "long", locale=get_locale()) if value else ""


def millions(value):
    return format_number(value / 1_000_000, 1) if value else "0"


def council_titles(is_city):
    if is_city:
        return _("Chair of the city kenesh"), _("Secretary of the city kenesh")
    return _("Chair of the aiyl kenesh"), _("Secretary of the aiyl kenesh")


def render_summary_pdf(doc, lang):
    """The summary of an approved budget (a pb.reports.budget_documents.BudgetDocument) as PDF bytes in lang."""
    if lang not in LANGUAGES:
        raise ValueError(f"the summary is printed in {LANGUAGES}, not {lang!r}")
    with force_locale(lang):
        style = styles()
        name = doc.names[lang]
        story = _heading(doc, name, lang, style)
        story += _totals(doc, style)
        story += _revenue(doc, style)
        story += _expenditure(doc, style)
        story += _funded(doc, style)
        story += _hearings(doc, style)
        story.append(_decision(doc, style))
        title = _("Approved budget %(year)d", year=doc.fiscal_year)
        return build_pdf(story, title=f"{title} — {name}", footer_left=f"{name} · {title}",
                         page_label=lambda page, pages: _("Page %(page)d of %(pages)d", page=page, pages=pages))


def _heading(doc, name, lang, style):
    place = ", ".join(part for part in (doc.rayon, str(doc.oblast.label)) if part)
    approval = doc.approval
    story = [
        Paragraph(text(_("Approved budget %(year)d", year=doc.fiscal_year)), style["title"]),
        Paragraph(text(name), style["subtitle"]),
        Paragraph(text(place), style["subtitle"]),
        Paragraph(text(_("Approved by the local council: session %(session)s of %(date)s",
                         session=approval.session_number, date=day(approval.session_date))), style["subtitle"]),
        Spacer(1, 8),
    ]
    if doc.summaries.get(lang):
        story.append(Paragraph(text(doc.summaries[lang]), style["body"]))
    return story


def _totals(doc, style):
    f = doc.figures
    rows = [["", _("Last year"), _("This year"), _("Change"), _("Change, %")]]
    for label, now, before in ((_("Revenue"), f.revenue, f.revenue_last_year),
                               (_("Expenditure"), f.expenditure, f.expenditure_last_year)):
        rows.append([label, money(before), money(now), signed(now - before), change_ratio(now, before)])
    rows.append([_("Balance"), money(f.revenue_last_year - f.expenditure_last_year), money(f.balance), "", ""])
    widths = [3.6 * cm, 3.4 * cm, 3.4 * cm, 3.2 * cm, CONTENT_WIDTH - 13.6 * cm]
    story = [Paragraph(text(_("Totals and change against last year")), style["h2"]),
             table(rows, widths, style, numeric_from=1)]
    if f.population:
        story.append(Paragraph(text(_("Population: %(n)s. Expenditure per resident: %(amount)s.",
                                      n=format_number(f.population), amount=money(f.per_resident(f.expenditure)))),
                               style["body"]))
    story.append(charts.compare(
        [(_("Revenue"), f.revenue_last_year, f.revenue), (_("Expenditure"), f.expenditure_last_year, f.expenditure)],
        CONTENT_WIDTH, 5.5 * cm, _("Last year"), _("This year"),
        lambda v: _("%(n)s mln", n=millions(v))))
    return story


def _share_rows(items, label_of):
    rows = [[_("Category"), _("Last year"), _("This year"), _("Change"), _("Share")]]
    rows += [[label_of(item), money(item.last_year), money(item.proposed), signed(item.change),
              format_percent(item.share, 1)] for item in items]
    return rows


WIDTHS = [CONTENT_WIDTH - 11.4 * cm, 3.1 * cm, 3.1 * cm, 3.1 * cm, 2.1 * cm]


def _revenue(doc, style):
    story = [Paragraph(text(_("Revenue by category")), style["h2"])]
    if not doc.revenue:
        return story + [Paragraph(text(_("The budget has no revenue lines.")), style["body"])]
    story.append(table(_share_rows(doc.revenue, lambda r: str(r.group.label)), WIDTHS, style, numeric_from=1))
    story.append(Spacer(1, 6))
    story.append(charts.bars([(str(r.group.label), r.proposed) for r in doc.revenue], CONTENT_WIDTH,
                             value_format=money))
    return story


def _expenditure(doc, style):
    story = [Paragraph(text(_("Expenditure by category")), style["h2"])]
    categories = doc.figures.categories
    if not categories:
        return story + [Paragraph(text(_("The budget has no expenditure lines.")), style["body"])]
    story.append(table(_share_rows(categories, lambda c: str(c.category.label)), WIDTHS, style, numeric_from=1))
    story.append(Spacer(1, 6))
    story.append(charts.pie([(str(c.category.label), c.proposed) for c in categories], CONTENT_WIDTH, 6.5 * cm))
    return story


def _funded(doc, style):
    story = [Paragraph(text(_("Residents' proposals funded by the budget")), style["h2"])]
    if not doc.funded:
        return story + [Paragraph(text(_("No residents' proposal was funded in this budget.")), style["body"])]
    rows = [["№", _("Proposal"), _("Village"), _("Category"), _("Amount")]]
    rows += [[str(i), p.title, p.village, str(p.category.label), money(p.amount)] for i, p in enumerate(doc.funded, 1)]
    rows.append(["", _("Total"), "", "", money(doc.funded_total)])
    widths = [1 * cm, CONTENT_WIDTH - 11.8 * cm, 2.8 * cm, 4.8 * cm, 3.2 * cm]
    return story + [table(rows, widths, style, numeric_from=4, total=True)]


def _hearings(doc, style):
    story = [Paragraph(text(_("Public hearings held on this budget")), style["h2"])]
    if not doc.hearings:
        return story + [Paragraph(text(_("No hearing on this budget has been recorded.")), style["body"])]
    rows = [[_("Date"), _("Place"), _("Participants"), _("Women"), _("Young people (under 30)")]]
    rows += [[f"{local_date(h.starts_at, 'medium')}\n{h.kind.label}", h.place, format_number(h.participants),
              format_number(h.women), format_number(h.young)] for h in doc.hearings]
    total = sum(h.participants for h in doc.hearings)
    rows.append([_("Total"), "", format_number(total), format_number(sum(h.women for h in doc.hearings)),
                 format_number(sum(h.young for h in doc.hearings))])
    widths = [3.4 * cm, CONTENT_WIDTH - 11.8 * cm, 3.4 * cm, 2.4 * cm, 2.6 * cm]
    return story + [table(rows, widths, style, numeric_from=2, total=True)]


def _decision(doc, style):
    approval = doc.approval
    facts = [(_("Session of the council"), approval.session_number), (_("Date of the session"), day(approval.session_date))]
    if approval.decision_number:
        facts.append((_("Decision №"), approval.decision_number))
    if doc.version_number:
        facts.append((_("Approved version"), _("version %(n)d", n=doc.version_number)))
    rows = [[Paragraph(text(label), style["cell_bold"]), Paragraph(text(value), style["cell"])] for label, value in facts]
    story = [Paragraph(text(_("Decision of the council")), style["h2"]),
             Table(rows, colWidths=[5 * cm, CONTENT_WIDTH - 5 * cm], hAlign="LEFT",
                   style=table_style([("VALIGN", (0, 0), (-1, -1), "TOP")]))]
    if approval.decision_text:
        story.append(Paragraph(text(approval.decision_text), style["body"]))
    line = "_" * 28
    signatures = Table([[Paragraph(text(title), style["cell_bold"]), Paragraph(line, style["cell"])]
                        for title in council_titles(doc.is_city)],
                       colWidths=[7.5 * cm, CONTENT_WIDTH - 7.5 * cm], hAlign="LEFT",
                       style=table_style([("TOPPADDING", (0, 0), (-1, -1), 16), ("VALIGN", (0, 0), (-1, -1), "BOTTOM")]))
    return KeepTogether(story + [Paragraph(text(_("Signatures")), style["h3"]), signatures])
