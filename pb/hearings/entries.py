"""What each kind of console entry holds, checked field by field, and how the console shows it."""
from datetime import datetime, timezone

from flask import current_app, has_request_context
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from pb.core.errors import ValidationFailed
from pb.core.validation import text_field
from pb.hearings.dates import format_day
from pb.hearings.models import Attendance, HearingDecision, HearingProposal, HearingQuestion
from pb.hearings.states import AgeBand, Gender, Outcome

MAX_NAME, MAX_TEXT, MAX_COUNT = 200, 5000, 100000


def _choice(enum_cls, data, field, message, errors):
    try:
        return enum_cls(data.get(field))
    except ValueError:
        errors.append((field, message))
        return None


def _id(value):
    """An integer from JSON or a form; None when absent, False when given but not a whole number."""
    if value is None or value == "":
        return None
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lstrip("-").isdigit():
        return int(value)
    return False


def _village(hearing, data, errors):
    village_id = _id(data.get("village_id"))
    if village_id is None:
        return None
    if village_id not in {v.id for v in hearing.municipality.villages}:
        errors.append(("village_id", _l("Choose a village of this municipality.")))
        return None
    return village_id


def _agenda_item(hearing, data, field, errors):
    item_id = _id(data.get(field))
    if item_id is None:
        return None
    if item_id not in {item.id for item in hearing.agenda}:
        errors.append((field, _l("Choose an item of this hearing's agenda.")))
        return None
    return item_id


def _count(data, field, errors):
    raw = data.get(field)
    number = _id(raw) if raw not in (None, "") else 0
    if number is None or number is False or not 0 <= number <= MAX_COUNT:
        errors.append((field, _l("Enter a number of people from 0 to %(n)d.", n=MAX_COUNT)))
        return 0
    return number


def _checked(errors, values):
    if errors:
        raise ValidationFailed(errors)
    return values


def parse_attendance(hearing, data):
    """An attendee: gender and age band (required), village and name (optional)."""
    errors = []
    return _checked(errors, dict(
        gender=_choice(Gender, data, "gender", _l("Choose woman or man."), errors),
        age_band=_choice(AgeBand, data, "age_band", _l("Choose an age band."), errors),
        village_id=_village(hearing, data, errors),
        name=text_field(data, "name", MAX_NAME, errors),
    ))


def parse_question(hearing, data):
    """A question or remark: its text (required), who asked, the village, the answer and who gave it."""
    errors = []
    return _checked(errors, dict(
        text=text_field(data, "text", MAX_TEXT, errors, required=True),
        asked_by=text_field(data, "asked_by", MAX_NAME, errors),
        village_id=_village(hearing, data, errors),
        answer=text_field(data, "answer", MAX_TEXT, errors),
        answered_by=text_field(data, "answered_by", MAX_NAME, errors),
        agenda_item_id=_agenda_item(hearing, data, "agenda_item_id", errors),
    ))


def parse_decision(hearing, data):
    """A decision by show of hands: the motion, the counts and the outcome."""
    errors = []
    return _checked(errors, dict(
        motion=text_field(data, "motion", MAX_TEXT, errors, required=True),
        votes_for=_count(data, "votes_for", errors),
        votes_against=_count(data, "votes_against", errors),
        abstentions=_count(data, "abstentions", errors),
        outcome=_choice(Outcome, data, "outcome", _l("Choose the outcome."), errors),
        agenda_item_id=_agenda_item(hearing, data, "agenda_item_id", errors),
    ))


def parse_proposal(hearing, data):
    """A proposal raised in the hall, as pb.proposals takes it (it checks the fields itself)."""
    fields = ("title", "description", "village_id", "category", "estimated_cost", "contribution_money",
              "contribution_labour")
    values = {field: data.get(field) if isinstance(data.get(field), (str, int)) else "" for field in fields}
    if not str(values["description"] or "").strip():
        values["description"] = _provenance(hearing)
    return values


def _provenance(hearing):
    """The hall rarely dictates a description; where the proposal came from is a useful one.

    In the runner's language; from a command (the demo), in the platform's default language.
    """
    if has_request_context():
        return _("Raised at the public hearing of %(date)s.", date=format_day(hearing.starts_at))
    with force_locale(current_app.config["BABEL_DEFAULT_LOCALE"]):
        return _("Raised at the public hearing of %(date)s.", date=format_day(hearing.starts_at))


def parse_agenda(hearing, data):
    """(item to start or None to stop, the item the device saw under way, when on the device or None)."""
    errors = []
    item_id = _agenda_item(hearing, data, "item_id", errors)
    from_id = _id(data.get("from_item_id"))
    at = _id(data.get("at"))
    if errors or from_id is False:
        raise ValidationFailed(errors or [("from_item_id", _l("Choose an item of this hearing's agenda."))])
    when = None
    if at:  # milliseconds since 1970, as Date.now() gives them
        try:
            when = datetime.fromtimestamp(at / 1000, timezone.utc).replace(tzinfo=None)
        except (OverflowError, OSError, ValueError):
            when = None
    return item_id, from_id, when


PARSERS = {"attendance": parse_attendance, "question": parse_question, "decision": parse_decision,
           "proposal": parse_proposal}


def describe(row):
    """One line for the console's list of entries, in the current language."""
    if isinstance(row, Attendance):
        parts = [row.gender.label, row.age_band.label, row.village.name if row.village else _("another place")]
        return ", ".join(str(p) for p in parts + ([row.name] if row.name else []))
    if isinstance(row, HearingQuestion):
        text = _("Question: %(text)s", text=_short(row.text))
        return text + (" ✓" if row.answer else "")
    if isinstance(row, HearingDecision):
        return _("Decision: %(motion)s — %(outcome)s (%(yes)d for, %(no)d against, %(abstain)d abstaining)",
                 motion=_short(row.motion), outcome=row.outcome.label, yes=row.votes_for,
                 no=row.votes_against, abstain=row.abstentions)
    if isinstance(row, HearingProposal):
        return _("Proposal #%(number)d: %(title)s", number=row.proposal_id, title=_short(row.proposal.title))
    return ""


def _short(text, limit=90):
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
