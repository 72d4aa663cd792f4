"""Forms for groups, members and the seat calculator."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import IntegerField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from pb.groups.models import GroupKind, Position


class GroupForm(FlaskForm):
    kind = SelectField(_l("Kind"))
    name_ky = StringField(_l("Name in Kyrgyz"), validators=[DataRequired(), Length(max=200)])
    name_ru = StringField(_l("Name in Russian"), validators=[DataRequired(), Length(max=200)])
    description = TextAreaField(_l("Description"), validators=[Optional(), Length(max=2000)])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind.choices = GroupKind.choices()


class MemberForm(FlaskForm):
    user_id = SelectField(_l("Person"), coerce=int, validate_choice=False)
    position = SelectField(_l("Position"))
    village_id = SelectField(_l("Village represented"), coerce=int, validate_choice=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.position.choices = Position.choices()


class SeatsForm(FlaskForm):
    class Meta:
        csrf = False  # a calculator: it reads, it changes nothing

    seats = IntegerField(_l("Number of seats"), validators=[DataRequired(), NumberRange(min=1, max=500)], default=9)
    weighting = SelectField(
        _l("Weigh villages by"),
        choices=[
            ("voters", _l("registered voters")),
            ("contribution", _l("contribution to the budget")),
            ("mix", _l("a mix of both")),
        ],
        default="mix",
    )
    voters_percent = IntegerField(
        _l("Share of voters in the mix, %"), validators=[Optional(), NumberRange(min=0, max=100)], default=50
    )
    method = SelectField(
        _l("Method"),
        choices=[
            ("sainte_lague", _l("Sainte-Laguë")),
            ("dhondt", _l("D'Hondt")),
            ("largest_remainder", _l("largest remainder (Hare quota)")),
        ],
        default="sainte_lague",
    )
