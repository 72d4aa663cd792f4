"""Group pages: members, their management, and the seat calculator."""
from flask import Blueprint, abort, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from pb.accounts.forms import ConfirmForm
from pb.core.errors import ValidationFailed
from pb.core.views import apply_errors, render
from pb.groups import services
from pb.groups.forms import GroupForm, MemberForm, SeatsForm
from pb.places import services as places

bp = Blueprint("groups", __name__)


@bp.route("/groups/<int:group_id>")
def show_group(group_id):
    """A group: its kind, municipality and members with their positions and villages."""
    group = services.get_group(group_id)
    form = None
    if services.can_manage_group(current_user, group):
        form = _member_form(group)
    return render("groups/group_show.html", group=group, form=form,
                  can_manage=form is not None)


def _member_form(group, formdata=None):
    form = MemberForm(formdata=formdata) if formdata is not None else MemberForm()
    form.user_id.choices = [(0, "—")] + [
        (u.id, f"{u.name} ({u.login})") for u in services.candidate_members(group)
    ]
    form.village_id.choices = [(0, "—")] + places.village_choices(group.municipality_id)
    return form


@bp.route("/m/<slug>/groups/new", methods=["GET", "POST"])
@login_required
def create_group(slug):
    """Form a public budget, initiative or monitoring group."""
    municipality = places.get_municipality(slug)
    if not services.can_create_group(current_user, municipality):
        abort(403)
    form = GroupForm()
    if form.validate_on_submit():
        try:
            group = services.create_group(current_user, municipality, form.kind.data,
                                          form.name_ky.data, form.name_ru.data, form.description.data)
        except ValidationFailed as exc:
            apply_errors(form, exc.errors)
        else:
            flash(_("The group has been created."), "success")
            return redirect(url_for("groups.show_group", group_id=group.id))
    return render("groups/group_new.html", form=form, municipality=municipality)


@bp.route("/groups/<int:group_id>/members", methods=["POST"])
@login_required
def add_member(group_id):
    """Add a member with a position and a village."""
    group = services.get_group(group_id)
    if not services.can_manage_group(current_user, group):
        abort(403)
    form = _member_form(group, request.form)
    if form.validate():
        try:
            services.add_member(current_user, group, form.user_id.data, form.position.data,
                                form.village_id.data or None)
        except ValidationFailed as exc:
            apply_errors(form, exc.errors)
        else:
            flash(_("The member has been added."), "success")
            return redirect(url_for("groups.show_group", group_id=group.id))
    return render("groups/group_show.html", group=group, form=form, can_manage=True), 422


@bp.route("/groups/members/<int:member_id>", methods=["POST"])
@login_required
def change_member(member_id):
    """Change a member's position or village, or remove them (action=remove)."""
    member = services.get_member(member_id)
    group = member.group
    if not services.can_manage_group(current_user, group):
        abort(403)
    form = _member_form(group, request.form)
    form.user_id.data = member.user_id
    if not form.validate():
        abort(400)
    try:
        if request.form.get("action") == "remove":
            services.remove_member(current_user, member.id)
            flash(_("The member has been removed."), "success")
        else:
            services.change_member(current_user, member, form.position.data, form.village_id.data or None)
            flash(_("The changes have been saved."), "success")
    except ValidationFailed as exc:
        flash(str(exc.errors[0][1]), "error")
    return redirect(url_for("groups.show_group", group_id=group.id))


@bp.route("/m/<slug>/seats")
def calculate_seats(slug):
    """Seats per village for a group, by a chosen method, with the arithmetic shown."""
    municipality = places.get_municipality(slug)
    form = SeatsForm(formdata=request.args if request.args else None)
    result = None
    if form.validate():
        try:
            result = services.compute_seats(municipality, form.seats.data, form.weighting.data,
                                            form.voters_percent.data, form.method.data)
        except ValidationFailed as exc:
            apply_errors(form, exc.errors)
    villages = {v.id: v for v in municipality.villages}
    return render("groups/seats.html", "groups/_seats_result.html", municipality=municipality,
                  form=form, result=result, villages=villages)


@bp.route("/m/<slug>/residents", methods=["GET", "POST"])
@login_required
def verify_residents(slug):
    """Find a resident and mark them verified for a village (or revoke it)."""
    municipality = places.get_municipality(slug)
    if not services.can_verify_residents(current_user, municipality):
        abort(403)
    if request.method == "POST":
        if not ConfirmForm().validate_on_submit():
            abort(400)
        user_id = request.form.get("user_id", type=int)
        try:
            if request.form.get("action") == "revoke":
                user = services.revoke_verification(current_user, municipality, user_id)
                flash(_("The verification of %(name)s has been withdrawn.", name=user.name), "success")
            else:
                user = services.verify_resident(current_user, municipality, user_id,
                                                request.form.get("village_id", type=int))
                flash(_("%(name)s is now a verified resident of %(village)s.", name=user.name,
                        village=user.verified_village.name), "success")
        except ValidationFailed as exc:
            flash(str(exc.errors[0][1]), "error")
        return redirect(url_for("groups.verify_residents", slug=slug, q=request.args.get("q", "")))
    q = request.args.get("q", "").strip()
    return render("groups/residents.html", municipality=municipality, q=q,
                  residents=services.list_residents(municipality, q or None), form=ConfirmForm())
