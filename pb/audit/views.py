"""The admin's view of the audit log."""
from flask import Blueprint, current_app
from flask_login import current_user

from pb.audit import services
from pb.core.permissions import admin_required
from pb.core.views import page_arg, render

bp = Blueprint("audit", __name__)


@bp.route("/admin/audit")
@admin_required
def list_entries():
    """The hash-chained log, newest first, with the result of a chain check."""
    pagination = services.list_entries(current_user, page_arg(), current_app.config["PER_PAGE"])
    return render("audit/audit_list.html", pagination=pagination, report=services.verify_chain())
