"""Who may prepare a round, run it at the hearing, vote in it, and see what of it."""
from pb.core.permissions import rule
from pb.groups.services import roles_in
from pb.places.models import Municipality
from pb.voting.models import VotingRound
from pb.voting.states import RoundStatus

ORGANISERS = {"staff", "group_lead"}
HELPERS = ORGANISERS | {"group_member"}


def is_organiser(actor, municipality_id):
    """The admin, the municipality's staff, and its groups' chairs and secretaries."""
    return bool(actor) and (actor.is_admin or bool(ORGANISERS & roles_in(actor, municipality_id)))


def is_helper(actor, municipality_id):
    """The organisers and every member of the municipality's groups (facilitators at the hearing)."""
    return bool(actor) and (actor.is_admin or bool(HELPERS & roles_in(actor, municipality_id)))


def is_eligible_resident(actor, round_):
    """A resident verified in one of the round's municipality's villages."""
    village = getattr(actor, "verified_village", None) if actor else None
    return village is not None and village.municipality_id == round_.municipality_id


@rule(Municipality, "create_round")
def can_create(actor, municipality):
    return is_organiser(actor, municipality.id)


@rule(VotingRound, "view")
def can_view(actor, round_):
    """Once opened a round is public; in preparation only its organisers see it."""
    return round_.status != RoundStatus.DRAFT or is_organiser(actor, round_.municipality_id)


@rule(VotingRound, "manage")
def can_manage(actor, round_):
    """Settings, opening, closing, codes: the organisers."""
    return is_organiser(actor, round_.municipality_id)


@rule(VotingRound, "edit")
def can_edit(actor, round_):
    """The settings and the ballot change only before the round opens."""
    return round_.status == RoundStatus.DRAFT and is_organiser(actor, round_.municipality_id)


@rule(VotingRound, "run")
def can_run(actor, round_):
    """Kiosks, the registration desk and paper ballots: organisers and group members, while it is open."""
    return round_.status == RoundStatus.OPEN and is_helper(actor, round_.municipality_id)


@rule(VotingRound, "see_counts")
def can_see_counts(actor, round_):
    """Counts per proposal: after the close, or while open when the round does not hide them."""
    if round_.status == RoundStatus.CLOSED:
        return True
    return round_.status == RoundStatus.OPEN and not round_.hide_counts
