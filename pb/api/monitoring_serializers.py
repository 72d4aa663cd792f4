"""Execution, funded projects and monitoring reports as plain JSON data, as their public pages show them.

The same conventions as pb.api.serializers: money as strings with two decimals, dates as ISO days, times in
UTC with Z, links to this API and to the pages. No account leaves: a report names its group, not its author.
"""
from pb.api.serializers import api_url, money, page_url, utc_time, village_ref


def _day(value):
    return value.isoformat() if value else None


def _photos(photos):
    return [{"url": page_url("monitoring.show_photo", name=photo.name), "width": photo.width, "height": photo.height}
            for photo in photos]


# --- execution --------------------------------------------------------------------------


def _status(row):
    return row.status or None  # "over", "under", or null when the line is near its plan


def _line_execution(row):
    line = row.line
    return {
        "line_id": line.id, "kind": line.kind.value, "code": line.code, "name_ky": line.name_ky,
        "name_ru": line.name_ru, "category": line.category.value,
        "planned": money(row.planned), "executed": money(row.executed), "status": _status(row),
        "periods": [{"period": number, "executed": money(figure.executed), "note": figure.note,
                     "links": {"page": page_url("execution.show_figure", figure_id=figure.id)}}
                    for number, figure in sorted(row.figures.items())],
        "links": {"page": page_url("budgets.show_line", line_id=line.id)},
    }


def _sum(report, rows):
    planned, executed = report.totals(rows)
    return {"planned": money(planned), "executed": money(executed)}


def execution(report):
    """Planned against executed per line (with each period's figure) and per category of expenditure."""
    budget = report.budget
    return {
        "budget_id": budget.id,
        "period_kind": report.period_kind.value if report.period_kind else None,
        "periods": list(report.periods),
        "year_over": report.year_over,
        "off_plan_threshold": f"{report.threshold:.2f}",
        "totals": {"revenue": _sum(report, report.revenue), "expenditure": _sum(report, report.expenditure)},
        "lines": [_line_execution(row) for row in report.revenue + report.expenditure],
        "categories": [{"category": c.category.value, "planned": money(c.planned), "executed": money(c.executed),
                        "status": _status(c)} for c in report.categories],
        "links": {"self": api_url("show_execution", budget_id=budget.id),
                  "budget": api_url("show_budget", budget_id=budget.id),
                  "page": page_url("execution.show_execution", budget_id=budget.id)},
    }


# --- funded projects --------------------------------------------------------------------


def project(p):
    """A funded proposal's implementation record."""
    proposal = p.proposal
    return {
        "id": p.id,
        "budget_id": p.budget_id,
        "carried_to_budget_id": p.carried_to_id,
        "proposal": {"id": proposal.id, "title": proposal.title, "village": village_ref(proposal.village),
                     "category": proposal.category.value},
        "responsible_body": p.responsible_body,
        "contractor": p.contractor,
        "status": p.status.value,
        "cancel_reason": p.cancel_reason,
        "progress": p.progress,
        "planned_start": _day(p.planned_start), "planned_end": _day(p.planned_end),
        "actual_start": _day(p.actual_start), "actual_end": _day(p.actual_end),
        "planned_cost": money(p.planned_cost),
        "spent": money(p.spent),
        "contribution_promised": money(proposal.contribution_money),
        "contribution_delivered": money(p.contribution_delivered),
        "contribution_labour_delivered": p.contribution_labour_delivered,
        "milestones": [{"title": m.title, "planned_date": _day(m.planned_date), "done_date": _day(m.done_date)}
                       for m in p.milestones],
        "photos": _photos(p.photos),
        "updated_at": utc_time(p.updated_at),
        "links": {"self": api_url("show_project", implementation_id=p.id),
                  "proposal": api_url("show_proposal", proposal_id=proposal.id),
                  "page": page_url("monitoring.show_project", implementation_id=p.id)},
    }


# --- monitoring reports -----------------------------------------------------------------


def _subject(report):
    """What was visited: a project (its title in both names) or a budget line (its code and names)."""
    if report.implementation is not None:
        title = report.implementation.proposal.title
        return {"kind": "project", "project_id": report.implementation_id, "line_id": None, "code": None,
                "name_ky": title, "name_ru": title}
    line = report.line
    return {"kind": "line", "project_id": None, "line_id": line.id, "code": line.code, "name_ky": line.name_ky,
            "name_ru": line.name_ru}


def monitoring_report(r):
    """A monitoring group's report and the municipality's answer (null until it answers)."""
    return {
        "id": r.id,
        "budget_id": r.budget_id,
        "group": {"id": r.group.id, "name_ky": r.group.name_ky, "name_ru": r.group.name_ru},
        "subject": _subject(r),
        "visit_date": _day(r.visit_date),
        "rating": r.rating.value,
        "findings": r.findings,
        "recommendations": r.recommendations,
        "photos": _photos(r.photos),
        "answer": {"text": r.answer, "answered_at": utc_time(r.answered_at)} if r.answer else None,
        "filed_at": utc_time(r.created_at),
        "links": {"self": api_url("show_monitoring_report", report_id=r.id),
                  "project": api_url("show_project", implementation_id=r.implementation_id)
                  if r.implementation_id else None,
                  "page": page_url("monitoring_reports.show_report", report_id=r.id)},
    }
