"""What the monitoring report of a budget says, gathered through the services (plain data for the PDF)."""
from dataclasses import dataclass

from pb.budgets import execution
from pb.monitoring import projects, reports


@dataclass(frozen=True)
class MonitoringSummary:
    budget: object
    execution: execution.ExecutionReport
    projects: list  # Implementation records, the budget's own and those carried into it
    waiting: list  # funded proposals without a record
    reports: list  # MonitoringReport, newest visit first


def build_summary(budget, today=None):
    """Execution against plan, the projects and their state, the groups' findings and the answers."""
    listing = projects.list_projects(budget)
    return MonitoringSummary(budget, execution.execution_report(budget, today), listing.records, listing.waiting,
                             reports.list_reports(budget=budget))
