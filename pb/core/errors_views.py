"""Error pages in the user's language; service errors mapped to HTTP answers."""
from flask import render_template, request
from flask_babel import gettext as _
from flask_limiter.errors import RateLimitExceeded
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from pb.core.errors import NotFound, PermissionDenied

HANDLED = {400, 403, 404, 405, 413, 429, 500}


def _messages():
    return {
        400: _("The request could not be understood. Please check what you sent and try again."),
        403: _("You do not have permission to see this page or do this."),
        404: _("There is no such page. Check the address or go back to the start page."),
        405: _("This action is not possible at this address."),
        413: _("The file is too large. Please send a smaller file."),
        429: _("Too many attempts. Please wait a minute and try again."),
        500: _("Something went wrong on our side. Your data is safe; please try again later."),
    }


def _titles():
    return {
        400: _("Bad request"),
        403: _("Access denied"),
        404: _("Page not found"),
        405: _("Not allowed"),
        413: _("File too large"),
        429: _("Too many attempts"),
        500: _("Something went wrong"),
    }


def render_error(code, message=None):
    title = _titles().get(code, _titles()[500])
    message = message or _messages().get(code, _messages()[500])
    if request.headers.get("HX-Request"):
        return render_template("errors/_error.html", code=code, title=title, message=message), code
    return render_template("errors/error.html", code=code, title=title, message=message), code


def register(app):
    @app.errorhandler(CSRFError)
    def _csrf(_error):
        return render_error(
            400, _("The form has expired or was sent from elsewhere. Please reload the page and try again.")
        )

    @app.errorhandler(RateLimitExceeded)
    def _rate(_error):
        return render_error(429)

    @app.errorhandler(NotFound)
    def _not_found(_error):
        return render_error(404)

    @app.errorhandler(PermissionDenied)
    def _denied(_error):
        return render_error(403)

    @app.errorhandler(HTTPException)
    def _http(error):
        return render_error(error.code if error.code in HANDLED else 400)

    @app.errorhandler(Exception)
    def _unexpected(error):
        app.logger.exception("unhandled error on %s", request.path)
        from pb.extensions import db

        db.session.rollback()
        return render_error(500)
