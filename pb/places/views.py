"""The admin's pages for municipalities; villages for the admin and the municipality's staff."""
from flask import Blueprint, abort, flash, redirect, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from pb.core.errors import ValidationFailed
from pb.core.permissions import admin_required
from pb.core.views import apply_errors, render
from pb.places import services
from pb.places.forms import MunicipalityForm, VillageForm

bp = Blueprint("places", __name__)


@bp.route("/admin/municipalities/new", methods=["GET", "POST"])
@admin_required
def create_municipality():
    """Add a municipality."""
    form = MunicipalityForm()
    if form.validate_on_submit():
        try:
            municipality = services.create_municipality(current_user, form.data)
        except ValidationFailed as exc:
            apply_errors(form, exc.errors)
        else:
            flash(_("The municipality has been created."), "success")
            return redirect(url_for("portal.show_municipality", slug=municipality.slug))
    return render("places/municipality_form.html", form=form, municipality=None)


@bp.route("/m/<slug>/edit", methods=["GET", "POST"])
@admin_required
def edit_municipality(slug):
    """Change a municipality's names and figures."""
    municipality = services.get_municipality(slug)
    form = MunicipalityForm(obj=municipality)
    if form.validate_on_submit():
        try:
            services.update_municipality(current_user, municipality, form.data)
        except ValidationFailed as exc:
            apply_errors(form, exc.errors)
        else:
            flash(_("The changes have been saved."), "success")
            return redirect(url_for("portal.show_municipality", slug=municipality.slug))
    elif not form.is_submitted():
        form.kind.data = municipality.kind.value
        form.oblast.data = municipality.oblast.value
    return render("places/municipality_form.html", form=form, municipality=municipality)


@bp.route("/m/<slug>/villages/new", methods=["GET", "POST"])
@login_required
def create_village(slug):
    """Add a village to a municipality."""
    municipality = services.get_municipality(slug)
    if not services.can_edit_villages(current_user, municipality):
        abort(403)
    form = VillageForm()
    if form.validate_on_submit():
        try:
            services.create_village(current_user, municipality, form.data)
        except ValidationFailed as exc:
            apply_errors(form, exc.errors)
        else:
            flash(_("The village has been added."), "success")
            return redirect(url_for("portal.show_municipality", slug=municipality.slug))
    return render("places/village_form.html", form=form, municipality=municipality, village=None)


@bp.route("/villages/<int:village_id>/edit", methods=["GET", "POST"])
@login_required
def edit_village(village_id):
    """Change a village's figures."""
    village = services.get_village(village_id)
    municipality = village.municipality
    if not services.can_edit_villages(current_user, municipality):
        abort(403)
    form = VillageForm(obj=village)
    if form.validate_on_submit():
        try:
            services.update_village(current_user, village, form.data)
        except ValidationFailed as exc:
            apply_errors(form, exc.errors)
        else:
            flash(_("The changes have been saved."), "success")
            return redirect(url_for("portal.show_municipality", slug=municipality.slug))
    return render("places/village_form.html", form=form, municipality=municipality, village=village)
