"""Forms of the proposal pages."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, MultipleFileField, SelectField, StringField, TextAreaField

from pb.budgets.states import Category
from pb.proposals.states import Status

SORT_CHOICES = [
    ("support", _l("most supported first")),
    ("cost", _l("cheapest first")),
    ("cost_desc", _l("most expensive first")),
    ("newest", _l("newest first")),
]


class ProposalForm(FlaskForm):
    """Checked by submit_proposal, so that every problem (photos included) is shown at once."""

    title = StringField(_l("Title"), render_kw={"maxlength": 200})
    description = TextAreaField(_l("What should be done, where, and why"), render_kw={"maxlength": 5000})
    village_id = SelectField(_l("Village"), validate_choice=False)
    category = SelectField(_l("Category"), validate_choice=False)
    estimated_cost = StringField(_l("Estimated cost, som"), render_kw={"maxlength": 30, "inputmode": "decimal"})
    contribution_money = StringField(_l("Residents' contribution in money, som"),
                                     render_kw={"maxlength": 30, "inputmode": "decimal"})
    contribution_labour = StringField(_l("Residents' contribution in labour (ashar)"), render_kw={"maxlength": 500})
    photos = MultipleFileField(_l("Photos (JPEG, PNG or WebP)"))

    def __init__(self, villages, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.village_id.choices = [("", _l("Choose…"))] + [(str(v.id), v.name) for v in villages]
        self.category.choices = [("", _l("Choose…"))] + Category.choices()


class StatusForm(FlaskForm):
    to = SelectField(_l("New status"), validate_choice=False)
    reason = TextAreaField(_l("Reason (public)"), render_kw={"maxlength": 2000})
    expected = HiddenField()


class MergeForm(FlaskForm):
    into = SelectField(_l("Merge into"), validate_choice=False)
    reason = TextAreaField(_l("Why they are the same (public)"), render_kw={"maxlength": 2000})

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("prefix", "merge")  # the status form on the same page has a reason too
        super().__init__(*args, **kwargs)


class PhotosForm(FlaskForm):
    photos = MultipleFileField(_l("Photos (JPEG, PNG or WebP)"))


class SupportForm(FlaskForm):
    action = HiddenField()


class FilterForm(FlaskForm):
    """The list's filters, sent with GET so that a filtered list is a link one can share."""

    class Meta:
        csrf = False

    village = SelectField(_l("Village"), validate_choice=False)
    category = SelectField(_l("Category"), validate_choice=False)
    status = SelectField(_l("Status"), validate_choice=False)
    sort = SelectField(_l("Order"), choices=SORT_CHOICES, validate_choice=False)

    def __init__(self, villages, *args, **kwargs):
        super().__init__(*args, **kwargs)
        everything = [("", _l("all"))]
        self.village.choices = everything + [(str(v.id), v.name) for v in villages]
        self.category.choices = everything + Category.choices()
        self.status.choices = everything + Status.choices()


class ApprovalForm(FlaskForm):
    """The council's decision; approve_budget checks every field, so that all problems show at once."""

    session_number = StringField(_l("Session of the council (number)"), render_kw={"maxlength": 40})
    session_date = StringField(_l("Date of the session"), render_kw={"type": "date"})
    decision_number = StringField(_l("Number of the decision (optional)"), render_kw={"maxlength": 40})
    decision_text = TextAreaField(_l("Text of the decision (optional)"), render_kw={"maxlength": 5000})
