"""The JSON Schemas of execution, funded projects and monitoring reports (merged into schemas.components)."""
from flask_babel import lazy_gettext as _l

from pb.api.schemas import array, boolean, day, enum, integer, money, nullable, obj, ref, text, url, utc
from pb.budgets.execution_models import PeriodKind
from pb.budgets.states import Category, LineKind
from pb.monitoring.states import ProjectStatus, Rating

OFF_PLAN = ["over", "under"]


def _photo():
    return obj(url=url(), width=integer(minimum=1), height=integer(minimum=1))


def _off_plan():
    return nullable(enum(OFF_PLAN, _l("over: more than the threshold above the plan; under: more than the threshold "
                                      "below it once the year is over; null: near the plan.")))


def monitoring_components():
    """Schema name -> JSON Schema of the monitoring objects."""
    planned_executed = obj(planned=money(), executed=money())
    return {
        "Execution": obj(
            _l("What a budget being carried out has executed against its plan, once the council approved it."),
            budget_id=integer(minimum=1),
            period_kind=nullable(enum(PeriodKind, _l("Months or quarters; null before the first figure."))),
            periods=array(integer(minimum=1), _l("The periods with at least one figure.")),
            year_over=boolean(_l("The fiscal year has ended, or its last period is recorded.")),
            off_plan_threshold=text(_l("The share off plan that makes a line stand out, e.g. 0.10 for 10%."),
                                    pattern=r"^[0-9]+\.[0-9]{2}$"),
            totals=obj(revenue=planned_executed, expenditure=planned_executed),
            lines=array(ref("LineExecution"), _l("Revenue first, then expenditure, by code.")),
            categories=array(obj(category=enum(Category), planned=money(), executed=money(), status=_off_plan()),
                             _l("Expenditure by category, largest plan first.")),
            links=obj(self=url(), budget=url(), page=url()),
        ),
        "LineExecution": obj(
            _l("A line's plan and what it executed, in all and per period."),
            line_id=integer(minimum=1), kind=enum(LineKind), code=text(), name_ky=text(), name_ru=text(),
            category=enum(Category), planned=money(_l("Planned for the year.")),
            executed=money(_l("Executed so far: the sum of the periods.")), status=_off_plan(),
            periods=array(obj(period=integer(minimum=1), executed=money(_l("Executed in this period alone.")),
                              note=text(), links=obj(page=url(_l("The figure's page, where residents comment."))))),
            links=obj(page=url()),
        ),
        "Project": obj(
            _l("The implementation record of a funded proposal: who carries it out, when, with how much money, "
               "how far it is."),
            id=integer(minimum=1), budget_id=integer(minimum=1),
            carried_to_budget_id=nullable(integer(_l("The later budget that took the unfinished project over."),
                                                  minimum=1)),
            proposal=obj(id=integer(minimum=1), title=text(), village=ref("VillageRef"), category=enum(Category)),
            responsible_body=text(), contractor=text(_l("Empty when none is named.")),
            status=enum(ProjectStatus), cancel_reason=text(_l("Why it was cancelled; empty otherwise.")),
            progress=integer(_l("Percent done, 0 to 100.")),
            planned_start=nullable(day()), planned_end=nullable(day()),
            actual_start=nullable(day()), actual_end=nullable(day()),
            planned_cost=money(), spent=money(_l("Money spent so far.")),
            contribution_promised=money(_l("Residents' contribution in money promised in the proposal.")),
            contribution_delivered=money(_l("Residents' contribution in money delivered.")),
            contribution_labour_delivered=text(_l("Residents' contribution in labour delivered, in words.")),
            milestones=array(obj(title=text(), planned_date=day(), done_date=nullable(day())),
                             _l("By planned date; done_date is null until the step is reached.")),
            photos=array(_photo()), updated_at=utc(),
            links=obj(self=url(), proposal=url(), page=url()),
        ),
        "MonitoringReport": obj(
            _l("A monitoring group's report on a project or a budget line, and the municipality's public answer."),
            id=integer(minimum=1), budget_id=integer(minimum=1),
            group=obj(id=integer(minimum=1), name_ky=text(), name_ru=text()),
            subject=obj(_l("What was visited: a project (its title in both names) or a budget line."),
                        kind=enum(["project", "line"]), project_id=nullable(integer(minimum=1)),
                        line_id=nullable(integer(minimum=1)), code=nullable(text(_l("The line's code."))),
                        name_ky=text(), name_ru=text()),
            visit_date=day(), rating=enum(Rating), findings=text(), recommendations=text(),
            photos=array(_photo()),
            answer=nullable(obj(_l("The municipality's answer; null until it answers."), text=text(),
                                answered_at=utc())),
            filed_at=utc(),
            links=obj(self=url(), project=nullable(url()), page=url()),
        ),
    }
