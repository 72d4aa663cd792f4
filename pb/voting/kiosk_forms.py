"""Forms of the kiosk pages: turning a tablet into a kiosk, and the staff login that takes it out."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import PasswordField, SelectField, StringField
from wtforms.validators import DataRequired, Length, Optional

from pb.voting.kiosks import MAX_LABEL


class StartKioskForm(FlaskForm):
    location_id = SelectField(_l("Where is this tablet?"), coerce=str, validate_choice=False,
                              validators=[DataRequired(message=_l("Choose one of the round's locations."))])
    label = StringField(_l("Name of the tablet (optional)"), validators=[Optional(), Length(max=MAX_LABEL)])


class ExitKioskForm(FlaskForm):
    login = StringField(_l("E-mail or phone"), validators=[DataRequired(), Length(max=254)])
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=200)])
