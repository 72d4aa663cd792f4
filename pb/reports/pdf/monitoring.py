"""The monitoring report of a budget as an A4 PDF, in Kyrgyz or Russian."""
from flask_babel import force_locale, gettext as _
from reportlab.lib.units import cm
from reportlab.platypus import KeepTogether, Paragraph, Spacer

from pb.budgets.execution import period_label
from pb.core.i18n import format_money, format_number, format_percent, pick
from pb.reports.pdf.base import CONTENT_WIDTH, build_pdf, styles, table, text

LANGUAGES = ("ky", "ru")


def render_monitoring_pdf(summary, lang):
    """The summary (a pb.monitoring.summary.MonitoringSummary) as PDF bytes, every word in lang."""
    if lang not in LANGUAGES:
        raise ValueError(f"monitoring reports are printed in {LANGUAGES}, not {lang!r}")
    with force_locale(lang):
        style = styles()
        budget = summary.budget
        municipality = pick(budget.municipality, "name")
        year = _("Budget %(year)d", year=budget.fiscal_year)
        story = [Paragraph(text(_("Monitoring report")), style["title"]),
                 Paragraph(text(municipality), style["subtitle"]), Paragraph(text(year), style["subtitle"]),
                 Spacer(1, 8)]
        story += _execution(summary.execution, style)
        story += _projects(summary, style)
        story += _reports(summary.reports, style)
        title = f"{_('Monitoring report')} — {municipality} — {year}"
        return build_pdf(story, title=title, footer_left=title,
                         page_label=lambda page, pages: _("Page %(page)d of %(pages)d", page=page, pages=pages))


def _money(value):
    return str(format_money(value))


def _ratio(planned, executed):
    return format_percent(executed / planned, 0) if planned else "—"


def _flag(status):
    return {"over": _("over plan"), "under": _("under plan")}.get(status, "")


def _execution(report, style):
    story = [Paragraph(text(_("Execution against plan")), style["h2"])]
    if report.periods:
        periods = ", ".join(period_label(report.period_kind, p) for p in report.periods)
        story.append(Paragraph(text(f"{_('Recorded periods')}: {periods}."), style["body"]))
    else:
        story.append(Paragraph(text(_("No execution figures have been recorded yet.")), style["body"]))
    story.append(Paragraph(text(_(
        "A line stands out when it has executed more than %(pct)s above its plan, or, once the year is over, "
        "more than %(pct)s below it.", pct=format_percent(report.threshold, 0))), style["small"]))
    widths = [CONTENT_WIDTH - 10.5 * cm, 4 * cm, 4 * cm, 2.5 * cm]
    rows = [["", _("Planned"), _("Executed"), _("Share of plan")]]
    for title, lines in ((_("Revenue"), report.revenue), (_("Expenditure"), report.expenditure)):
        planned, executed = report.totals(lines)
        rows.append([title, _money(planned), _money(executed), _ratio(planned, executed)])
    story.append(table(rows, widths, style, numeric_from=1))
    if report.categories:
        story.append(Paragraph(text(_("Expenditure by category: planned and executed")), style["h3"]))
        rows = [[_("Category"), _("Planned"), _("Executed"), _("Share of plan")]]
        rows += [[f"{c.category.label} {_flag(c.status)}".strip(), _money(c.planned), _money(c.executed),
                  _ratio(c.planned, c.executed)] for c in report.categories]
        story.append(table(rows, widths, style, numeric_from=1))
    off = report.off_plan
    story.append(Paragraph(text(_("Lines far off their plan")), style["h3"]))
    if not off:
        return story + [Paragraph(text(_("No line is far off its plan.")), style["body"])]
    rows = [[_("Code"), _("Line"), _("Planned"), _("Executed"), ""]]
    rows += [[r.line.code, pick(r.line, "name"), _money(r.planned), _money(r.executed), _flag(r.status)] for r in off]
    return story + [table(rows, [2 * cm, CONTENT_WIDTH - 12.5 * cm, 3.5 * cm, 3.5 * cm, 3.5 * cm], style,
                          numeric_from=2)]


def _projects(summary, style):
    story = [Paragraph(text(_("Funded projects")), style["h2"])]
    if not summary.projects and not summary.waiting:
        return story + [Paragraph(text(_("No funded project has an implementation record yet.")), style["body"])]
    rows = [[_("Project"), _("Village"), _("Status"), _("Progress"), _("Planned cost"), _("Spent")]]
    for p in summary.projects:
        state = str(p.status.label) + (f": {p.cancel_reason}" if p.cancel_reason else "")
        rows.append([p.proposal.title, p.proposal.village.name, state, f"{p.progress}%",
                     _money(p.planned_cost), _money(p.spent)])
    for proposal in summary.waiting:
        rows.append([proposal.title, proposal.village.name, _("Funded, not yet started"), "0%",
                     _money(proposal.estimated_cost), _money(0)])
    widths = [CONTENT_WIDTH - 12.8 * cm, 2.6 * cm, 2.8 * cm, 1.6 * cm, 2.9 * cm, 2.9 * cm]
    return story + [table(rows, widths, style, numeric_from=3)]


def _reports(reports, style):
    heading = Paragraph(text(_("Findings of the monitoring groups and the answers")), style["h2"])
    if not reports:
        return [heading, Paragraph(text(_("No monitoring reports yet.")), style["body"])]
    story = []
    for i, r in enumerate(reports, 1):
        subject = (r.implementation.proposal.title if r.implementation
                   else f"{r.line.code} {pick(r.line, 'name')}")
        head = f"{i}. {r.visit_date.isoformat()} · {pick(r.group, 'name')} · {subject}"
        block = [Paragraph(f"<b>{text(head)}</b>", style["body"]),
                 Paragraph(f"<b>{text(_('Rating'))}:</b> {text(r.rating.label)}", style["indent"]),
                 Paragraph(f"<b>{text(_('Findings'))}:</b> {text(r.findings)}", style["indent"])]
        if r.recommendations:
            block.append(Paragraph(f"<b>{text(_('Recommendations'))}:</b> {text(r.recommendations)}", style["indent"]))
        answer = r.answer or _("The municipality has not answered yet.")
        label = _("The municipality's answer")
        block.append(Paragraph(f"<b>{text(label)}:</b> {text(answer)}", style["indent"]))
        story.append(KeepTogether(([heading] if i == 1 else []) + block))  # the heading never ends a page
    story.append(Paragraph(text(_("%(n)s reports, %(answered)s answered.", n=format_number(len(reports)),
                                  answered=format_number(sum(1 for r in reports if r.answer)))), style["small"]))
    return story
