"""Budget phases, who may move a budget between them, and what each phase allows."""
from flask_babel import lazy_gettext as _l

from pb.core.models import LabelledEnum


class Phase(LabelledEnum):
    DRAFT = "draft"
    CONSULTATION = "consultation"
    HEARING = "hearing"
    VOTING = "voting"
    APPROVAL = "approval"
    APPROVED = "approved"
    MONITORING = "monitoring"

    @classmethod
    def labels(cls):
        return {
            cls.DRAFT: _l("draft"),
            cls.CONSULTATION: _l("consultation"),
            cls.HEARING: _l("hearing"),
            cls.VOTING: _l("voting"),
            cls.APPROVAL: _l("approval"),
            cls.APPROVED: _l("approved"),
            cls.MONITORING: _l("monitoring"),
        }


class LineKind(LabelledEnum):
    REVENUE = "revenue"
    EXPENDITURE = "expenditure"

    @classmethod
    def labels(cls):
        return {cls.REVENUE: _l("revenue"), cls.EXPENDITURE: _l("expenditure")}


class Category(LabelledEnum):
    EDUCATION = "education"
    HEALTH = "health"
    CULTURE = "culture"
    HOUSING = "housing"
    WATER = "water"
    ROADS = "roads"
    LIGHTING = "lighting"
    WASTE = "waste"
    SOCIAL = "social"
    ADMINISTRATION = "administration"
    OTHER = "other"

    @classmethod
    def labels(cls):
        return {
            cls.EDUCATION: _l("education"),
            cls.HEALTH: _l("health"),
            cls.CULTURE: _l("culture"),
            cls.HOUSING: _l("housing and communal services"),
            cls.WATER: _l("water"),
            cls.ROADS: _l("roads"),
            cls.LIGHTING: _l("street lighting"),
            cls.WASTE: _l("waste"),
            cls.SOCIAL: _l("social protection"),
            cls.ADMINISTRATION: _l("administration"),
            cls.OTHER: _l("other"),
        }


class RevenueGroup(LabelledEnum):
    """The classes of the national revenue classification, read from the first two digits of a code."""

    TAXES = "11"
    CONTRIBUTIONS = "12"
    TRANSFERS = "13"
    NON_TAX = "14"
    OTHER = "other"

    @classmethod
    def labels(cls):
        return {
            cls.TAXES: _l("taxes"),
            cls.CONTRIBUTIONS: _l("social contributions"),
            cls.TRANSFERS: _l("grants and transfers"),
            cls.NON_TAX: _l("non-tax revenue"),
            cls.OTHER: _l("other revenue"),
        }

    @classmethod
    def of(cls, code):
        try:
            return cls((code or "")[:2])
        except ValueError:
            return cls.OTHER


# Roles relative to the budget's municipality, as computed by pb.groups.services.roles_in.
STAFF, COUNCIL, GROUP_LEAD, GROUP_MEMBER = "staff", "council", "group_lead", "group_member"

# (from, to) -> the roles that may make the move; the platform admin may make any of them.
TRANSITIONS = {
    (Phase.DRAFT, Phase.CONSULTATION): {STAFF, GROUP_LEAD},
    (Phase.CONSULTATION, Phase.DRAFT): {STAFF},
    (Phase.CONSULTATION, Phase.HEARING): {STAFF, GROUP_LEAD},
    (Phase.HEARING, Phase.VOTING): {STAFF, GROUP_LEAD},
    (Phase.HEARING, Phase.APPROVAL): {STAFF},
    (Phase.VOTING, Phase.APPROVAL): {STAFF},
    (Phase.APPROVAL, Phase.CONSULTATION): {COUNCIL},
    (Phase.APPROVAL, Phase.APPROVED): {COUNCIL},
    (Phase.APPROVED, Phase.MONITORING): {STAFF},
}

# Moves made only by recording a decision, never by the phase form: the council's approval
# (pb.proposals.approval) records its session and date and turns accepted proposals into lines.
BY_DECISION = {(Phase.APPROVAL, Phase.APPROVED)}

# What each phase allows, read by pb.budgets.permissions.can.
LINES_EDITABLE = {Phase.DRAFT, Phase.CONSULTATION, Phase.HEARING}
NOTES_EDITABLE = {Phase.DRAFT, Phase.CONSULTATION, Phase.HEARING, Phase.VOTING, Phase.APPROVAL}
PUBLISHABLE = {Phase.CONSULTATION, Phase.HEARING, Phase.VOTING, Phase.APPROVAL}
PUBLIC = set(Phase) - {Phase.DRAFT}


APPROVED_PHASES = {Phase.APPROVED, Phase.MONITORING}


def allowed_targets(phase, roles, is_admin=False, decisions=False):
    """The phases a holder of these roles may move a budget to from this phase.

    Moves in BY_DECISION are left out unless decisions is true.
    """
    return [
        to
        for (frm, to), who in TRANSITIONS.items()
        if frm == phase and (is_admin or who & set(roles)) and (decisions or (frm, to) not in BY_DECISION)
    ]
