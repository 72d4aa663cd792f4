"""Forms of the execution pages."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, StringField
from wtforms.validators import Length, Optional


class FigureForm(FlaskForm):
    period = SelectField(_l("Period"), validate_choice=False)
    executed = StringField(_l("Executed, som"), validators=[Length(max=30)])
    note = StringField(_l("Note"), validators=[Optional(), Length(max=500)])

    def __init__(self, period_choices, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.period.choices = period_choices
