"""Comment threads on any page (a Jinja global), posting with or without htmx, reports, moderation."""
import uuid

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_limiter.errors import RateLimitExceeded
from flask_login import current_user, login_required
from markupsafe import Markup

from pb.comments import permissions, services, threads
from pb.comments.forms import CommentForm, ModerateForm, OfficialForm, ReportForm
from pb.comments.text import linkify
from pb.core.errors import Conflict, NotFound, ValidationFailed
from pb.core.errors_views import render_error
from pb.core.permissions import ensure
from pb.core.views import page_arg, render
from pb.extensions import limiter
from pb.places import services as places

bp = Blueprint("comments", __name__)

bp.add_app_template_filter(linkify, "linkify")


def _htmx():
    return bool(request.headers.get("HX-Request"))


def _comment_rate():
    return current_app.config["COMMENT_RATE_LIMIT"]


def _user_key():
    return f"comment-user:{current_user.get_id()}"


def _section(target, state=None, notice=None):
    """What templates/comments/_section.html needs: the tree, the viewer's rights, the form state."""
    perms = permissions.perms_for(current_user, target)
    nodes = threads.list_thread(target, perms.actor_id, perms.moderate)
    queue_slug = places.get_municipality_by_id(target.municipality_id).slug if perms.moderate else None
    return dict(target=target, perms=perms, nodes=nodes, status=threads.thread_status(nodes), state=state,
                notice=notice, queue_slug=queue_slug, max_length=current_app.config["COMMENT_MAX_LENGTH"])


@bp.app_template_global()
def comment_section(target_type, target_id):
    """The thread and its form, for any page: {{ comment_section("budget_line", line.id) }}."""
    try:
        target = threads.get_visible_target(current_user, target_type, target_id)
    except NotFound:  # a page may show something whose thread this viewer may not read
        return Markup("")
    return Markup(render_template("comments/_section.html", **_section(target)))


@bp.app_template_global()
def comment_answer_status(target_type, target_id):
    """The line "N questions, M answered", linked to the thread (nothing when there is no question)."""
    questions, answered = threads.answer_status(target_type, target_id)
    return Markup(render_template("comments/_answer_status.html", target_type=target_type,
                                  target_id=target_id, questions=questions, answered=answered))


@bp.app_template_global()
def comment_unanswered(target_type, ids):
    """{id: unanswered questions} for many targets in one query (for markers in a list)."""
    return threads.unanswered_counts(target_type, ids)


@bp.app_template_global()
def comment_key():
    """A fresh key for one comment form: sending it twice saves the comment once."""
    return uuid.uuid4().hex


def _state(errors):
    parent_id = request.form.get("parent_id", type=int)
    return dict(parent_id=parent_id, body=request.form.get("body", ""), errors=errors)


def _back_to(target, comment_id):
    return redirect(f"{target.url}#comment-{comment_id}")


@bp.route("/comments/<target_type>/<int:target_id>")
def show_comments(target_type, target_id):
    """A target's whole thread on a page of its own (htmx: only the thread)."""
    target = threads.get_visible_target(current_user, target_type, target_id)
    return render("comments/comments_show.html", "comments/_section.html", **_section(target))


@bp.route("/comments/<target_type>/<int:target_id>", methods=["POST"])
@login_required
@limiter.limit(_comment_rate, methods=["POST"])
@limiter.limit(_comment_rate, methods=["POST"], key_func=_user_key)
def post_comment(target_type, target_id):
    """Post a comment or a reply: htmx swaps the thread; without JavaScript the page reloads at it."""
    target = threads.get_visible_target(current_user, target_type, target_id)
    form = CommentForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        comment = services.post_comment(current_user, target, form.body.data, form.parent_id.data,
                                        form.official.data, form.key.data)
    except ValidationFailed as exc:
        context = _section(target, state=_state([message for _field, message in exc.errors]))
        return render("comments/comments_show.html", "comments/_section.html", **context), 422
    notice = _("Your comment has been published.")
    if _htmx():
        return render_template("comments/_section.html", **_section(target, notice=notice))
    flash(notice, "success")
    return _back_to(target, comment.id)


@bp.errorhandler(RateLimitExceeded)
def _too_many(_error):
    """Too many comments: htmx gets the thread with the message in the form, others the 429 page."""
    if request.endpoint == "comments.post_comment" and _htmx():
        try:
            target = threads.get_visible_target(current_user, **request.view_args)
        except NotFound:
            return render_error(429)
        context = _section(target, state=_state([_("Too many attempts. Please wait a minute and try again.")]))
        return render_template("comments/_section.html", **context), 429
    return render_error(429)


def _comment_answer(target, comment, message, ok):
    """After a report or a moderation: the comment's fragment for htmx, else back to the page."""
    if _htmx():
        context = _section(target)
        node = threads.find_node(context["nodes"], comment.id)
        return render_template("comments/_comment.html", node=node, comment_notice=(comment.id, message, ok),
                               **context), (200 if ok else 422)
    flash(message, "success" if ok else "error")
    return _back_to(target, comment.id)


@bp.route("/comments/<int:comment_id>/report", methods=["POST"])
@login_required
def report_comment(comment_id):
    """Report a comment to the moderators (once per person)."""
    comment, target = threads.get_visible_comment(current_user, comment_id)
    form = ReportForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        services.report_comment(current_user, comment, form.reason.data)
    except ValidationFailed as exc:
        return _comment_answer(target, comment, exc.errors[0][1], False)
    except Conflict as exc:
        return _comment_answer(target, comment, exc.message, False)
    return _comment_answer(target, comment, _("Thank you. The moderators will look at this comment."), True)


@bp.route("/comments/<int:comment_id>/moderate", methods=["POST"])
@login_required
def moderate_comment(comment_id):
    """Hide or restore a comment with a reason (from the thread, or from the moderation queue)."""
    comment, target = threads.get_visible_comment(current_user, comment_id)
    ensure(current_user, "moderate", comment)
    form = ModerateForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        services.moderate_comment(current_user, comment, form.action.data, form.reason.data)
    except ValidationFailed as exc:
        message, ok = exc.errors[0][1], False
    except Conflict as exc:
        message, ok = exc.message, False
    else:
        message, ok = (_("The comment is hidden.") if comment.hidden else _("The comment is shown again.")), True
    if form.back.data == "queue" and not _htmx():
        flash(message, "success" if ok else "error")
        slug = places.get_municipality_by_id(comment.municipality_id).slug
        return redirect(url_for("comments.moderation_queue", slug=slug) + f"#queue-{comment.id}")
    return _comment_answer(target, comment, message, ok)


@bp.route("/comments/<int:comment_id>/official", methods=["POST"])
@login_required
def mark_official(comment_id):
    """Mark a reply as the official answer (official=0 takes the mark away); htmx swaps the thread."""
    comment, target = threads.get_visible_comment(current_user, comment_id)
    form = OfficialForm()
    if not form.validate_on_submit():
        abort(400)
    services.set_official(current_user, comment, form.official.data != "0")
    notice = _("This reply is now the official answer.") if comment.is_official else _("The official mark has been taken away.")
    if _htmx():
        return render_template("comments/_section.html", **_section(target, notice=notice))
    flash(notice, "success")
    return _back_to(target, comment.id)


@bp.route("/m/<slug>/moderation")
@login_required
def moderation_queue(slug):
    """The municipality's reported and hidden comments, for its moderators."""
    municipality = places.get_municipality(slug)
    ensure(current_user, "moderate_comments", municipality)
    pagination, items = threads.list_moderation_queue(current_user, municipality, page_arg(),
                                                      current_app.config["PER_PAGE"])
    return render("comments/moderation_queue.html", municipality=municipality, pagination=pagination,
                  items=items)
