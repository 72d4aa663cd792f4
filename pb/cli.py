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
    from pb.accounts.identifiers import normalize_email
    from pb.accounts.models import User
    from pb.accounts.passwords import MIN_LENGTH, hash_password
    from pb.audit.services import record
    from pb.extensions import db

    address = normalize_email(email)
    if not address:
        raise click.BadParameter("not a valid e-mail address", param_hint="--email")
    if len(password) < MIN_LENGTH:
        raise click.BadParameter(f"at least {MIN_LENGTH} characters", param_hint="--password")
    user = User(name=name, email=address, is_admin=True, password_hash=hash_password(password))
    db.session.add(user)
    db.session.flush()
    record(None, "account.create_admin", user)
    db.session.commit()
    click.echo(f"Administrator {address} created.")
