"""How the API answers: compact UTF-8 JSON, errors as {"error": {"code", "message"}} in the request's
language, open to every origin (it is public and read-only), ETags with 304, and pages of lists."""
import json
from dataclasses import dataclass

from flask import Response, current_app, request, url_for
from flask_babel import force_locale, get_locale
from flask_babel import lazy_gettext as _l
from flask_limiter.errors import RateLimitExceeded
from werkzeug.exceptions import HTTPException

from pb.core.errors import NotFound
from pb.core.errors_views import render_error
from pb.extensions import db

EXPOSED = "ETag, Content-Language, Retry-After, X-RateLimit-Limit, X-RateLimit-Remaining, X-RateLimit-Reset"


class ApiError(Exception):
    """An answer other than 200: the status, a stable code for programs and a message for people."""

    def __init__(self, status, code, message, parameter=None):
        super().__init__(code)
        self.status, self.code, self.message, self.parameter = status, code, message, parameter

    @classmethod
    def bad_parameter(cls, name, message):
        return cls(400, "bad_request", message, parameter=name)

    @classmethod
    def not_found(cls, message=None):
        return cls(404, "not_found", message or _l("There is no such object, or it is not public."))


def json_response(data, status=200):
    """UTF-8 JSON without escapes or spaces: Kyrgyz text stays half the size over a slow connection."""
    body = json.dumps(data, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    return Response(body, status=status, mimetype="application/json")


def api_locale():
    """The language asked for in Accept-Language, else the site's choice for this visitor (Kyrgyz by default)."""
    return request.accept_languages.best_match(current_app.config["LANGUAGES"]) or str(get_locale())


def error_response(error):
    if not _is_api(request.path):  # the /api page is a page of the site: its errors are the site's pages
        return render_error(error.status)
    lang = api_locale()
    with force_locale(lang):
        body = {"code": error.code, "message": str(error.message)}
    if error.parameter is not None:
        body["parameter"] = error.parameter
    response = json_response({"error": body}, error.status)
    if error.status == 405:
        response.headers["Allow"] = "GET, HEAD, OPTIONS"
    response.headers["Content-Language"] = lang
    response.vary.add("Accept-Language")
    return response


# --- pages of lists --------------------------------------------------------------------


@dataclass(frozen=True)
class Page:
    items: list
    total: int
    page: int
    per_page: int

    @property
    def pages(self):
        return max(1, -(-self.total // self.per_page))


def page_of(items, page, per_page):
    """A page of an already loaded list."""
    items = list(items)
    start = (page - 1) * per_page
    return Page(items[start:start + per_page], len(items), page, per_page)


def page_json(page, serialize, args):
    """The page as JSON, with links to the next and previous pages under the same filters."""

    def link(number):
        query = {k: v for k, v in args.items() if v is not None and k not in ("page", "per_page")}
        return url_for(request.endpoint, _external=True, **request.view_args, **query, page=number,
                       per_page=page.per_page)

    return {
        "items": [serialize(item) for item in page.items],
        "total": page.total,
        "page": page.page,
        "per_page": page.per_page,
        "pages": page.pages,
        "next": link(page.page + 1) if page.page < page.pages else None,
        "previous": link(min(page.page - 1, page.pages)) if page.page > 1 else None,
    }


# --- hooks and handlers ---------------------------------------------------------------


def _messages():
    return {
        400: ("bad_request", _l("The request could not be understood.")),
        404: ("not_found", _l("There is no such object, or it is not public.")),
        405: ("method_not_allowed", _l("This API only reads: use GET.")),
        429: ("rate_limited", _l("Too many requests from this address. Please wait a minute and try again.")),
        500: ("server_error", _l("Something went wrong on our side. Please try again later.")),
    }


def from_status(status):
    """The API's error for an HTTP status, with its code and message."""
    messages = _messages()
    if status not in messages:
        status = 400 if status < 500 else 500
    code, message = messages[status]
    return ApiError(status, code, message)


def _is_api(path):
    return path == "/api/v1" or path.startswith("/api/v1/")


def register(bp):
    """JSON errors, CORS and conditional GETs for every /api/v1 answer of the blueprint."""
    bp.register_error_handler(ApiError, error_response)

    @bp.errorhandler(NotFound)
    def _not_found(_error):
        return error_response(ApiError.not_found())

    # Registered per status too: the app's HTML handlers for a CSRF 400 and for 429 would otherwise win,
    # as Flask tries every handler registered for the status code before the class-based ones.
    for status in (400, 404, 405, 429):
        bp.register_error_handler(status, _http_error)
    bp.register_error_handler(HTTPException, _http_error)

    @bp.errorhandler(Exception)
    def _unexpected(error):
        current_app.logger.exception("unhandled error on %s", request.path)
        db.session.rollback()
        return error_response(from_status(500))

    @bp.after_request
    def _public(response):
        if not _is_api(request.path):
            return response
        response.headers["Access-Control-Allow-Origin"] = "*"
        response.headers["Access-Control-Expose-Headers"] = EXPOSED
        if request.method == "OPTIONS":
            response.headers["Access-Control-Allow-Methods"] = "GET, HEAD, OPTIONS"
            response.headers["Access-Control-Allow-Headers"] = "Accept-Language, If-None-Match"
            response.headers["Access-Control-Max-Age"] = "86400"
        elif response.status_code == 200 and request.method in ("GET", "HEAD"):
            response.headers["Cache-Control"] = "public, no-cache"  # keep it, but ask whether it changed
            response.add_etag()
            response.make_conditional(request)
        return response


def _http_error(error):
    status = getattr(error, "code", None) or 500
    response = error_response(from_status(status))
    if isinstance(error, RateLimitExceeded):
        response.headers.setdefault("Retry-After", "60")
    return response
