"""Ashar: participatory budgeting and public hearings for Kyrgyz municipalities."""
from flask import Flask


def create_app(config_class=None):
    """Build the app: config, extensions, blueprints, error pages, CLI, templates."""
    # imported here, not above: `flask pb allocate` loads pb.cli as a plugin without the app (see pb/cli.py)
    from config import config_from_env

    app = Flask(__name__, template_folder="../templates", static_folder="../static")
    _bound_ids(app)
    config_class = config_class or config_from_env()
    app.config.from_object(config_class() if isinstance(config_class, type) else config_class)
    _init_extensions(app)
    _register_blueprints(app)
    _register_templating(app)
    from pb.core import errors_views, security

    errors_views.register(app)
    security.register(app)
    _register_cli(app)
    return app


def _bound_ids(app):
    """<int:…> in URLs stops at the largest BIGINT: a longer number is a 404, not a database error."""
    from werkzeug.routing import IntegerConverter

    class BoundedInteger(IntegerConverter):
        def __init__(self, map, *args, **kwargs):
            kwargs.setdefault("max", 2**63 - 1)
            super().__init__(map, *args, **kwargs)

    app.url_map.converters["int"] = BoundedInteger


def _init_extensions(app):
    from pb.core.i18n import select_locale
    from pb.core.pool import ping_after_idle
    from pb.core.sqlite import enable_sqlite_pragmas
    from pb.extensions import babel, csrf, db, htmx, limiter, login_manager, migrate

    db.init_app(app)
    with app.app_context():
        enable_sqlite_pragmas(db.engine)
        ping_after_idle(db.engine, app.config.get("DATABASE_PING_AFTER"))
    migrate.init_app(app, db, render_as_batch=True, directory=str(app.root_path + "/../migrations"))
    login_manager.init_app(app)
    csrf.init_app(app)
    babel.init_app(app, locale_selector=select_locale)
    htmx.init_app(app)
    limiter.init_app(app)
    from pb import models  # noqa: F401  every model registered before the first query
    from pb.accounts.models import AnonymousUser
    from pb.accounts.services import load_user

    login_manager.user_loader(load_user)
    login_manager.anonymous_user = AnonymousUser
    login_manager.login_view = "accounts.login"
    login_manager.login_message_category = "info"
    from flask_babel import lazy_gettext as _l

    login_manager.login_message = _l("Please log in to see this page.")


def _register_blueprints(app):
    from pb.accounts.views import bp as accounts_bp
    from pb.api.views import bp as api_bp
    from pb.audit.views import bp as audit_bp
    from pb.budgets.execution_views import bp as execution_bp
    from pb.budgets.views import bp as budgets_bp
    from pb.comments.views import bp as comments_bp
    from pb.groups.views import bp as groups_bp
    from pb.hearings.views import bp as hearings_bp
    from pb.hearings.minutes_views import bp as minutes_bp
    from pb.hearings.stats_views import bp as stats_bp
    from pb.notifications.views import bp as notifications_bp
    from pb.places.views import bp as places_bp
    from pb.portal.views import bp as portal_bp
    from pb.proposals.approval_views import bp as approval_bp
    from pb.proposals.views import bp as proposals_bp
    from pb.reports.views import bp as reports_bp
    from pb.voting.admin_views import bp as voting_admin_bp
    from pb.voting.import_views import bp as voting_import_bp
    from pb.voting.kiosk_views import bp as kiosk_bp
    from pb.voting.views import bp as voting_bp

    for bp in (portal_bp, places_bp, accounts_bp, groups_bp, budgets_bp, proposals_bp, comments_bp, audit_bp, notifications_bp):
        app.register_blueprint(bp)
    app.register_blueprint(hearings_bp)
    app.register_blueprint(api_bp)
    for bp in (minutes_bp, stats_bp, voting_bp, voting_admin_bp, voting_import_bp, kiosk_bp, reports_bp,
               approval_bp):
        app.register_blueprint(bp)
    app.register_blueprint(execution_bp)
    from pb.monitoring.report_views import bp as monitoring_reports_bp
    from pb.monitoring.views import bp as monitoring_bp

    from pb.monitoring.cycle_views import bp as next_cycle_bp
    from pb.reports.monitoring_views import bp as monitoring_pdf_bp

    for bp in (monitoring_bp, monitoring_reports_bp, next_cycle_bp, monitoring_pdf_bp):
        app.register_blueprint(bp)


def _register_templating(app):
    from pb.core import templating

    templating.register(app)


def _register_cli(app):
    from pb.cli import pb_cli

    app.cli.add_command(pb_cli)
