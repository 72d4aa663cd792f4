"""Forms of the budget pages."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import HiddenField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from pb.budgets.states import Category, LineKind


class BudgetForm(FlaskForm):
    fiscal_year = IntegerField(_l("Fiscal year"), validators=[DataRequired(), NumberRange(min=2000, max=2100)])
    summary_ky = TextAreaField(_l("Summary in Kyrgyz"), validators=[Optional(), Length(max=5000)])
    summary_ru = TextAreaField(_l("Summary in Russian"), validators=[Optional(), Length(max=5000)])


class SummaryForm(FlaskForm):
    summary_ky = TextAreaField(_l("Summary in Kyrgyz"), validators=[Optional(), Length(max=5000)])
    summary_ru = TextAreaField(_l("Summary in Russian"), validators=[Optional(), Length(max=5000)])


class LineForm(FlaskForm):
    kind = SelectField(_l("Kind"))
    code = StringField(_l("Classification code"), validators=[DataRequired(), Length(max=20)])
    name_ky = StringField(_l("Name in Kyrgyz"), validators=[DataRequired(), Length(max=300)])
    name_ru = StringField(_l("Name in Russian"), validators=[DataRequired(), Length(max=300)])
    category = SelectField(_l("Category"))
    approved_last_year = StringField(_l("Approved last year, som"), validators=[Optional(), Length(max=30)])
    executed_last_year = StringField(_l("Executed last year, som"), validators=[Optional(), Length(max=30)])
    proposed = StringField(_l("Proposed, som"), validators=[Optional(), Length(max=30)])
    note = TextAreaField(_l("Note in plain language"), validators=[Optional(), Length(max=2000)])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind.choices = LineKind.choices()
        self.category.choices = Category.choices()


class NoteForm(FlaskForm):
    note = TextAreaField(_l("Note in plain language"), validators=[Optional(), Length(max=2000)])


class ImportForm(FlaskForm):
    file = FileField(_l("Spreadsheet (XLSX or CSV)"), validators=[FileRequired()])


class PhaseForm(FlaskForm):
    to = HiddenField(validators=[DataRequired()])
    expected = HiddenField()


class PublishForm(FlaskForm):
    comment = StringField(_l("What changed"), validators=[Optional(), Length(max=300)])


class CompareForm(FlaskForm):
    class Meta:
        csrf = False

    a = SelectField(_l("Older"), coerce=int, validate_choice=False)
    b = SelectField(_l("Newer"), coerce=int, validate_choice=False)
