"""Forms of the organisers' voting pages; the services check the values, so every problem shows at once."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import BooleanField, HiddenField, RadioField, SelectField, SelectMultipleField, StringField
from wtforms.widgets import CheckboxInput, ListWidget

from pb.voting.quotas import basis_choices
from pb.voting.rules import grouped_rule_choices, rule_choices
from pb.voting.states import Channel, Eligibility, Method

# the limits each method reads; the others keep their defaults, so a hidden field cannot block the form
LIMITS = {
    Method.APPROVAL.value: ("min_choices", "max_choices"),
    Method.KNAPSACK.value: (),
    Method.CUMULATIVE.value: ("points",),
    Method.RANKING.value: ("rank_depth",),
}
ALL_LIMITS = ("min_choices", "max_choices", "points", "rank_depth")
NUMBER = {"inputmode": "numeric", "maxlength": 6, "autocomplete": "off"}


def _checkboxes(label, **kwargs):
    return SelectMultipleField(label, coerce=str, validate_choice=False, widget=ListWidget(prefix_label=False),
                               option_widget=CheckboxInput(), **kwargs)


def _when(value):
    """A stored local time as <input type="datetime-local"> wants it."""
    return value.strftime("%Y-%m-%dT%H:%M") if value else ""


class RoundForm(FlaskForm):
    title = StringField(_l("Title"), render_kw={"maxlength": 200})
    method = RadioField(_l("How residents vote"), validate_choice=False)
    min_choices = StringField(_l("Fewest proposals to choose"), render_kw=NUMBER)
    max_choices = StringField(_l("Most proposals to choose"), render_kw=NUMBER)
    points = StringField(_l("Points each voter spreads"), render_kw=NUMBER)
    rank_depth = StringField(_l("How many proposals each voter ranks"), render_kw=NUMBER)
    amount = StringField(_l("Money to allocate (som)"), render_kw={"inputmode": "numeric", "maxlength": 20})
    allocation_rule = SelectField(_l("How the money is allocated"), validate_choice=False)
    quota_basis = SelectField(_l("Village quotas"), validate_choice=False)
    channels = _checkboxes(_l("Ways to vote"))
    eligibility = RadioField(_l("Who may vote"), validate_choice=False)
    opens_at = StringField(_l("Opens (local time)"), render_kw={"type": "datetime-local"})
    closes_at = StringField(_l("Closes (local time)"), render_kw={"type": "datetime-local"})
    hide_counts = BooleanField(_l("Hide the counts until the round closes"))
    double_keying = BooleanField(_l("Key in each paper ballot twice (the two keyings must match)"))
    proposal_ids = _checkboxes(_l("Proposals on the ballot"))

    def __init__(self, candidates, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.method.choices = Method.choices()
        self.allocation_rule.choices = grouped_rule_choices()
        self.quota_basis.choices = basis_choices()
        self.channels.choices = Channel.choices()
        self.eligibility.choices = Eligibility.choices()
        self.proposal_ids.choices = [(str(p.id), p.title) for p in candidates]
        self.candidates = candidates

    @classmethod
    def initial(cls, candidates, round_=None):
        """The values a new round starts from (every candidate on the ballot), or those of round_."""
        if round_ is None:
            data = dict(method=Method.APPROVAL.value, min_choices="1", max_choices="3", points="10", rank_depth="3",
                        allocation_rule="greedy", quota_basis="", channels=[c.value for c in Channel],
                        eligibility=Eligibility.BOTH.value, hide_counts=True, double_keying=False,
                        proposal_ids=[str(p.id) for p in candidates])
        else:
            data = dict(title=round_.title, method=round_.method.value, min_choices=str(round_.min_choices),
                        max_choices=str(round_.max_choices), points=str(round_.points),
                        rank_depth=str(round_.rank_depth), amount=f"{round_.amount.normalize():f}",
                        allocation_rule=round_.allocation_rule, quota_basis=round_.quota_basis,
                        channels=[c.value for c in round_.channels],
                        eligibility=round_.eligibility.value, opens_at=_when(round_.opens_at),
                        closes_at=_when(round_.closes_at), hide_counts=round_.hide_counts,
                        double_keying=round_.double_keying,
                        proposal_ids=[str(entry.proposal_id) for entry in round_.entries])
        return cls(candidates, data=data)

    def service_data(self):
        """The form as services.create_round reads it."""
        data = {name: field.data for name, field in self._fields.items() if name != "csrf_token"}
        used = LIMITS.get(data.get("method"), ALL_LIMITS)
        for name in ALL_LIMITS:
            if name not in used:
                data.pop(name)
        return data


class ConfirmForm(FlaskForm):
    """A button that changes something: only the CSRF token."""


class LocationForm(FlaskForm):
    name = StringField(_l("Name of the place"), render_kw={"maxlength": 200})
    village_id = SelectField(_l("Village (optional)"), validate_choice=False)

    def __init__(self, villages, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.village_id.choices = [("", _l("none"))] + [(str(v.id), v.name) for v in villages]


class CodeBatchForm(FlaskForm):
    size = StringField(_l("How many codes"), render_kw=NUMBER)
    label = StringField(_l("Label (e.g. the street or the helper)"), render_kw={"maxlength": 200})
    location_id = SelectField(_l("Location (optional)"), validate_choice=False)

    def __init__(self, locations, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.location_id.choices = [("", _l("none"))] + [(str(loc.id), loc.name) for loc in locations]


class VoidBatchForm(FlaskForm):
    reason = StringField(_l("Why"), render_kw={"maxlength": 500, "required": True})


class VoidCodeForm(FlaskForm):
    code = StringField(_l("Code of the lost slip"), render_kw={"maxlength": 40, "autocomplete": "off",
                                                                 "autocapitalize": "characters"})


class DeskSearchForm(FlaskForm):
    class Meta:
        csrf = False  # a search (GET) changes nothing

    q = StringField(_l("Name or phone number"), render_kw={"type": "search", "autocomplete": "off"})


class BindForm(FlaskForm):
    code = StringField(_l("Code on the slip you hand over"), render_kw={"maxlength": 40, "autocomplete": "off",
                                                                         "autocapitalize": "characters"})
    resident_id = HiddenField()
    q = HiddenField()


class PaperForm(FlaskForm):
    """The paper's number, where it was cast and whether it is spoiled; the marks are read by the view."""

    serial = StringField(_l("Number printed on the paper"), render_kw={"maxlength": 12, "autocomplete": "off",
                                                                        "autocapitalize": "characters"})
    location_id = SelectField(_l("Location"), validate_choice=False)
    spoiled = BooleanField(_l("Spoiled (unreadable, or marked against the rules)"))

    def __init__(self, locations, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.location_id.choices = [(str(loc.id), loc.name) for loc in locations]


class PabulibImportForm(FlaskForm):
    """A Pabulib file to import as a rehearsal round, the budget it belongs to and the rule."""

    file = FileField(_l("Pabulib file (.pb)"), validators=[FileRequired(_l("Choose a file."))])
    budget_id = SelectField(_l("Budget"), validate_choice=False)
    rule = SelectField(_l("How the money is allocated"), validate_choice=False)

    def __init__(self, budgets, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.budget_id.choices = [(str(b.id), _l("Budget %(year)d", year=b.fiscal_year)) for b in budgets]
        self.rule.choices = [("", _l("the rule the file names, if Ashar has it; otherwise by votes"))] + rule_choices()
