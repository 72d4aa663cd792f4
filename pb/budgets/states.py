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

# What each phase allows, read by pb.budgets.permissions.can.
LINES_EDITABLE = {Phase.DRAFT, Phase.CONSULTATION, Phase.HEARING}
NOTES_EDITABLE = {Phase.DRAFT, Phase.CONSULTATION, Phase.HEARING, Phase.VOTING, Phase.APPROVAL}
PUBLISHABLE = {Phase.CONSULTATION, Phase.HEARING, Phase.VOTING, Phase.APPROVAL}
PUBLIC = set(Phase) - {Phase.DRAFT}


def allowed_targets(phase, roles, is_admin=False):
    """The phases a holder of these roles may move a budget to from this phase."""
    return [
        to
        for (frm, to), who in TRANSITIONS.items()
        if frm == phase and (is_admin or who & set(roles))
    ]
