"""The public front: the start page and each municipality's page (composes the domains)."""
from flask import Blueprint
from flask_login import current_user

from pb.budgets import services as budgets
from pb.core.permissions import can
from pb.core.views import render
from pb.groups import services as groups
from pb.places import services as places

bp = Blueprint("portal", __name__)


@bp.route("/")
def index():
    """Municipalities by oblast, and the budgets open for residents."""
    return render("portal/index.html", municipalities=places.list_municipalities(),
                  budgets=budgets.list_public_budgets())


@bp.route("/m/<slug>")
def show_municipality(slug):
    """A municipality: its figures, villages, groups and budgets."""
    municipality = places.get_municipality(slug)
    return render(
        "portal/municipality.html",
        municipality=municipality,
        groups=groups.list_groups(municipality.id),
        budgets=budgets.list_budgets(current_user, municipality.id),
        can_create_budget=can(current_user, "create_budget", municipality),
        can_create_group=groups.can_create_group(current_user, municipality),
        can_edit_villages=places.can_edit_villages(current_user, municipality),
        can_verify=groups.can_verify_residents(current_user, municipality),
    )
