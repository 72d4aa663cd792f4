"""Commands: flask --app wsgi pb <command>.

The group is registered twice: on the app (create_app), and as a Flask plugin (the
"flask.commands" entry point in pyproject.toml, installed by `make setup`). Flask finds a
plugin's commands without loading the app, so `pb allocate`, which needs neither the app
nor a database, runs without the second or two that building the app costs; every other
command loads the app for its context as before.
"""
import click
from flask.cli import AppGroup

from pb.reports.monitoring_cli import monitoring_report

pb_cli = AppGroup("pb", help="Ashar commands.")
pb_cli.add_command(monitoring_report)


@pb_cli.command("seed-demo")
@click.option("--if-empty", is_flag=True, help="Do nothing when the database already has accounts.")
def seed_demo(if_empty):
    """Load the demo municipalities, groups, budget, voting rounds and accounts; print Ak-Dobo's voting codes."""
    from pathlib import Path

    from flask import current_app

    from pb.demo.seed import database_is_empty, load_demo
    from pb.demo.voting import ak_dobo_slips_pdf
    from pb.voting.codes import display

    if not database_is_empty():
        if if_empty:
            click.echo("The database already has data; the demo was not loaded.")
            return
        raise click.ClickException("The database is not empty; the demo loads only into an empty one.")
    _munis, codes = load_demo()
    click.echo("Demo data loaded.")
    # the codes are stored hashed only: this file is the one copy of Ak-Dobo's unused demo codes
    path = Path(current_app.instance_path) / "demo-voting-codes-ak-dobo.pdf"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(ak_dobo_slips_pdf(codes))
    click.echo(f"Slips of the {len(codes)} unused voting codes of Ak-Dobo's open round: {path}")
    click.echo("For example: " + ", ".join(display(code) for code in codes[:3]))


@pb_cli.command("audit-verify")
def audit_verify():
    """Check the audit log's hash chain; name the first broken entry."""
    from pb.audit.services import verify_chain

    report = verify_chain()
    if report.ok:
        click.echo(f"Audit chain intact: {report.checked} entries.")
        return
    what = "does not link to the entry before it" if report.problem == "link" else "has been altered"
    click.echo(f"Audit chain broken at entry {report.broken_id}: it {what} "
               f"({report.checked} entries before it are intact).", err=True)
    raise SystemExit(1)


@pb_cli.command("create-admin")
@click.option("--email", required=True)
@click.option("--name", required=True)
@click.password_option()
def create_admin(email, name, password):
    """Create a platform administrator (the first account of a new installation)."""
    from pb.accounts.services import create_first_admin
    from pb.core.errors import ValidationFailed

    try:
        user = create_first_admin(name, email, password)
    except ValidationFailed as exc:
        raise click.ClickException("; ".join(f"{field}: {message}" for field, message in exc.errors)) from None
    click.echo(f"Administrator {user.email} created.")


@pb_cli.command("minutes")
@click.argument("hearing_id", type=int)
@click.option("--lang", type=click.Choice(["ky", "ru"]), default="ky", show_default=True,
              help="Language of the minutes.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True), required=True,
              help="The PDF file to write.")
def minutes(hearing_id, lang, output):
    """Render a hearing's minutes as PDF, published or not (an operator's tool, no web interface)."""
    from pathlib import Path

    from pb.core.errors import NotFound
    from pb.hearings.services import get_hearing
    from pb.reports.documents import minutes_pdf

    try:
        hearing = get_hearing(hearing_id)
    except NotFound:
        raise click.ClickException(f"There is no hearing {hearing_id}.") from None
    data = minutes_pdf(hearing, lang)
    Path(output).write_bytes(data)
    click.echo(f"Minutes of hearing {hearing_id} ({lang}) written to {output} ({len(data):,} bytes).")


def _budget_document(kind, budget_id, lang, output):
    from pathlib import Path

    from pb.budgets.services import get_budget
    from pb.core.errors import NotFound
    from pb.reports import documents

    try:
        budget = get_budget(budget_id)
    except NotFound:
        raise click.ClickException(f"There is no budget {budget_id}.") from None
    try:
        data = documents.summary_pdf(budget, lang) if kind == "summary" else documents.citizen_pdf(budget, lang)
    except NotFound:
        need = "approved by the council" if kind == "summary" else "published (it is a draft)"
        raise click.ClickException(f"Budget {budget_id} is not {need}.") from None
    Path(output).write_bytes(data)
    click.echo(f"{kind.capitalize()} of budget {budget_id} ({lang}) written to {output} ({len(data):,} bytes).")


_LANG = click.option("--lang", type=click.Choice(["ky", "ru"]), default="ky", show_default=True,
                     help="Language of the document.")
_OUTPUT = click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True), required=True,
                       help="The PDF file to write.")


@pb_cli.command("summary")
@click.argument("budget_id", type=int)
@_LANG
@_OUTPUT
def summary(budget_id, lang, output):
    """Render the approved-budget summary (A4 PDF) of an approved budget, without the web interface."""
    _budget_document("summary", budget_id, lang, output)


@pb_cli.command("citizen-budget")
@click.argument("budget_id", type=int)
@_LANG
@_OUTPUT
def citizen_budget(budget_id, lang, output):
    """Render the one-page citizen budget (A4 PDF) of a published budget, without the web interface."""
    _budget_document("citizen budget", budget_id, lang, output)


@pb_cli.command("allocation-report")
@click.argument("round_id", type=int)
@_LANG
@_OUTPUT
def allocation_report(round_id, lang, output):
    """Render a closed round's allocation report as PDF (no web interface)."""
    from pathlib import Path

    from pb.core.errors import NotFound
    from pb.reports.documents import allocation_pdf
    from pb.voting.services import get_round
    from pb.voting.states import RoundStatus

    try:
        round_ = get_round(round_id)
    except NotFound:
        raise click.ClickException(f"There is no voting round {round_id}.") from None
    if round_.status != RoundStatus.CLOSED:
        raise click.ClickException(f"Round {round_id} is not closed: its allocation is made when it closes.")
    data = allocation_pdf(round_, lang)
    Path(output).write_bytes(data)
    click.echo(f"Allocation report of round {round_id} ({lang}) written to {output} ({len(data):,} bytes).")


@pb_cli.command("allocate", with_appcontext=False)
@click.argument("path", metavar="FILE.pb", type=click.Path(exists=True, dir_okay=False))
@click.option("--rule", "rule_name", required=True,
              help="An allocation rule (greedy, greedy-no-skip, mes-cost, mes-card, mes-cost-greedy, mes-cost-add1, "
                   "equalshares, equalshares-comparison, equalshares-add1, equalshares-add1-comparison, "
                   "village-quotas) or as-recorded: the rule the file's META names.")
@click.option("--json", "as_json", is_flag=True,
              help='Print {"selected": [ids], "cost": total}; the cost is an int when whole, else an exact '
                   'decimal string such as "1331751.11".')
@click.option("--group-column", help="village-quotas: the PROJECTS column naming each project's village.")
@click.option("--weights", help="village-quotas: village=weight,... (default: equal weights).")
@click.option("--inner", default="greedy", show_default=True, help="village-quotas: the rule inside each share.")
def allocate_command(path, rule_name, as_json, group_column, weights, inner):
    """Compute which projects a Pabulib file's election funds, and why (no database needed)."""
    import json
    from fractions import Fraction

    from pb.allocation import RULES, allocate, format_money, rule_for_pabulib
    from pb.allocation.pabulib import PabulibError, read

    if rule_name != "as-recorded" and rule_name not in RULES:
        raise click.ClickException(f"Unknown rule {rule_name!r}; use as-recorded or one of: {', '.join(RULES)}.")
    try:
        data = read(path)
        election = data.election(group_column)
        options = {}
        if rule_name == "as-recorded":
            rule_name, options = rule_for_pabulib(data.meta, election.num_voters)
        if rule_name == "village-quotas":
            if not group_column:
                raise click.ClickException("village-quotas needs --group-column.")
            groups = sorted({p.group for p in election.projects if p.group})
            options = {"inner": inner, "weights": dict.fromkeys(groups, 1)}
            if weights:
                options["weights"] = {key.strip(): value.strip() for key, value in
                                      (pair.split("=", 1) for pair in weights.split(",") if pair.strip())}
        outcome = allocate(election, rule_name, **options)
    except (PabulibError, ValueError, TypeError) as exc:
        raise click.ClickException(f"{path}: {exc}") from None
    if as_json:
        click.echo(json.dumps(outcome.as_json(), ensure_ascii=False))
        return
    click.echo(f"{rule_name}: {len(outcome.selected)} of {len(election.projects)} projects funded, "
               f"{format_money(outcome.cost)} of {format_money(outcome.budget)} "
               f"({format_money(outcome.left)} left); ties: {RULES[rule_name].tie_breaking}.")
    for key, value in outcome.notes.items():
        exact = isinstance(value, (int, Fraction)) and not isinstance(value, bool)
        click.echo(f"  {key}: {format_money(value) if exact else value}")
    scores = election.scores
    unfunded = sorted((pid for pid in outcome.reasons if pid not in set(outcome.selected)),
                      key=lambda pid: (-scores[pid], pid))
    width = max((len(pid) for pid in outcome.reasons), default=2)
    for pid in list(outcome.selected) + unfunded:
        mark = "+" if outcome.reasons[pid].funded else "-"
        click.echo(f"{mark} {pid:<{width}}  {format_money(election.by_id[pid].cost):>14}  {outcome.reasons[pid].text}")


@pb_cli.command("export-pabulib")
@click.argument("round_id", type=int)
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False, writable=True), help="The .pb file.")
def export_pabulib_command(round_id, output):
    """Write a closed round as a Pabulib file (anonymous ballots, the kept outcome as `selected`)."""
    from pathlib import Path

    from pb.core.errors import Conflict, NotFound
    from pb.voting.pabulib_export import export_pabulib
    from pb.voting.services import get_round

    try:
        text = export_pabulib(get_round(round_id))
    except NotFound:
        raise click.ClickException(f"There is no round {round_id}.") from None
    except Conflict:
        raise click.ClickException(f"Round {round_id} is not closed: its ballots are published at the close.") from None
    Path(output).write_text(text, encoding="utf-8")
    click.echo(f"Round {round_id} written to {output} ({len(text.encode()):,} bytes).")


@pb_cli.command("import-pabulib")
@click.argument("path", metavar="FILE.pb", type=click.Path(exists=True, dir_okay=False))
@click.option("--municipality", "slug", required=True, help="The municipality's slug, e.g. ak-dobo.")
@click.option("--budget", "budget_id", type=int, help="The budget to attach the round to (default: its latest).")
@click.option("--rule", help="The allocation rule (default: the file's, when Ashar has it and it fits; else greedy).")
@click.option("--as", "login", help="The acting account's e-mail or phone (default: the first platform admin).")
def import_pabulib_command(path, slug, budget_id, rule, login):
    """Import a Pabulib file as a closed rehearsal round (no limit of size or ballots here)."""
    import time
    from pathlib import Path

    import sqlalchemy as sa
    from flask_babel import force_locale

    from pb.accounts.models import User
    from pb.accounts.services import find_user_by_login
    from pb.core.errors import NotFound, PermissionDenied, ValidationFailed
    from pb.extensions import db
    from pb.places.services import get_municipality
    from pb.voting.pabulib_import import import_pabulib

    actor = find_user_by_login(login) if login else db.session.execute(
        sa.select(User).where(User.is_admin.is_(True)).order_by(User.id).limit(1)).scalar()
    if actor is None:
        raise click.ClickException("No such account: name one with --as, or create an admin first.")
    try:
        municipality = get_municipality(slug)
    except NotFound:
        raise click.ClickException(f"There is no municipality {slug!r}.") from None
    started = time.perf_counter()
    try:
        round_ = import_pabulib(actor, municipality, Path(path).read_bytes(), Path(path).name, budget_id, rule)
    except ValidationFailed as exc:
        with force_locale("en"):
            raise click.ClickException("\n".join(str(message) for _field, message in exc.errors)) from None
    except PermissionDenied:
        raise click.ClickException(f"{actor.name} may not prepare rounds in {slug}.") from None
    seconds = time.perf_counter() - started
    click.echo(f"Round {round_.id} (rehearsal): {len(round_.entries)} proposals, {round_.outcome.ballots:,} ballots, "
               f"rule {round_.allocation_rule}, {len(round_.outcome.detail['selected'])} funded; {seconds:.1f} s.")
