"""Who may schedule, change and run a hearing; its announcement is public once scheduled."""
from pb.core.permissions import rule
from pb.groups.services import roles_in
from pb.hearings.models import Hearing
from pb.hearings.states import HearingStatus
from pb.places.models import Municipality

ORGANISERS = {"staff", "group_lead"}


def is_organiser(actor, municipality_id):
    """The admin, the municipality's staff, and the chairs and secretaries of its groups."""
    if not actor:
        return False
    return actor.is_admin or bool(ORGANISERS & roles_in(actor, municipality_id))


def is_runner(actor, hearing):
    """The organisers, and the accounts named as the hearing's chair or secretary."""
    if not actor:
        return False
    return is_organiser(actor, hearing.municipality_id) or actor.id in {hearing.chair_id, hearing.secretary_id}


@rule(Municipality, "schedule_hearing")
def can_schedule(actor, municipality):
    """Organisers of the municipality schedule its hearings."""
    return is_organiser(actor, municipality.id)


@rule(Hearing, "view")
def can_view(actor, hearing):
    """A hearing is announced in public: anyone may read its page, cancelled or held."""
    return True


@rule(Hearing, "edit")
def can_edit(actor, hearing):
    """Organisers change (or cancel) a hearing until it is opened."""
    return hearing.status == HearingStatus.SCHEDULED and is_organiser(actor, hearing.municipality_id)


@rule(Hearing, "run")
def can_run(actor, hearing):
    """The console, opening and closing: the organisers and the hearing's chair and secretary accounts."""
    return is_runner(actor, hearing)


@rule(Hearing, "record")
def can_record(actor, hearing):
    """Console entries: the runners, while the hearing is under way."""
    return hearing.status == HearingStatus.OPEN and is_runner(actor, hearing)
