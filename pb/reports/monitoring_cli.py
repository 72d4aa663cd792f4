"""The command flask --app wsgi pb monitoring-report BUDGET_ID --lang ky -o out.pdf."""
from pathlib import Path

import click
from flask.cli import with_appcontext


@click.command("monitoring-report")
@with_appcontext
@click.argument("budget_id", type=int)
@click.option("--lang", type=click.Choice(["ky", "ru"]), default="ky", show_default=True,
              help="Language of the report.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True), required=True,
              help="The PDF file to write.")
def monitoring_report(budget_id, lang, output):
    """Render a budget's monitoring report as PDF (execution, projects, findings and answers)."""
    from pb.budgets.services import get_budget
    from pb.core.errors import NotFound
    from pb.reports.monitoring_documents import monitoring_pdf

    try:
        budget = get_budget(budget_id)
    except NotFound:
        raise click.ClickException(f"There is no budget {budget_id}.") from None
    data = monitoring_pdf(budget, lang)
    Path(output).write_bytes(data)
    click.echo(f"Monitoring report of budget {budget_id} ({lang}) written to {output} ({len(data):,} bytes).")
