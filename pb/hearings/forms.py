"""Forms of the hearing pages; the fields are checked by the services, so every problem shows at once."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import FieldList, Form, FormField, SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.widgets import CheckboxInput, ListWidget

from pb.core.i18n import pick
from pb.hearings.states import HearingKind

AGENDA_ROWS = 6  # rows offered at least (three stay empty below the items): no JavaScript needed to add one


class AgendaRowForm(Form):
    title = StringField(_l("Item"), render_kw={"maxlength": 300})
    about = SelectField(_l("About"), validate_choice=False)


class HearingForm(FlaskForm):
    kind = SelectField(_l("Kind of hearing"), validate_choice=False)
    budget_id = SelectField(_l("Budget"), validate_choice=False)
    date = StringField(_l("Date"), render_kw={"type": "date"})
    time = StringField(_l("Time"), render_kw={"type": "time"})
    place = StringField(_l("Place"), render_kw={"maxlength": 300})
    village_ids = SelectMultipleField(_l("Villages invited"), coerce=str, validate_choice=False,
                                      widget=ListWidget(prefix_label=False), option_widget=CheckboxInput())
    chair_name = StringField(_l("Chair (as printed in the minutes)"), render_kw={"maxlength": 200})
    chair_id = SelectField(_l("Chair's account (may open, run and close the hearing)"), validate_choice=False)
    secretary_name = StringField(_l("Secretary (as printed in the minutes)"), render_kw={"maxlength": 200})
    secretary_id = SelectField(_l("Secretary's account (may open, run and close the hearing)"),
                               validate_choice=False)
    quorum = StringField(_l("Quorum (people), if there is one"), render_kw={"inputmode": "numeric", "maxlength": 6})
    notes = TextAreaField(_l("More for residents (optional)"), render_kw={"maxlength": 2000, "rows": 3})
    agenda = FieldList(FormField(AgendaRowForm), label=_l("Agenda"))

    def __init__(self, municipality, budgets, candidates, targets, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind.choices = HearingKind.choices()
        self.budget_id.choices = [("", _l("none"))] + [
            (str(b.id), _l("Budget %(year)d", year=b.fiscal_year)) for b in budgets]
        self.village_ids.choices = [(str(v.id), v.name) for v in municipality.villages]
        people = [("", _l("none"))] + [(str(u.id), u.name) for u in candidates]
        self.chair_id.choices, self.secretary_id.choices = people, list(people)
        lines, proposals = targets
        about = [("", _l("the item as a whole"))]
        about += [(f"line:{x.id}", f"{x.code} {pick(x, 'name')}") for x in lines]
        about += [(f"proposal:{p.id}", f"#{p.id} {p.title}") for p in proposals]
        titled = len([row for row in self.agenda if row.title.data])
        while len(self.agenda.entries) < max(AGENDA_ROWS, titled + 3):
            self.agenda.append_entry()
        for row in self.agenda:
            row.about.choices = about

    def service_data(self):
        """The form as the service reads it."""
        data = dict(self.data)
        data["agenda"] = [dict(title=row["title"], about=row["about"]) for row in data.get("agenda") or ()]
        return data


class CancelForm(FlaskForm):
    reason = TextAreaField(_l("Reason (public, optional)"), render_kw={"maxlength": 2000, "rows": 2})
