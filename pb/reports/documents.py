"""The documents as bytes, for the views and the command line: a hearing's minutes and notice, a budget's
summary and citizen budget, a round's allocation report (each reads through its domain's services)."""
from urllib.parse import urlsplit

from flask import current_app, has_request_context, url_for
from flask_babel import force_locale

from pb.groups import services as groups
from pb.groups.models import GroupKind, Position
from pb.hearings import minutes as hearing_minutes
from pb.reports.budget_documents import citizen_document, summary_document
from pb.reports.pdf.allocation import render_allocation_pdf
from pb.reports.pdf.citizen import render_citizen_pdf
from pb.reports.pdf.minutes import render_minutes_pdf
from pb.reports.pdf.notice import render_notice_pdf
from pb.reports.pdf.summary import render_summary_pdf
from pb.voting.result_sheet import build_sheet

HEARING_PAGE = "hearings.show_hearing"


def public_url(endpoint, **values):
    """The absolute address of a page: the request's host inside one, BASE_URL outside (commands)."""
    if has_request_context():
        return url_for(endpoint, _external=True, **values)
    base = urlsplit(current_app.config["BASE_URL"])
    adapter = current_app.url_map.bind(base.netloc, script_name=base.path or "/", url_scheme=base.scheme or "http")
    return adapter.build(endpoint, values, force_external=True)


def hearing_url(hearing_id):
    """The public page of the hearing, which the notice's QR code opens."""
    return public_url(HEARING_PAGE, hearing_id=hearing_id)


def minutes_pdf(hearing, lang):
    """The minutes of the hearing in lang (ky or ru), whether published or not: callers check access."""
    return render_minutes_pdf(hearing_minutes.build_minutes(hearing), lang)


def notice_pdf(hearing, langs):
    """The notice for the boards, in the given languages, with the QR code of the hearing's page."""
    return render_notice_pdf(hearing_minutes.build_notice(hearing), hearing_url(hearing.id), langs)


def file_name(kind, slug, starts_at, lang):
    """An ASCII file name such as minutes-isanov-2027-02-14-ky.pdf."""
    return f"{kind}-{slug}-{starts_at:%Y-%m-%d}-{lang}.pdf"


def summary_pdf(budget, lang):
    """The approved-budget summary in lang (ky or ru); NotFound before the council's approval."""
    return render_summary_pdf(summary_document(budget), lang)


def citizen_pdf(budget, lang):
    """The one-page citizen budget in lang, with the address of the budget's page; NotFound for a draft."""
    return render_citizen_pdf(citizen_document(budget), lang, public_url("budgets.show_budget", budget_id=budget.id))


def budget_file_name(kind, budget, lang):
    """An ASCII file name such as summary-isanov-2027-ru.pdf."""
    return f"{kind}-{budget.municipality.slug}-{budget.fiscal_year}-{lang}.pdf"
def signers(municipality_id):
    """(chair, secretary) names of the municipality's budget or initiative group, for the signature lines."""
    for group in groups.list_groups(municipality_id):
        if group.kind in (GroupKind.PUBLIC_BUDGET, GroupKind.INITIATIVE):
            names = {m.position: m.user.name for m in group.members}
            return names.get(Position.CHAIR, ""), names.get(Position.SECRETARY, "")
    return "", ""


def allocation_pdf(round_, lang):
    """The allocation report of a closed round in lang (ky or ru); Conflict before the close."""
    with force_locale(lang):
        sheet = build_sheet(round_)
    name = round_.municipality.name_ru if lang == "ru" and round_.municipality.name_ru else round_.municipality.name_ky
    return render_allocation_pdf(sheet, signers(round_.municipality_id), lang, name)


def allocation_file_name(round_, lang):
    """An ASCII file name such as allocation-zulpuev-round3-ky.pdf."""
    return f"allocation-{round_.municipality.slug}-round{round_.id}-{lang}.pdf"
