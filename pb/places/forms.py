"""Forms for municipalities and villages."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import IntegerField, SelectField, StringField
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from pb.places.models import MunicipalityKind, Oblast


class MunicipalityForm(FlaskForm):
    slug = StringField(_l("Short name for addresses (Latin)"), validators=[DataRequired(), Length(max=80)])
    name_ky = StringField(_l("Name in Kyrgyz"), validators=[DataRequired(), Length(max=200)])
    name_ru = StringField(_l("Name in Russian"), validators=[DataRequired(), Length(max=200)])
    kind = SelectField(_l("Kind"))
    oblast = SelectField(_l("Oblast"))
    rayon = StringField(_l("Rayon"), validators=[Optional(), Length(max=120)])
    population = IntegerField(_l("Population"), validators=[Optional(), NumberRange(min=0)], default=0)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind.choices = MunicipalityKind.choices()
        self.oblast.choices = Oblast.choices()


class VillageForm(FlaskForm):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=120)])
    population = IntegerField(_l("Population"), validators=[Optional(), NumberRange(min=0)], default=0)
    registered_voters = IntegerField(
        _l("Registered voters"), validators=[Optional(), NumberRange(min=0)], default=0
    )
    revenue_contribution = StringField(
        _l("Contribution to the local budget's revenue, som"), validators=[Optional(), Length(max=30)], default="0"
    )
