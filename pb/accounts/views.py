"""Login, logout, registration, password, language; the admin's account pages."""
from urllib.parse import urlsplit

from flask import Blueprint, current_app, flash, redirect, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from pb.accounts import services
from pb.accounts.forms import (
    AccountForm,
    ChangePasswordForm,
    ConfirmForm,
    LanguageForm,
    LoginForm,
    RegisterForm,
    RoleForm,
)
from pb.core.errors import ValidationFailed
from pb.core.permissions import admin_required
from pb.core.views import apply_errors, page_arg, render
from pb.extensions import limiter
from pb.places import services as places

bp = Blueprint("accounts", __name__)


def _safe_next(target):
    if not target:
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return None
    return target


def _login_rate():
    return current_app.config["LOGIN_RATE_LIMIT"]


def _login_key():
    return "login:" + (request.form.get("login") or "").strip().lower()


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(_login_rate, methods=["POST"])
@limiter.limit(_login_rate, methods=["POST"], key_func=_login_key)
def login():
    """Log in with an e-mail or phone and a password."""
    if current_user.is_authenticated:
        return redirect(url_for("portal.index"))
    form = LoginForm()
    if form.validate_on_submit():
        user = services.authenticate(form.login.data, form.password.data)
        if user is None:
            form.form_errors.append(_("The login or the password is not right."))
        else:
            session.clear()  # a fresh session on login (no fixation)
            login_user(user, remember=form.remember.data)
            return redirect(_safe_next(request.args.get("next")) or url_for("portal.index"))
    return render("accounts/login.html", form=form)


@bp.route("/logout", methods=["POST"])
def logout():
    """Log out (POST with CSRF, so that a link elsewhere cannot log anyone out)."""
    form = ConfirmForm()
    if form.validate_on_submit():
        # cleared first: logout_user leaves in the session the order to delete the remember-me cookie
        session.clear()
        logout_user()
    return redirect(url_for("portal.index"))


@bp.route("/register", methods=["GET", "POST"])
@limiter.limit("20 per hour", methods=["POST"])
def register():
    """Register as a resident of a village."""
    if current_user.is_authenticated:
        return redirect(url_for("portal.index"))
    form = RegisterForm()
    form.village_id.choices = [(0, "—")] + places.village_choices()
    if request.method == "GET":
        form.language.data = session.get("lang", "ky")
    if form.validate_on_submit():
        try:
            user = services.register_resident(
                name=form.name.data,
                password=form.password.data,
                village_id=form.village_id.data,
                language=form.language.data,
                email=form.email.data,
                phone=form.phone.data,
            )
        except ValidationFailed as exc:
            apply_errors(form, exc.errors)
        else:
            login_user(user)
            flash(_("Welcome! Your account is ready."), "success")
            return redirect(url_for("portal.index"))
    return render("accounts/register.html", form=form)


@bp.route("/account/password", methods=["GET", "POST"])
@login_required
def change_password():
    """Change one's own password."""
    form = ChangePasswordForm()
    if form.validate_on_submit():
        try:
            services.change_password(current_user, form.current_password.data, form.new_password.data)
        except ValidationFailed as exc:
            apply_errors(form, exc.errors)
        else:
            flash(_("Your password has been changed."), "success")
            return redirect(url_for("portal.index"))
    return render("accounts/password.html", form=form)


@bp.route("/language", methods=["POST"])
def set_language():
    """Switch the language; remembered in the session and, when logged in, on the account."""
    form = LanguageForm()
    if form.validate_on_submit():
        session["lang"] = form.language.data
        if current_user.is_authenticated:
            services.set_language(current_user, form.language.data)
    return redirect(_safe_next(request.form.get("next")) or url_for("portal.index"))


# --- admin ----------------------------------------------------------------------


@bp.route("/admin/accounts")
@admin_required
def list_accounts():
    """All accounts, searchable."""
    q = request.args.get("q", "")
    pagination = services.list_users(current_user, page_arg(), current_app.config["PER_PAGE"], q)
    return render("accounts/accounts_list.html", pagination=pagination, q=q)


@bp.route("/admin/accounts/new", methods=["GET", "POST"])
@admin_required
def create_account():
    """Create an account for staff, council or group members."""
    form = AccountForm()
    if form.validate_on_submit():
        try:
            user = services.create_account(
                current_user,
                name=form.name.data,
                password=form.password.data,
                language=form.language.data,
                email=form.email.data,
                phone=form.phone.data,
                is_admin=form.is_admin.data,
            )
        except ValidationFailed as exc:
            apply_errors(form, exc.errors)
        else:
            flash(_("The account has been created."), "success")
            return redirect(url_for("accounts.show_account", user_id=user.id))
    return render("accounts/account_new.html", form=form)


@bp.route("/admin/accounts/<int:user_id>", methods=["GET", "POST"])
@admin_required
def show_account(user_id):
    """One account with its roles; the form assigns a municipal role."""
    user = services.get_user(user_id)
    form = RoleForm()
    form.municipality_id.choices = places.municipality_choices()
    if form.validate_on_submit():
        try:
            services.assign_municipal_role(current_user, user, form.municipality_id.data, form.role.data)
        except ValidationFailed as exc:
            apply_errors(form, exc.errors)
        else:
            flash(_("The role has been assigned."), "success")
            return redirect(url_for("accounts.show_account", user_id=user.id))
    return render("accounts/account_show.html", user=user, form=form, confirm=ConfirmForm())


@bp.route("/admin/roles/<int:role_id>/revoke", methods=["POST"])
@admin_required
def revoke_role(role_id):
    """Take a municipal role away."""
    form = ConfirmForm()
    user_id = request.form.get("user_id", type=int)
    if form.validate_on_submit():
        services.revoke_municipal_role(current_user, role_id)
        flash(_("The role has been revoked."), "success")
    return redirect(url_for("accounts.show_account", user_id=user_id) if user_id else url_for("accounts.list_accounts"))


@bp.route("/admin/accounts/<int:user_id>/active", methods=["POST"])
@admin_required
def set_active(user_id):
    """Block or unblock an account."""
    user = services.get_user(user_id)
    form = ConfirmForm()
    if form.validate_on_submit():
        try:
            services.set_account_active(current_user, user, request.form.get("active") == "1")
        except ValidationFailed as exc:
            flash(exc.errors[0][1], "error")
    return redirect(url_for("accounts.show_account", user_id=user.id))
