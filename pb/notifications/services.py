"""Following budgets, proposals and hearings; notifying followers on the site and by e-mail."""
import json
from dataclasses import dataclass
from typing import Callable

import sqlalchemy as sa
from flask import current_app, has_request_context, request, url_for
from flask_babel import force_locale
from flask_babel import gettext as _

from pb.accounts.models import User
from pb.core.errors import PermissionDenied
from pb.core.models import utcnow
from pb.extensions import db
from pb.notifications.mail import queue_mail
from pb.notifications.models import Follow, Notification

TARGETS = {}  # target_type -> Target
KINDS = {}  # kind -> Kind


@dataclass(frozen=True)
class Target:
    """Something that can be followed: how to find it, name it and link to it."""

    exists: Callable[[int], bool]
    title: Callable[[int], str]
    endpoint: str
    id_arg: str


@dataclass(frozen=True)
class Kind:
    """A kind of notification: its sentence, given the target's title and the params, and
    optionally a more precise link than the followed target's page (a comment on a line)."""

    message: Callable[[str, dict], str]
    link: Callable[[dict], str | None] | None = None


def register_target(target_type, exists, title, endpoint, id_arg):
    TARGETS[target_type] = Target(exists, title, endpoint, id_arg)


def register_kind(kind, message, link=None):
    KINDS[kind] = Kind(message, link)


def _known(target_type, target_id):
    target = TARGETS.get(target_type)
    return target is not None and target.exists(target_id)


def is_following(user, target_type, target_id):
    if not getattr(user, "is_authenticated", False):
        return False
    return db.session.execute(
        sa.select(Follow.id).where(Follow.user_id == user.id, Follow.target_type == target_type,
                                   Follow.target_id == target_id)
    ).first() is not None


def follow(user, target_type, target_id):
    """Start following; following twice is harmless."""
    if not getattr(user, "is_authenticated", False):
        raise PermissionDenied()
    if not _known(target_type, target_id):
        from pb.core.errors import NotFound

        raise NotFound()
    if not is_following(user, target_type, target_id):
        db.session.add(Follow(user_id=user.id, target_type=target_type, target_id=target_id))
        db.session.commit()


def unfollow(user, target_type, target_id):
    if not getattr(user, "is_authenticated", False):
        raise PermissionDenied()
    db.session.execute(sa.delete(Follow).where(Follow.user_id == user.id, Follow.target_type == target_type,
                                               Follow.target_id == target_id))
    db.session.commit()


def follower_ids(target_type, target_id):
    return db.session.execute(
        sa.select(Follow.user_id).where(Follow.target_type == target_type, Follow.target_id == target_id)
    ).scalars().all()


def notify(user_ids, kind, target_type, target_id, actor=None, **params):
    """Notify these users (not the actor) on the site, and by e-mail after the commit.

    The caller commits: notifications belong to the transaction of the change they report.
    """
    recipients = set(user_ids) - {getattr(actor, "id", None)}
    if not recipients:
        return []
    users = db.session.execute(sa.select(User).where(User.id.in_(recipients), User.active.is_(True))).scalars()
    created = []
    text = json.dumps(params, ensure_ascii=False, sort_keys=True, default=str)
    for user in users:
        note = Notification(user_id=user.id, kind=kind, target_type=target_type, target_id=target_id, params=text)
        db.session.add(note)
        created.append(note)
        if user.email:
            with force_locale(user.language):
                subject, body = _mail_text(kind, target_type, target_id, params)
            queue_mail(db.session, user.email, subject, body)
    return created


def notify_followers(kind, target_type, target_id, actor=None, extra_user_ids=(), **params):
    """Notify everyone who follows the target (and extra users, such as an author)."""
    ids = set(follower_ids(target_type, target_id)) | set(extra_user_ids)
    return notify(ids, kind, target_type, target_id, actor=actor, **params)


def render(kind, target_type, target_id, params):
    """The sentence of a notification in the current language."""
    target = TARGETS.get(target_type)
    title = target.title(target_id) if target and target.exists(target_id) else "—"
    return KINDS[kind].message(title, params) if kind in KINDS else title


def notification_path(kind, target_type, target_id, params):
    """Where a notification leads: the kind's own link if it has one, else the target's page."""
    link = KINDS[kind].link if kind in KINDS else None
    return (link(params) if link else None) or target_path(target_type, target_id)


def target_path(target_type, target_id):
    target = TARGETS.get(target_type)
    if target is None:
        return "/"
    return url_for(target.endpoint, **{target.id_arg: target_id})


def _mail_text(kind, target_type, target_id, params):
    sentence = render(kind, target_type, target_id, params)
    if has_request_context():
        link = request.host_url.rstrip("/") + notification_path(kind, target_type, target_id, params)
    else:
        base = current_app.config["BASE_URL"].rstrip("/")
        with current_app.test_request_context(base_url=base):
            link = base + notification_path(kind, target_type, target_id, params)
    body = "\n\n".join([
        sentence,
        link,
        _("You receive this because you follow this page on Ashar. To stop, open the page and press “Following — stop”."),
    ])
    return _("Ashar: %(what)s", what=sentence[:120]), body


@dataclass(frozen=True)
class Shown:
    id: int
    text: str
    path: str
    created_at: object
    unread: bool


def list_notifications(user, page, per_page):
    """The user's notifications, newest first, each as a sentence and a link."""
    stmt = sa.select(Notification).where(Notification.user_id == user.id).order_by(Notification.id.desc())
    pagination = db.paginate(stmt, page=page, per_page=per_page, error_out=False)
    shown = [
        Shown(n.id, render(n.kind, n.target_type, n.target_id, json.loads(n.params)),
              notification_path(n.kind, n.target_type, n.target_id, json.loads(n.params)),
              n.created_at, n.read_at is None)
        for n in pagination.items
    ]
    return pagination, shown


def unread_count(user):
    if not getattr(user, "is_authenticated", False):
        return 0
    return db.session.execute(
        sa.select(sa.func.count(Notification.id)).where(Notification.user_id == user.id,
                                                        Notification.read_at.is_(None))
    ).scalar()


def mark_all_read(user):
    db.session.execute(sa.update(Notification).where(Notification.user_id == user.id,
                                                     Notification.read_at.is_(None)).values(read_at=utcnow()))
    db.session.commit()
