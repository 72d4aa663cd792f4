"""Forms of the comment routes (the templates write their inputs by hand, one form per comment)."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, HiddenField, IntegerField, StringField, TextAreaField
from wtforms.validators import Optional
from wtforms.widgets import HiddenInput


class CommentForm(FlaskForm):
    # lengths are the service's rule, so that the message is the same with and without JavaScript
    body = TextAreaField(_l("Your comment or question"))
    parent_id = IntegerField(widget=HiddenInput(), validators=[Optional()])
    official = BooleanField(_l("Mark as the official answer"))
    key = HiddenField()


class ReportForm(FlaskForm):
    reason = StringField(_l("Why? (optional)"))


class ModerateForm(FlaskForm):
    action = HiddenField()
    reason = StringField(_l("Reason (the author will see it)"))
    back = HiddenField()


class OfficialForm(FlaskForm):
    official = HiddenField(default="1")
