"""Mail sent after the transaction commits: to SMTP when configured, else to a readable outbox."""
import smtplib
import uuid
from datetime import datetime, timezone
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from pathlib import Path

from flask import current_app
from sqlalchemy import event
from sqlalchemy.orm import Session

from pb.core.models import utcnow

_KEY = "pending_mail"


def queue_mail(session, to, subject, body):
    """Queue a message on the session; it leaves only if the session commits."""
    session.info.setdefault(_KEY, []).append((to, subject, body))


@event.listens_for(Session, "after_commit")
def _send_after_commit(session):
    pending = session.info.pop(_KEY, [])
    for to, subject, body in pending:
        try:
            deliver(to, subject, body)
        except Exception:  # a mail server down must not undo what was committed
            current_app.logger.exception("mail to %s could not be sent", to)


@event.listens_for(Session, "after_rollback")
def _drop_after_rollback(session):
    session.info.pop(_KEY, None)


def build_message(to, subject, body):
    config = current_app.config
    message = EmailMessage()
    message["From"] = config["MAIL_DEFAULT_SENDER"]
    message["To"] = to
    message["Subject"] = subject
    message["Date"] = format_datetime(datetime.now(timezone.utc))
    message["Message-ID"] = make_msgid(domain="ashar")
    message.set_content(body)
    return message


def deliver(to, subject, body):
    config = current_app.config
    message = build_message(to, subject, body)
    if config.get("MAIL_SERVER"):
        with smtplib.SMTP(config["MAIL_SERVER"], config["MAIL_PORT"], timeout=10) as smtp:
            if config.get("MAIL_USE_TLS"):
                smtp.starttls()
            if config.get("MAIL_USERNAME"):
                smtp.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"])
            smtp.send_message(message)
        return
    outbox = Path(config["MAIL_OUTBOX_DIR"])
    outbox.mkdir(parents=True, exist_ok=True)
    name = f"{utcnow():%Y%m%dT%H%M%S%f}-{uuid.uuid4().hex[:8]}.eml"
    (outbox / name).write_bytes(bytes(message))


def read_outbox(limit=50):
    """The newest messages of the development outbox, as (file name, message) pairs."""
    from email import policy
    from email.parser import BytesParser

    outbox = Path(current_app.config["MAIL_OUTBOX_DIR"])
    if not outbox.is_dir():
        return []
    files = sorted(outbox.glob("*.eml"), reverse=True)[:limit]
    parser = BytesParser(policy=policy.default)
    return [(path.name, parser.parsebytes(path.read_bytes())) for path in files]
