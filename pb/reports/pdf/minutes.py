"""The minutes of a hearing as an A4 PDF, in Kyrgyz or Russian."""
from flask_babel import force_locale, gettext as _
from reportlab.lib.units import cm
from reportlab.platypus import KeepTogether, Paragraph, Spacer, Table

from pb.core.i18n import format_money, format_number
from pb.hearings.minutes_format import (
    count_label, local_date, local_time, minutes_of, person, server_time, share_of,
)
from pb.reports.pdf.base import CONTENT_WIDTH, build_pdf, styles, table, table_style, text

LANGUAGES = ("ky", "ru")


def render_minutes_pdf(minutes, lang):
    """The minutes (a pb.hearings.minutes.Minutes) as PDF bytes, every word in lang."""
    if lang not in LANGUAGES:
        raise ValueError(f"minutes are printed in {LANGUAGES}, not {lang!r}")
    with force_locale(lang):
        style = styles()
        municipality = minutes.municipality_name(lang)
        story = _heading(minutes, municipality, style)
        story += _attendance(minutes.attendance, style)
        story += _agenda(minutes.agenda, style)
        story += _questions(minutes.questions, style)
        story += _proposals(minutes, style)
        story += _decisions(minutes.decisions, style)
        story += _narrative(minutes.narrative, style)
        story.append(_signatures(minutes, style))
        title = _("Minutes of the hearing of %(date)s", date=local_date(minutes.starts_at))
        return build_pdf(story, title=f"{title} — {municipality}", footer_left=f"{municipality} · {title}",
                         page_label=lambda page, pages: _("Page %(page)d of %(pages)d", page=page, pages=pages))


def _facts(rows, style):
    data = [[Paragraph(text(label), style["cell_bold"]), Paragraph(text(value), style["cell"])] for label, value in rows]
    return Table(data, colWidths=[4.5 * cm, CONTENT_WIDTH - 4.5 * cm], hAlign="LEFT",
                 style=table_style([("VALIGN", (0, 0), (-1, -1), "TOP"), ("TOPPADDING", (0, 0), (-1, -1), 1.5),
                                   ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5)]))


def _heading(minutes, municipality, style):
    place = ", ".join(part for part in (minutes.rayon, str(minutes.oblast.label)) if part)
    rows = [
        (_("Date"), local_date(minutes.starts_at)),
        (_("Time"), local_time(minutes.starts_at)),
        (_("Place"), minutes.place),
        (_("Villages"), ", ".join(minutes.villages) or "—"),
        (_("Chair"), minutes.chair or "—"),
        (_("Secretary"), minutes.secretary or "—"),
        (_("Participants"), format_number(minutes.attendance.total)),
    ]
    if minutes.seconds_held is not None:
        rows.append((_("Duration"), minutes_of(minutes.seconds_held)))
    if minutes.revision is not None:
        rows.append((_("Text of the minutes"), _("revision %(n)d of %(when)s", n=minutes.revision.number,
                                                  when=server_time(minutes.revision.created_at))))
    return [
        Paragraph(text(_("Minutes")), style["title"]),
        Paragraph(text(str(minutes.kind.label)), style["subtitle"]),
        Paragraph(text(municipality), style["subtitle"]),
        Paragraph(text(place), style["subtitle"]),
        Spacer(1, 8),
        _facts(rows, style),
    ]


def _attendance(attendance, style):
    count_width = 2.6 * cm
    name_width = CONTENT_WIDTH - 2 * count_width
    summary = table([
        ["", _("Number"), _("Share")],
        [_("Participants"), format_number(attendance.total), share_of(1 if attendance.total else None)],
        [_("Women"), format_number(attendance.women), share_of(attendance.women_share)],
        [_("Young people (under 30)"), format_number(attendance.young), share_of(attendance.young_share)],
    ], [name_width, count_width, count_width], style, numeric_from=1)
    story = [Paragraph(text(_("Attendance")), style["h2"]), summary]
    if not attendance.total:
        return story + [Paragraph(text(_("No attendance was recorded.")), style["body"])]
    for heading, column, rows in (
        (_("By village"), _("Village"), attendance.by_village),
        (_("By age"), _("Age"), attendance.by_age),
    ):
        story.append(Paragraph(text(heading), style["h3"]))
        story.append(table([[column, _("Number"), _("Share")]]
                           + [[count_label(r.key), format_number(r.count), share_of(r.share)] for r in rows],
                           [name_width, count_width, count_width], style, numeric_from=1))
    return story


def _agenda(agenda, style):
    story = [Paragraph(text(_("Agenda")), style["h2"])]
    if not agenda:
        return story + [Paragraph(text(_("No agenda was recorded.")), style["body"])]
    rows = [["№", _("Item"), _("Time spent")]] + [[str(i), item.title, minutes_of(item.seconds)]
                                                  for i, item in enumerate(agenda, 1)]
    return story + [table(rows, [1 * cm, CONTENT_WIDTH - 3.8 * cm, 2.8 * cm], style, numeric_from=2)]


def _questions(questions, style):
    story = [Paragraph(text(_("Questions and answers")), style["h2"])]
    if not questions:
        return story + [Paragraph(text(_("No questions were recorded.")), style["body"])]
    for i, q in enumerate(questions, 1):
        story.append(Paragraph(f"<b>{i}. {text(person(q.asked_by, q.village))}:</b> {text(q.text)}", style["body"]))
        if q.answer:
            who = f" ({text(q.answered_by)})" if q.answered_by else ""
            story.append(Paragraph(f"<b>{text(_('Answer'))}{who}:</b> {text(q.answer)}", style["indent"]))
    return story


def _proposals(minutes, style):
    story = [Paragraph(text(_("Proposals raised at the hearing")), style["h2"])]
    if not minutes.proposals:
        return story + [Paragraph(text(_("No proposals were raised.")), style["body"])]
    rows = [["№", _("Proposal"), _("Village"), _("Estimated cost")]]
    rows += [[str(i), p.title, p.village, str(format_money(p.cost))] for i, p in enumerate(minutes.proposals, 1)]
    rows.append(["", _("Total"), "", str(format_money(minutes.proposals_cost))])
    widths = [1 * cm, CONTENT_WIDTH - 8.8 * cm, 3.8 * cm, 4 * cm]
    return story + [table(rows, widths, style, numeric_from=3, total=True)]


def _decisions(decisions, style):
    story = [Paragraph(text(_("Decisions")), style["h2"])]
    if not decisions:
        return story + [Paragraph(text(_("No decisions were recorded.")), style["body"])]
    for i, d in enumerate(decisions, 1):
        story.append(Paragraph(f"<b>{i}.</b> {text(d.motion)}", style["body"]))
        votes = _("For: %(for)s. Against: %(against)s. Abstained: %(abstained)s.", **{
            "for": format_number(d.votes_for), "against": format_number(d.votes_against),
            "abstained": format_number(d.abstentions)})
        story.append(Paragraph(f"{text(votes)} <b>{text(_('Outcome'))}: {text(str(d.outcome.label))}</b>",
                               style["indent"]))
    return story


def _narrative(narrative, style):
    if not narrative:
        return []
    paragraphs = [p for p in narrative.split("\n\n") if p.strip()]
    return [Paragraph(text(_("Notes of the secretary")), style["h2"])] + [
        Paragraph(text(p.strip()), style["body"]) for p in paragraphs]


def _signatures(minutes, style):
    line = "_" * 28
    rows = [[Paragraph(text(label), style["cell_bold"]), Paragraph(line, style["cell"]),
             Paragraph(text(name or ""), style["cell"])]
            for label, name in ((_("Chair"), minutes.chair), (_("Secretary"), minutes.secretary))]
    signatures = Table(rows, colWidths=[3.5 * cm, 6.5 * cm, CONTENT_WIDTH - 10 * cm], hAlign="LEFT",
                       style=table_style([("TOPPADDING", (0, 0), (-1, -1), 14), ("VALIGN", (0, 0), (-1, -1), "BOTTOM")]))
    return KeepTogether([Paragraph(text(_("Signatures")), style["h2"]), signatures])
