"""The monitoring report of a budget as bytes, for the view and the command line."""
from pb.monitoring.summary import build_summary
from pb.reports.pdf.monitoring import LANGUAGES, render_monitoring_pdf  # noqa: F401  (LANGUAGES for callers)


def monitoring_pdf(budget, lang, today=None):
    """The monitoring report of the budget in lang (ky or ru): callers check access."""
    return render_monitoring_pdf(build_summary(budget, today), lang)


def file_name(budget, lang):
    """An ASCII file name such as monitoring-ak-dobo-2026-ky.pdf."""
    return f"monitoring-{budget.municipality.slug}-{budget.fiscal_year}-{lang}.pdf"
