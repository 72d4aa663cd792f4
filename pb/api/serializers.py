"""Public objects as plain JSON data: only what the public pages show, money as strings, times with their zone.

Nothing here reads an account beyond the display names the proposal page shows: no e-mails, phones
or account ids leave through the API.
"""
from decimal import Decimal

from flask import url_for

from pb.budgets import services as budgets
from pb.budgets.approval import find_approval
from pb.voting import result_sheet, results
from pb.voting.states import Method, RoundStatus

LOCAL_OFFSET = "+06:00"  # Asia/Bishkek, UTC+6 all year: how local dates are stored


def money(value):
    """An amount as a string with two decimals, e.g. "2750000.00": exact, and no client rounds it as a float."""
    if value is None:
        return None
    return f"{Decimal(value):.2f}"


def utc_time(value):
    """A stored UTC time, e.g. "2027-02-14T04:00:00Z"."""
    return value.replace(microsecond=0).isoformat() + "Z" if value else None


def local_time(value):
    """A stored local (Bishkek) time, with its offset, e.g. "2027-02-14T10:00:00+06:00"."""
    return value.replace(microsecond=0).isoformat() + LOCAL_OFFSET if value else None


def api_url(endpoint, **values):
    return url_for(f"api.{endpoint}", _external=True, **values)


def page_url(endpoint, **values):
    return url_for(endpoint, _external=True, **values)


# --- places ---------------------------------------------------------------------------


def village_ref(village):
    return {"id": village.id, "name": village.name} if village else None


def municipality_ref(municipality):
    return {"slug": municipality.slug, "name_ky": municipality.name_ky, "name_ru": municipality.name_ru}


def municipality(m):
    return {
        **municipality_ref(m),
        "kind": m.kind.value,
        "oblast": m.oblast.value,
        "rayon": m.rayon,
        "population": m.population,
        "villages": [
            {"id": v.id, "name": v.name, "population": v.population, "registered_voters": v.registered_voters,
             "revenue_contribution": money(v.revenue_contribution)}
            for v in m.villages
        ],
        "links": {"self": api_url("show_municipality", slug=m.slug),
                  "budgets": api_url("list_budgets", slug=m.slug),
                  "page": page_url("portal.show_municipality", slug=m.slug)},
    }


# --- budgets --------------------------------------------------------------------------


def totals(budget):
    figures = budgets.budget_figures(budget)
    return {
        "revenue": money(figures.revenue),
        "expenditure": money(figures.expenditure),
        "balance": money(figures.balance),
        "revenue_last_year": money(figures.revenue_last_year),
        "expenditure_last_year": money(figures.expenditure_last_year),
        "executed_expenditure_last_year": money(figures.executed_expenditure_last_year),
        "expenditure_by_category": [
            {"category": c.category.value, "proposed": money(c.proposed), "approved_last_year": money(c.last_year)}
            for c in figures.categories
        ],
    }


def approval(b):
    """The council's decision approving the budget, or None while it is not approved."""
    decision = find_approval(b)
    if decision is None:
        return None
    return {
        "session_number": decision.session_number,
        "session_date": decision.session_date.isoformat(),
        "decision_number": decision.decision_number,
        "decision_text": decision.decision_text,
        "lines_added": decision.lines_added,
        "version": decision.version.number if decision.version else None,
        "recorded_at": utc_time(decision.created_at),
    }


def budget(b):
    return {
        "id": b.id,
        "municipality": municipality_ref(b.municipality),
        "fiscal_year": b.fiscal_year,
        "phase": b.phase.value,
        "summary_ky": b.summary_ky,
        "summary_ru": b.summary_ru,
        "totals": totals(b),
        "versions": [
            {"number": v.number, "phase": v.phase.value, "published_at": utc_time(v.created_at), "comment": v.comment}
            for v in b.versions
        ],
        "phase_history": [
            {"from": c.from_phase.value, "to": c.to_phase.value, "at": utc_time(c.created_at)}
            for c in b.phase_changes
        ],
        "approval": approval(b),
        "links": {"self": api_url("show_budget", budget_id=b.id),
                  "lines": api_url("list_lines", budget_id=b.id),
                  "proposals": api_url("list_proposals", budget_id=b.id),
                  "rounds": api_url("list_rounds", budget_id=b.id),
                  "page": page_url("budgets.show_budget", budget_id=b.id)},
    }


def line(item):
    return {
        "id": item.id,
        "kind": item.kind.value,
        "code": item.code,
        "name_ky": item.name_ky,
        "name_ru": item.name_ru,
        "category": item.category.value,
        "approved_last_year": money(item.approved_last_year),
        "executed_last_year": money(item.executed_last_year),
        "proposed": money(item.proposed),
        "note": item.note,
        "proposal_id": item.proposal_id,
        "links": {"page": page_url("budgets.show_line", line_id=item.id),
                  "proposal": api_url("show_proposal", proposal_id=item.proposal_id) if item.proposal_id else None},
    }


# --- proposals ------------------------------------------------------------------------


def proposal(p):
    return {
        "id": p.id,
        "budget_id": p.budget_id,
        "title": p.title,
        "description": p.description,
        "village": village_ref(p.village),
        "category": p.category.value,
        "estimated_cost": money(p.estimated_cost),
        "contribution_money": money(p.contribution_money),
        "contribution_labour": p.contribution_labour,
        "status": p.status.value,
        "status_reason": p.status_reason,
        "status_history": [
            {"from": c.from_status.value if c.from_status else None, "to": c.to_status.value, "reason": c.reason,
             "at": utc_time(c.created_at)}
            for c in p.status_changes
        ],
        "merged_into": p.merged_into_id,
        "support_count": p.support_count,
        "authors": [a.user.name for a in p.authors],  # the display names the proposal page shows, nothing more
        "submitted_at": utc_time(p.created_at),
        "photos": [
            {"url": page_url("proposals.show_photo", name=photo.name), "width": photo.width, "height": photo.height}
            for photo in p.photos
        ],
        "links": {"self": api_url("show_proposal", proposal_id=p.id),
                  "page": page_url("proposals.show_proposal", proposal_id=p.id)},
    }


# --- voting ---------------------------------------------------------------------------

# Which of the round's numbers apply to its ballot method; the others are null.
_APPLIES = {
    Method.APPROVAL: {"min_choices", "max_choices"},
    Method.KNAPSACK: set(),
    Method.CUMULATIVE: {"points"},
    Method.RANKING: {"min_choices", "rank_depth"},
}


def _location(location):
    if location is None:
        return None
    return {"id": location.id, "name": location.name, "village_id": location.village_id}


def turnout(round_):
    t = results.turnout(round_)
    return {
        "total": t.total,
        "by_channel": {channel.value: count for channel, count in t.by_channel.items()},
        "by_location": [
            {"location": _location(location), "total": total,
             "by_channel": {channel.value: count for channel, count in counts.items()}}
            for location, counts, total in t.by_location
        ],
        "spoiled_papers": t.spoiled,
        "refused_submissions": t.refused,
        "codes_issued": t.codes_issued,
        "codes_used": t.codes_used,
    }


def _ballot_entry(entry):
    return {"proposal_id": entry.proposal_id, "title": entry.proposal.title,
            "village": village_ref(entry.proposal.village), "cost": money(entry.cost)}


def voting_round(r, results_published):
    applies = _APPLIES[r.method]
    numbers = {name: getattr(r, name) if name in applies else None
               for name in ("min_choices", "max_choices", "points", "rank_depth")}
    links = {"self": api_url("show_round", round_id=r.id), "budget": api_url("show_budget", budget_id=r.budget_id),
             "results": api_url("show_results", round_id=r.id) if results_published else None,
             "page": page_url("voting.show_round", round_id=r.id)}
    return {
        "id": r.id,
        "budget_id": r.budget_id,
        "municipality": municipality_ref(r.municipality),
        "title": r.title,
        "status": r.status.value,
        "method": r.method.value,
        **numbers,
        "amount": money(r.amount),
        "allocation_rule": r.allocation_rule,
        "quota_basis": r.quota_basis or None,
        "channels": [channel.value for channel in r.channels],
        "eligibility": r.eligibility.value,
        "hide_counts": r.hide_counts,
        "opens_at": local_time(r.opens_at),
        "closes_at": local_time(r.closes_at),
        "opened_at": utc_time(r.opened_at),
        "closed_at": utc_time(r.closed_at),
        "ballot": [_ballot_entry(entry) for entry in r.entries],
        "locations": [_location(location) for location in r.locations],
        "turnout": turnout(r),
        "results_published": results_published,
        "links": links,
    }


def _decisions(r):
    """{proposal id: decision} once the round is closed and its allocation made; {} before."""
    if r.status != RoundStatus.CLOSED:
        return {}
    return {row.entry.proposal_id: {"funded": row.funded, "order": row.order, "kind": row.reason.kind,
                                    "reason": row.reason_text}
            for row in result_sheet.build_sheet(r).rows}


def round_results(r):
    """The counts per proposal, highest score first; once the round is closed each item carries its `decision`."""
    counts = results.tally(r)
    decisions = _decisions(r)
    return {
        "round_id": r.id,
        "status": r.status.value,
        "final": r.status == RoundStatus.CLOSED,
        "method": r.method.value,
        "amount": money(r.amount),
        "ballots": results.turnout(r).total,
        "proposals": [
            {"proposal": {"id": c.entry.proposal_id, "title": c.entry.proposal.title,
                          "village": village_ref(c.entry.proposal.village)},
             "cost": money(c.entry.cost), "ballots": c.ballots, "score": c.score,
             **({"decision": decisions[c.entry.proposal_id]} if c.entry.proposal_id in decisions else {})}
            for c in counts
        ],
        "links": {"self": api_url("show_results", round_id=r.id), "round": api_url("show_round", round_id=r.id)},
    }
