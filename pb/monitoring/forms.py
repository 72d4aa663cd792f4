"""Forms of the implementation and monitoring pages."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import IntegerField, MultipleFileField, SelectField, StringField, TextAreaField
from wtforms.validators import Length, NumberRange, Optional

from pb.monitoring.states import ProjectStatus, Rating


def date_field(label):
    """A date typed in the browser's date picker; the service checks it, so its message is translated."""
    return StringField(label, render_kw={"type": "date"})


class ImplementationForm(FlaskForm):
    responsible_body = StringField(_l("Responsible body"), validators=[Length(max=200)])
    contractor = StringField(_l("Contractor (optional)"), validators=[Optional(), Length(max=200)])
    planned_start = date_field(_l("Planned start"))
    planned_end = date_field(_l("Planned end"))
    actual_start = date_field(_l("Actual start"))
    actual_end = date_field(_l("Actual end"))
    planned_cost = StringField(_l("Planned cost, som"), validators=[Length(max=30)])
    spent = StringField(_l("Spent so far, som"), validators=[Optional(), Length(max=30)])
    contribution_delivered = StringField(_l("Residents' contribution delivered, som"),
                                         validators=[Optional(), Length(max=30)])
    contribution_labour_delivered = StringField(_l("Residents' labour delivered"),
                                                validators=[Optional(), Length(max=500)])
    progress = StringField(_l("Progress, %"), render_kw={"inputmode": "numeric"})
    status = SelectField(_l("Status"), validate_choice=False)
    cancel_reason = TextAreaField(_l("Reason for cancelling"), validators=[Optional(), Length(max=2000)])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.status.choices = ProjectStatus.choices()


class MilestoneForm(FlaskForm):
    title = StringField(_l("Milestone"), validators=[Length(max=200)])
    planned_date = date_field(_l("Planned date"))


class MilestoneDoneForm(FlaskForm):
    done_date = date_field(_l("Reached on"))


class PhotosForm(FlaskForm):
    photos = MultipleFileField(_l("Photos (JPEG, PNG or WebP)"))


class ReportForm(FlaskForm):
    group_id = SelectField(_l("Monitoring group"), validate_choice=False)
    visit_date = date_field(_l("Date of the visit"))
    findings = TextAreaField(_l("Findings"), validators=[Length(max=5000)])
    rating = SelectField(_l("Rating"), validate_choice=False)
    recommendations = TextAreaField(_l("Recommendations"), validators=[Optional(), Length(max=5000)])
    photos = MultipleFileField(_l("Photos (JPEG, PNG or WebP)"))

    def __init__(self, groups, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.group_id.choices = groups
        self.rating.choices = Rating.choices()


class AnswerForm(FlaskForm):
    answer = TextAreaField(_l("The municipality's answer"), validators=[Length(max=5000)])


class NextBudgetForm(FlaskForm):
    fiscal_year = IntegerField(_l("Fiscal year"), validators=[Optional(), NumberRange(min=2000, max=2100)])
