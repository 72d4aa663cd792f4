"""Forms of the implementation and monitoring pages."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, IntegerField, MultipleFileField, SelectField, StringField, TextAreaField
from wtforms.validators import Length, NumberRange, Optional

from pb.monitoring.states import ProjectStatus, Rating


class ImplementationForm(FlaskForm):
    responsible_body = StringField(_l("Responsible body"), validators=[Length(max=200)])
    contractor = StringField(_l("Contractor (optional)"), validators=[Optional(), Length(max=200)])
    planned_start = DateField(_l("Planned start"), validators=[Optional()])
    planned_end = DateField(_l("Planned end"), validators=[Optional()])
    actual_start = DateField(_l("Actual start"), validators=[Optional()])
    actual_end = DateField(_l("Actual end"), validators=[Optional()])
    planned_cost = StringField(_l("Planned cost, som"), validators=[Length(max=30)])
    spent = StringField(_l("Spent so far, som"), validators=[Optional(), Length(max=30)])
    contribution_delivered = StringField(_l("Residents' contribution delivered, som"),
                                         validators=[Optional(), Length(max=30)])
    contribution_labour_delivered = StringField(_l("Residents' labour delivered"),
                                                validators=[Optional(), Length(max=500)])
    progress = IntegerField(_l("Progress, %"), validators=[Optional(), NumberRange(min=0, max=100)])
    status = SelectField(_l("Status"), validate_choice=False)
    cancel_reason = TextAreaField(_l("Reason for cancelling"), validators=[Optional(), Length(max=2000)])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.status.choices = ProjectStatus.choices()


class MilestoneForm(FlaskForm):
    title = StringField(_l("Milestone"), validators=[Length(max=200)])
    planned_date = DateField(_l("Planned date"), validators=[Optional()])


class MilestoneDoneForm(FlaskForm):
    done_date = DateField(_l("Reached on"), validators=[Optional()])


class PhotosForm(FlaskForm):
    photos = MultipleFileField(_l("Photos (JPEG, PNG or WebP)"))


class ReportForm(FlaskForm):
    group_id = SelectField(_l("Monitoring group"), coerce=int, validate_choice=False)
    visit_date = DateField(_l("Date of the visit"), validators=[Optional()])
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
