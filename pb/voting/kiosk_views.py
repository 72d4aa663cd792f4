"""Kiosk mode: a tablet at the hearing that only takes ballots, online or offline.

A facilitator starts a kiosk from the round: their session ends on the tablet and a kiosk token takes
its place, in a long-lived HttpOnly, SameSite=Strict cookie. While the kiosk runs, the browser sees
nothing but this blueprint. The ballot screen (static/js/kiosk.js and the kiosk-*.js scripts it
needs, with the service worker static/js/kiosk-sw.js) keeps working offline: ballots wait in IndexedDB
and come to sync_ballots, which answers each one by its client key. Leaving takes a staff login on the
exit screen; it ends the kiosk and logs no one in on the tablet.

Tablets are assumed to run on local time (Asia/Bishkek): a ballot cast offline carries the device's
clock without a zone, and is compared with the round's times, which are local too.
"""
from datetime import timedelta

from flask import Blueprint, current_app, flash, jsonify, redirect, request, send_from_directory, session, url_for
from flask_babel import force_locale, get_locale, gettext as _
from flask_limiter.errors import RateLimitExceeded
from flask_login import current_user, login_required, logout_user
from werkzeug.exceptions import RequestEntityTooLarge
from werkzeug.routing import BuildError

from pb.accounts.services import authenticate
from pb.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from pb.core.errors_views import render_error
from pb.core.permissions import can, ensure
from pb.core.views import apply_errors, render
from pb.extensions import csrf, limiter
from pb.voting import code_batches, codes, kiosks
from pb.voting.kiosk_forms import ExitKioskForm, StartKioskForm
from pb.voting.kiosk_texts import limits, texts
from pb.voting.services import get_round, is_accepting
from pb.voting.states import RoundStatus

bp = Blueprint("kiosk", __name__)

COOKIE = "ashar_kiosk"
COOKIE_AGE = timedelta(days=60)  # a round with its hearings lasts weeks; the kiosk ends by a staff login
MAX_BODY = 512 * 1024  # 200 queued ballots of a long ballot fit several times over
IDLE_SECONDS, IDLE_WARNING, RECEIPT_SECONDS = 90, 20, 20
# every script of the kiosk's pages (templates/voting/kiosk_*.html), kept on the tablet for offline use
KIOSK_SCRIPTS = ("kiosk-words.js", "kiosk-queue.js", "kiosk-ballot.js", "kiosk-scan.js", "kiosk.js", "kiosk-exit.js")
_ENV_KIOSK, _ENV_WRONG = "ashar.kiosk", "ashar.wrong_code"


# --- the kiosk this browser is ----------------------------------------------------


def _kiosk():
    """The kiosk this browser's cookie names (ended ones too), or None; looked up once per request."""
    if _ENV_KIOSK not in request.environ:
        request.environ[_ENV_KIOSK] = kiosks.kiosk_for_token(request.cookies.get(COOKIE))
    return request.environ[_ENV_KIOSK]


def _running():
    kiosk = _kiosk()
    return kiosk if kiosk is not None and kiosk.ended_at is None else None


@bp.before_app_request
def _lock_in():
    """While this browser is a running kiosk, every page but the kiosk's own leads back to the ballot."""
    if request.blueprint == bp.name or request.endpoint == "static" or COOKIE not in request.cookies:
        return None
    if _running() is None:
        return None
    return redirect(url_for("kiosk.show_kiosk"))


def _cookie_args():
    # Secure whenever the session cookie is (the app is served over https)
    return dict(path="/", httponly=True, samesite="Strict", secure=current_app.config["SESSION_COOKIE_SECURE"])


def _forget_login(response):
    """Drop a staff member's remembered login too: the tablet must not log them back in."""
    config = current_app.config
    response.delete_cookie(config.get("REMEMBER_COOKIE_NAME", "remember_token"),
                           path=config.get("REMEMBER_COOKIE_PATH", "/"), domain=config.get("REMEMBER_COOKIE_DOMAIN"))
    return response


def _admin_url(round_id):
    try:
        return url_for("voting_admin.manage_round", round_id=round_id)
    except BuildError:  # the organisers' pages are built alongside this one, at the agreed address
        return f"/rounds/{round_id}/manage"


def _json_error(http_status, message, **extra):
    response = jsonify(error=str(message), **extra)
    response.status_code = http_status
    response.headers["Cache-Control"] = "no-store"
    return response


def _not_a_kiosk():
    if request.path.startswith("/kiosk/api/"):
        return _json_error(401, _("This tablet is not a running kiosk."), ended=_kiosk() is not None)
    return render("voting/kiosk_gone.html"), 403


@bp.errorhandler(RateLimitExceeded)
def _too_many(_error):
    if request.endpoint == "kiosk.check_code":
        return _json_error(429, _("Too many wrong codes. Wait a minute and try again."), status="limited")
    if request.endpoint == "kiosk.exit_kiosk" and _running() is not None:
        form = ExitKioskForm()
        form.form_errors.append(_("Too many attempts. Please wait a minute and try again."))
        return _render_exit(_running(), form, 429)
    return render_error(429)


# --- starting -----------------------------------------------------------------------


@bp.route("/rounds/<int:round_id>/kiosk/start", methods=["GET", "POST"])
@login_required
def start_kiosk(round_id):
    """Turn this browser into a kiosk for the round at one of its locations; the staff member is logged out."""
    round_ = get_round(round_id)
    if not can(current_user, "view", round_):
        raise NotFound()
    ensure(current_user, "run", round_)
    form = StartKioskForm()
    form.location_id.choices = [("", "—")] + [(str(loc.id), loc.name) for loc in round_.locations]
    if request.method == "GET" and len(round_.locations) == 1:
        form.location_id.data = str(round_.locations[0].id)
    if form.validate_on_submit():
        try:
            _kiosk_row, token = kiosks.start_kiosk(current_user, round_, form.location_id.data, form.label.data)
        except ValidationFailed as exc:
            apply_errors(form, exc.errors)
        except Conflict as exc:
            form.form_errors.append(exc.message)
        else:
            return _become_kiosk(token)
    return render("voting/kiosk_start.html", form=form, round_=round_, admin_url=_admin_url(round_.id))


def _become_kiosk(token):
    lang = str(get_locale())
    logout_user()
    session.clear()
    session["lang"] = lang  # the kiosk speaks the facilitator's language; each voter may pick another
    response = redirect(url_for("kiosk.show_kiosk"))
    response.set_cookie(COOKIE, token, max_age=COOKIE_AGE, **_cookie_args())
    return _forget_login(response)


# --- the ballot box -------------------------------------------------------------------


@bp.route("/kiosk/")
def show_kiosk():
    """The ballot box for one voter after another: start, code, ballot, confirmation, receipt; works offline."""
    kiosk = _kiosk()
    if kiosk is None:
        return _not_a_kiosk()
    kiosks.seen(kiosk)
    if kiosk.ended_at is not None:
        # an ended kiosk may still hand in what it took before its end: the page keeps sending
        return _revalidated(render("voting/kiosk_ended.html", kiosk=kiosk, data=_page_data(kiosk, all_languages=False),
                                   refusals=kiosks.list_refusals(kiosk), show_code=codes.display))
    data = _page_data(kiosk, all_languages=True)
    data["idle"], data["warning"], data["receipt_seconds"] = _idle_setting()
    return _revalidated(render("voting/kiosk_screen.html", kiosk=kiosk, round_=kiosk.round, data=data,
                            t=data["texts"][data["lang"]]))


def _revalidated(body):
    response = current_app.make_response(body)
    # always asked again from the server when it can be reached; the service worker keeps the copy for offline use
    response.headers["Cache-Control"] = "no-cache"
    return response


def _idle_setting():
    """Seconds without a touch before the warning, of the warning's countdown, and of the receipt.

    ?idle=N (3 to 3600) shortens them for trying out and for tests; the warning is then at most N seconds.
    """
    idle = request.args.get("idle", type=int)
    if idle is None or not 3 <= idle <= 3600:
        return IDLE_SECONDS, IDLE_WARNING, RECEIPT_SECONDS
    return idle, min(IDLE_WARNING, idle), min(RECEIPT_SECONDS, max(idle, 5))


def _page_data(kiosk, all_languages):
    """What the script needs offline: the ballot, its rules, the addresses and the interface's strings."""
    round_ = kiosk.round
    low, high = limits(round_)
    current = str(get_locale())
    languages = current_app.config["LANGUAGES"] if all_languages else (current,)
    strings = {}
    for lang in languages:
        with force_locale(lang):
            strings[lang] = texts(round_)
    return dict(
        kiosk=kiosk.id, round=round_.id, lang=current, languages=list(languages),
        method=round_.method.value, low=low, high=high, points=round_.points, depth=round_.rank_depth,
        amount=_tyiyn(round_.amount), open=round_.status == RoundStatus.OPEN,
        opens=round_.opens_at.isoformat(timespec="seconds"), closes=round_.closes_at.isoformat(timespec="seconds"),
        alphabet=codes.ALPHABET, length=codes.LENGTH,
        proposals=[dict(id=entry.proposal_id, title=entry.proposal.title, village=entry.proposal.village_name,
                        cost=_tyiyn(entry.cost)) for entry in round_.entries],
        urls=dict(codes=url_for("kiosk.check_code"), ballots=url_for("kiosk.sync_ballots"),
                  sw=url_for("kiosk.service_worker"), scope=url_for("kiosk.show_kiosk"),
                  keep=[url_for("kiosk.show_kiosk"), url_for("kiosk.exit_kiosk"),
                        url_for("static", filename="css/ashar.css"), url_for("static", filename="css/kiosk.css"),
                        *(url_for("static", filename=f"js/{name}") for name in KIOSK_SCRIPTS)]),
        texts=strings,
    )


def _tyiyn(amount):
    """Money as whole tyiyn, so that the script adds costs exactly."""
    return int(amount * 100)


# --- leaving ----------------------------------------------------------------------------


def _login_rate():
    return current_app.config["LOGIN_RATE_LIMIT"]


def _login_key():
    return "login:" + (request.form.get("login") or "").strip().lower()


@bp.route("/kiosk/exit", methods=["GET", "POST"])
@limiter.limit(_login_rate, methods=["POST"])
@limiter.limit(_login_rate, methods=["POST"], key_func=_login_key)
def exit_kiosk():
    """The exit screen: the sync report, and a staff login that ends the kiosk (without logging in here)."""
    kiosk = _kiosk()
    if kiosk is None:
        return _not_a_kiosk()
    if kiosk.ended_at is not None:
        return redirect(url_for("kiosk.show_kiosk"))
    form = ExitKioskForm()
    if form.validate_on_submit():
        staff = authenticate(form.login.data, form.password.data)
        if staff is None:
            form.form_errors.append(_("The login or the password is not right."))
        else:
            try:
                kiosks.end_kiosk(staff, kiosk)
            except PermissionDenied:
                form.form_errors.append(_("This account may not take the tablet out of kiosk mode."))
            else:
                return _leave(kiosk)
    return _render_exit(kiosk, form)


def _render_exit(kiosk, form, status=200):
    return _revalidated(render("voting/kiosk_exit.html", kiosk=kiosk, round_=kiosk.round, form=form,
                            refusals=kiosks.list_refusals(kiosk), show_code=codes.display,
                            data=_page_data(kiosk, all_languages=False))), status


def _leave(kiosk):
    round_id = kiosk.round_id
    session.clear()
    flash(_("The tablet has left kiosk mode. Log in to continue."), "success")
    response = redirect(_admin_url(round_id))
    response.delete_cookie(COOKIE, **_cookie_args())
    return _forget_login(response)


# --- what the kiosk's script calls ---------------------------------------------------------
# These JSON routes are authenticated by the kiosk token in its cookie, not by a session: they are
# exempt from CSRF because the cookie is SameSite=Strict (another site's page cannot make the browser
# send it) and the token itself is the credential, which no other page can read (HttpOnly).


def _code_rate():
    return current_app.config.get("KIOSK_CODE_RATE_LIMIT", "10 per minute")


def _address_rate():
    # several tablets at one hearing often share one address behind a mobile router
    return current_app.config.get("KIOSK_ADDRESS_RATE_LIMIT", "30 per minute")


def _device_key():
    kiosk = _kiosk()
    return f"kiosk:{kiosk.id if kiosk else '-'}"


def _was_wrong(_response):
    return bool(request.environ.get(_ENV_WRONG))


@bp.route("/kiosk/api/codes", methods=["POST"])
@csrf.exempt
@limiter.limit(_code_rate, key_func=_device_key, deduct_when=_was_wrong)
@limiter.limit(_address_rate, deduct_when=_was_wrong)
def check_code():
    """Whether a typed or scanned code may open a ballot: {"code"} → {status, message}; wrong codes are limited."""
    kiosk = _running()
    if kiosk is None:
        return _not_a_kiosk()
    body = request.get_json(silent=True)
    text = body.get("code") if isinstance(body, dict) else None
    if not isinstance(text, str) or len(text) > 500:
        return _json_error(400, _("Send the code to check."))
    kiosks.seen(kiosk)
    round_ = kiosk.round
    if not is_accepting(round_):
        return jsonify(status="not_open", message=_("Voting is not open now."))
    code = codes.normalise(text)
    status = code_batches.check_code(round_, code) if code else code_batches.UNKNOWN
    if status == code_batches.UNKNOWN:
        request.environ[_ENV_WRONG] = True
    reason = code_batches.CHECK_MESSAGES.get(status)
    return jsonify(status=status, message=str(reason.label) if reason else "")


@limiter.request_filter
def _sync_not_limited():
    # The sync route has no limits (a hearing's tablets behind one router send every ballot through it),
    # so the limiter need not work out, for each of them, that none apply. A limit put on the route
    # would need this filter gone.
    return request.endpoint == "kiosk.sync_ballots"


@bp.route("/kiosk/api/ballots", methods=["POST"])
@csrf.exempt
def sync_ballots():
    """A kiosk's queue, {"items": [{key, code, receipt, choices, cast_at}]} → {"results": [one per item],
    "ended": whether staff have ended the kiosk (its later ballots are then refused, the tablet stops)}."""
    # Every ballot of every kiosk comes this way, so the kiosk is not loaded through _kiosk() here: the
    # service reads it by its token together with its round. A refusal still says "not a kiosk" first.
    token = request.cookies.get(COOKIE)
    if not token:
        return _not_a_kiosk()
    if (request.content_length or 0) > MAX_BODY:
        return _unless_no_kiosk(_json_error(413, _("Too many ballots at once; send fewer.")))
    request.max_content_length = MAX_BODY
    try:
        body = request.get_json(silent=True)
    except RequestEntityTooLarge:
        return _unless_no_kiosk(_json_error(413, _("Too many ballots at once; send fewer.")))
    if not isinstance(body, dict):
        return _unless_no_kiosk(_json_error(400, _("The ballots could not be read.")))
    try:
        outcomes, ended = kiosks.submit_queue(token, body.get("items"))
    except ValidationFailed as exc:
        return _json_error(400, exc.errors[0][1])
    except (NotFound, PermissionDenied):
        return _not_a_kiosk()
    response = jsonify(results=[outcome.as_json() for outcome in outcomes], ended=ended)
    response.headers["Cache-Control"] = "no-store"
    return response


def _unless_no_kiosk(refusal):
    return _not_a_kiosk() if _kiosk() is None else refusal


@bp.route("/kiosk/sw.js")
def service_worker():
    """The kiosk's service worker, served under /kiosk/ so that it may keep the kiosk's pages offline."""
    response = send_from_directory(current_app.static_folder + "/js", "kiosk-sw.js",
                                   mimetype="text/javascript", max_age=0)
    response.headers["Cache-Control"] = "no-cache"
    return response
