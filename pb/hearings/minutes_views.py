"""Minutes pages: the minutes of a hearing, their editor (revisions, conflicts) and their publication."""
from dataclasses import dataclass

from flask import Blueprint, abort, flash, redirect, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from wtforms import HiddenField, TextAreaField
from wtforms.validators import Length

from pb.core.errors import ValidationFailed
from pb.core.permissions import can, ensure
from pb.core.views import apply_errors, render
from pb.hearings import minutes as services
from pb.hearings import minutes_format
from pb.hearings import services as hearings
from pb.hearings.states import HearingStatus

bp = Blueprint("minutes", __name__)


class MinutesForm(FlaskForm):
    text = TextAreaField(_l("Notes of the secretary"), validators=[Length(max=services.MAX_TEXT)])
    # the revision the editor started from: saving over a newer one is a conflict, not an overwrite
    prev_revision_id = HiddenField()


class PublishForm(FlaskForm):
    pass


@dataclass(frozen=True)
class Documents:
    """What _documents.html offers for a hearing, worked out once for the current user."""

    hearing_id: int
    notice: bool
    minutes_published: bool
    can_view_minutes: bool
    can_edit_minutes: bool


@bp.app_template_global("hearing_documents")
def hearing_documents(hearing):
    """The documents of the hearing the current user may open (used by hearings/_documents.html)."""
    return Documents(
        hearing_id=hearing.id,
        notice=hearing.status != HearingStatus.CANCELLED,
        minutes_published=hearing.minutes_published_at is not None,
        can_view_minutes=can(current_user, "view_minutes", hearing),
        can_edit_minutes=can(current_user, "edit_minutes", hearing),
    )


def _visible(hearing_id):
    hearing = hearings.get_hearing(hearing_id)
    if not can(current_user, "view_minutes", hearing):
        abort(404)  # unpublished minutes do not reveal that they exist
    return hearing


def _page(template, hearing, status=200, **context):
    return render(
        template,
        hearing=hearing,
        minutes=services.build_minutes(hearing),
        revisions=services.list_revisions(hearing),
        can_edit=can(current_user, "edit_minutes", hearing),
        can_publish=can(current_user, "publish_minutes", hearing) and hearing.minutes_published_at is None,
        fmt=minutes_format,
        **context,
    ), status


@bp.route("/hearings/<int:hearing_id>/minutes")
def show_minutes(hearing_id):
    """The minutes: the record of the hearing, the secretary's notes, links to the PDFs."""
    hearing = _visible(hearing_id)
    return _page("minutes/minutes_show.html", hearing, publish_form=PublishForm())


@bp.route("/hearings/<int:hearing_id>/minutes/edit", methods=["GET", "POST"])
@login_required
def edit_minutes(hearing_id):
    """Write the secretary's notes; a save over someone else's newer revision shows both texts."""
    hearing = _visible(hearing_id)
    ensure(current_user, "edit_minutes", hearing)
    form = MinutesForm()
    if not form.is_submitted():
        latest = services.latest_revision(hearing)
        form.text.data = latest.text if latest else ""
        form.prev_revision_id.data = str(latest.id) if latest else ""
    elif form.validate():
        try:
            services.save_minutes(current_user, hearing, form.text.data, form.prev_revision_id.data)
        except services.MinutesConflict as exc:
            # keep the editor's text in the box; the next save starts from the revision they now see
            form.prev_revision_id.data = str(exc.latest.id) if exc.latest else ""
            return _page("minutes/minutes_edit.html", hearing, status=409, form=form, conflict=exc.latest,
                         conflict_message=exc.message)
        except ValidationFailed as exc:
            apply_errors(form, exc.errors)
        else:
            flash(_("The minutes have been saved."), "success")
            return redirect(url_for("minutes.show_minutes", hearing_id=hearing.id))
    return _page("minutes/minutes_edit.html", hearing, form=form, conflict=None, conflict_message=None)


@bp.route("/hearings/<int:hearing_id>/minutes/publish", methods=["POST"])
@login_required
def publish_minutes(hearing_id):
    """Publish the minutes: from now on everyone can read them and print the PDFs."""
    hearing = _visible(hearing_id)
    ensure(current_user, "publish_minutes", hearing)
    if not PublishForm().validate_on_submit():
        abort(400)
    published = services.publish_minutes(current_user, hearing)
    flash(_("The minutes have been published.") if published else _("The minutes were already published."),
          "success")
    return redirect(url_for("minutes.show_minutes", hearing_id=hearing.id))
