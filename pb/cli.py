"""Commands: flask --app wsgi pb <command>."""
import click
from flask.cli import AppGroup

pb_cli = AppGroup("pb", help="Ashar commands.")


@pb_cli.command("seed-demo")
@click.option("--if-empty", is_flag=True, help="Do nothing when the database already has accounts.")
def seed_demo(if_empty):
    """Load the demo municipalities, groups, budget and accounts."""
    from pb.demo.seed import database_is_empty, load_demo

    if not database_is_empty():
        if if_empty:
            click.echo("The database already has data; the demo was not loaded.")
            return
        raise click.ClickException("The database is not empty; the demo loads only into an empty one.")
    load_demo()
    click.echo("Demo data loaded.")


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
