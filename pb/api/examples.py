"""One example of each object the API returns, from a Talas aiyl okmotu; the tests check them against the schemas."""


def examples(base):
    """Schema name -> example, with links under base (the site's address, without a trailing slash)."""
    api = f"{base}/api/v1"
    ak_dobo = {"slug": "ak-dobo", "name_ky": "Ак-Добо айыл өкмөтү", "name_ru": "Ак-Добинский айыл окмоту"}
    village = {"id": 3, "name": "Ак-Добо"}
    municipality = {
        **ak_dobo, "kind": "aiyl_okmotu", "oblast": "talas", "rayon": "Талас району", "population": 9100,
        "villages": [{"id": 3, "name": "Ак-Добо", "population": 5200, "registered_voters": 3100,
                      "revenue_contribution": "1250000.00"}],
        "links": {"self": f"{api}/municipalities/ak-dobo", "budgets": f"{api}/municipalities/ak-dobo/budgets",
                  "page": f"{base}/m/ak-dobo"},
    }
    budget = {
        "id": 7, "municipality": ak_dobo, "fiscal_year": 2027, "phase": "approved",
        "summary_ky": "Быйыл суу жана жол биринчи орунда.", "summary_ru": "В этом году в приоритете вода и дороги.",
        "totals": {"revenue": "27500000.00", "expenditure": "27350000.00", "balance": "150000.00",
                   "revenue_last_year": "25900000.00", "expenditure_last_year": "25900000.00",
                   "executed_expenditure_last_year": "25120000.50",
                   "expenditure_by_category": [{"category": "education", "proposed": "11800000.00",
                                                "approved_last_year": "11200000.00"}]},
        "versions": [{"number": 1, "phase": "consultation", "published_at": "2026-10-01T05:30:00Z", "comment": ""},
                     {"number": 2, "phase": "approved", "published_at": "2026-12-24T09:15:00Z",
                      "comment": "Бюджет бекитилсин."}],
        "phase_history": [{"from": "draft", "to": "consultation", "at": "2026-10-01T05:30:00Z"},
                          {"from": "voting", "to": "approval", "at": "2026-12-10T04:00:00Z"},
                          {"from": "approval", "to": "approved", "at": "2026-12-24T09:15:00Z"}],
        "approval": {"session_number": "XXIV", "session_date": "2026-12-23", "decision_number": "24/3",
                     "decision_text": "Бюджет бекитилсин.", "lines_added": 1, "version": 2,
                     "recorded_at": "2026-12-24T09:15:00Z"},
        "links": {"self": f"{api}/budgets/7", "lines": f"{api}/budgets/7/lines",
                  "proposals": f"{api}/budgets/7/proposals", "rounds": f"{api}/budgets/7/rounds",
                  "page": f"{base}/budgets/7"},
    }
    line = {"id": 41, "kind": "expenditure", "code": "2111", "name_ky": "Эмгек акы", "name_ru": "Заработная плата",
            "category": "education", "approved_last_year": "2600000.00", "executed_last_year": "2580000.00",
            "proposed": "2750000.00", "note": "Мугалимдердин айлыгы 6%га өстү.", "proposal_id": None,
            "links": {"page": f"{base}/lines/41", "proposal": None}}
    proposal = {
        "id": 15, "budget_id": 7, "title": "Арык оңдоо", "description": "Айылдын арыгын тазалоо жана оңдоо.",
        "village": village, "category": "water", "estimated_cost": "250000.00", "contribution_money": "20000.00",
        "contribution_labour": "10 киши × 5 күн", "status": "on_ballot", "status_reason": "",
        "status_history": [{"from": None, "to": "submitted", "reason": "", "at": "2026-10-05T08:12:00Z"},
                           {"from": "submitted", "to": "under_review", "reason": "", "at": "2026-10-06T04:00:00Z"}],
        "merged_into": None, "support_count": 42, "authors": ["Айгүл Т."], "submitted_at": "2026-10-05T08:12:00Z",
        "photos": [{"url": f"{base}/proposal-photos/3f9c2a.jpg", "width": 1600, "height": 1200}],
        "links": {"self": f"{api}/proposals/15", "page": f"{base}/proposals/15"},
    }
    location = {"id": 2, "name": "Мектеп", "village_id": 3}
    turnout = {"total": 212, "by_channel": {"kiosk": 150, "online": 40, "paper": 22},
               "by_location": [{"location": location, "total": 172, "by_channel": {"kiosk": 150, "paper": 22}},
                               {"location": None, "total": 40, "by_channel": {"online": 40}}],
               "spoiled_papers": 1, "refused_submissions": 2, "codes_issued": 300, "codes_used": 170}
    voting_round = {
        "id": 4, "budget_id": 7, "municipality": ak_dobo, "title": "2027-жылдын долбоорлору", "status": "closed",
        "method": "approval", "min_choices": 1, "max_choices": 3, "points": None, "rank_depth": None,
        "amount": "1500000.00", "allocation_rule": "greedy", "quota_basis": None, "channels": ["kiosk", "online", "paper"],
        "eligibility": "both", "hide_counts": True, "opens_at": "2027-02-14T10:00:00+06:00",
        "closes_at": "2027-02-21T18:00:00+06:00", "opened_at": "2027-02-14T04:00:00Z",
        "closed_at": "2027-02-21T12:00:00Z",
        "ballot": [{"proposal_id": 15, "title": "Арык оңдоо", "village": village, "cost": "250000.00"}],
        "locations": [location], "turnout": turnout, "results_published": True,
        "links": {"self": f"{api}/rounds/4", "budget": f"{api}/budgets/7", "results": f"{api}/rounds/4/results",
                  "page": f"{base}/rounds/4"},
    }
    results = {
        "round_id": 4, "status": "closed", "final": True, "method": "approval", "amount": "1500000.00",
        "ballots": 212,
        "proposals": [{"proposal": {"id": 15, "title": "Арык оңдоо", "village": village}, "cost": "250000.00",
                       "ballots": 131, "score": 131,
                       "decision": {"funded": True, "order": 1, "kind": "funded",
                                    "reason": "каржыланды: 131 добуш, 250 000 сом"}}],
        "links": {"self": f"{api}/rounds/4/results", "round": f"{api}/rounds/4"},
    }
    error = {"error": {"code": "bad_request", "message": "per_page: enter a whole number from 1 to 200.",
                       "parameter": "per_page"}}
    return {"Municipality": municipality, "Budget": budget, "Line": line, "Proposal": proposal, "Round": voting_round,
            "Results": results, "Turnout": turnout, "Error": error, **monitoring_examples(base, village)}


def monitoring_examples(base, village):
    """Examples of execution, a funded project and a monitoring report of Ak-Dobo's budget 6."""
    api = f"{base}/api/v1"
    line = {"line_id": 41, "kind": "expenditure", "code": "2111", "name_ky": "Эмгек акы", "name_ru": "Заработная плата",
            "category": "education", "planned": "2750000.00", "executed": "2150000.00", "status": None,
            "periods": [{"period": 1, "executed": "700000.00", "note": "", "links": {"page": f"{base}/execution/90"}},
                        {"period": 2, "executed": "1450000.00", "note": "Сыйлыктар төлөндү.",
                         "links": {"page": f"{base}/execution/91"}}],
            "links": {"page": f"{base}/lines/41"}}
    execution = {
        "budget_id": 6, "period_kind": "quarter", "periods": [1, 2], "year_over": False, "off_plan_threshold": "0.10",
        "totals": {"revenue": {"planned": "3000000.00", "executed": "1600000.00"},
                   "expenditure": {"planned": "2750000.00", "executed": "2150000.00"}},
        "lines": [line],
        "categories": [{"category": "education", "planned": "2750000.00", "executed": "2150000.00", "status": None}],
        "links": {"self": f"{api}/budgets/6/execution", "budget": f"{api}/budgets/6", "page": f"{base}/budgets/6/execution"},
    }
    project = {
        "id": 3, "budget_id": 6, "carried_to_budget_id": None,
        "proposal": {"id": 15, "title": "Суу түтүгү", "village": village, "category": "water"},
        "responsible_body": "Ак-Добо айыл өкмөтү", "contractor": "Суу-Курулуш ЖЧК", "status": "delayed",
        "cancel_reason": "", "progress": 40, "planned_start": "2026-04-01", "planned_end": "2026-08-31",
        "actual_start": "2026-04-20", "actual_end": None, "planned_cost": "850000.00", "spent": "340000.00",
        "contribution_promised": "60000.00", "contribution_delivered": "40000.00",
        "contribution_labour_delivered": "12 киши × 6 күн",
        "milestones": [{"title": "Траншея казылды", "planned_date": "2026-05-15", "done_date": "2026-05-28"},
                       {"title": "Түтүктөр коюлду", "planned_date": "2026-07-15", "done_date": None}],
        "photos": [{"url": f"{base}/monitoring-photos/8d1e44.jpg", "width": 1600, "height": 1200}],
        "updated_at": "2026-09-02T06:40:00Z",
        "links": {"self": f"{api}/projects/3", "proposal": f"{api}/proposals/15", "page": f"{base}/projects/3"},
    }
    report = {
        "id": 2, "budget_id": 6, "group": {"id": 5, "name_ky": "Ак-Добо мониторинг тобу",
                                           "name_ru": "Группа мониторинга Ак-Добо"},
        "subject": {"kind": "project", "project_id": 3, "line_id": None, "code": None, "name_ky": "Суу түтүгү",
                    "name_ru": "Суу түтүгү"},
        "visit_date": "2026-08-20", "rating": "concerns", "findings": "Түтүктөрдүн жарымы гана коюлган.",
        "recommendations": "Подрядчик менен мөөнөттү тактоо.", "photos": [],
        "answer": {"text": "Түтүктөр 10-сентябрда келет.", "answered_at": "2026-08-27T05:00:00Z"},
        "filed_at": "2026-08-21T09:30:00Z",
        "links": {"self": f"{api}/monitoring-reports/2", "project": f"{api}/projects/3",
                  "page": f"{base}/monitoring-reports/2"},
    }
    return {"Execution": execution, "LineExecution": line, "Project": project, "MonitoringReport": report}
