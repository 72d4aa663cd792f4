"""Follow buttons, the notification list, and the development outbox."""
from flask import Blueprint, abort, current_app, redirect, request, url_for
from flask_login import current_user, login_required

from pb.accounts.forms import ConfirmForm
from pb.core.permissions import admin_required
from pb.core.views import page_arg, render
from pb.notifications import mail, services

bp = Blueprint("notifications", __name__)


@bp.app_context_processor
def _unread():
    return {"unread_notifications": services.unread_count(current_user)}


def _back(target_type, target_id):
    return redirect(services.target_path(target_type, target_id))


@bp.route("/follow/<target_type>/<int:target_id>", methods=["POST"])
@login_required
def follow(target_type, target_id):
    """Follow or stop following (action=unfollow); htmx swaps the button."""
    if target_type not in services.TARGETS or not ConfirmForm().validate_on_submit():
        abort(404 if target_type not in services.TARGETS else 400)
    if request.form.get("action") == "unfollow":
        services.unfollow(current_user, target_type, target_id)
    else:
        services.follow(current_user, target_type, target_id)
    if request.headers.get("HX-Request"):
        return render("notifications/_follow.html", target_type=target_type, target_id=target_id,
                      following=services.is_following(current_user, target_type, target_id))
    return _back(target_type, target_id)


@bp.route("/notifications")
@login_required
def list_notifications():
    """One's notifications, newest first."""
    pagination, shown = services.list_notifications(current_user, page_arg(), current_app.config["PER_PAGE"])
    return render("notifications/list.html", pagination=pagination, shown=shown, form=ConfirmForm())


@bp.route("/notifications/read", methods=["POST"])
@login_required
def mark_read():
    """Mark every notification as read."""
    if ConfirmForm().validate_on_submit():
        services.mark_all_read(current_user)
    return redirect(url_for("notifications.list_notifications"))


@bp.route("/admin/outbox")
@admin_required
def show_outbox():
    """The messages written to the local outbox when no mail server is configured."""
    return render("notifications/outbox.html", messages=mail.read_outbox(),
                  smtp=bool(current_app.config.get("MAIL_SERVER")))
