"""The minutes' content as plain frozen dataclasses: data, not words.

Labels, dates and numbers are put into words by whoever renders the content (the HTML page, or a PDF
inside force_locale), so the same content serves every language.
"""
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from fractions import Fraction

from pb.hearings.states import HearingKind, HearingStatus, Outcome
from pb.places.models import Oblast


def share(count, total):
    """count / total as an exact fraction, or None when nobody was counted."""
    return Fraction(count, total) if total else None


@dataclass(frozen=True)
class Count:
    """One line of a breakdown: a village name (None: not said) or an age band, and how many."""

    key: object
    count: int
    share: Fraction | None


@dataclass(frozen=True)
class AttendanceSummary:
    total: int
    women: int
    young: int
    by_village: tuple[Count, ...]
    by_age: tuple[Count, ...]

    @property
    def women_share(self):
        return share(self.women, self.total)

    @property
    def young_share(self):
        return share(self.young, self.total)


@dataclass(frozen=True)
class AgendaRow:
    position: int
    title: str
    seconds: int


@dataclass(frozen=True)
class QuestionRow:
    asked_by: str
    village: str | None
    text: str
    answer: str
    answered_by: str


@dataclass(frozen=True)
class ProposalRow:
    proposal_id: int
    title: str
    village: str
    cost: Decimal


@dataclass(frozen=True)
class DecisionRow:
    motion: str
    votes_for: int
    votes_against: int
    abstentions: int
    outcome: Outcome


@dataclass(frozen=True)
class RevisionInfo:
    id: int
    number: int
    author: str
    created_at: datetime


@dataclass(frozen=True)
class Minutes:
    hearing_id: int
    kind: HearingKind
    status: HearingStatus
    municipality_slug: str
    municipality_ky: str
    municipality_ru: str
    rayon: str
    oblast: Oblast
    starts_at: datetime
    place: str
    chair: str
    secretary: str
    villages: tuple[str, ...]
    seconds_held: int | None
    attendance: AttendanceSummary
    agenda: tuple[AgendaRow, ...]
    questions: tuple[QuestionRow, ...]
    proposals: tuple[ProposalRow, ...]
    decisions: tuple[DecisionRow, ...]
    narrative: str
    revision: RevisionInfo | None
    published_at: datetime | None

    def municipality_name(self, lang):
        """The municipality's name in lang (Russian for ru, Kyrgyz otherwise)."""
        return (self.municipality_ru if lang == "ru" else self.municipality_ky) or self.municipality_ky

    @property
    def proposals_cost(self):
        return sum((p.cost for p in self.proposals), Decimal(0))


@dataclass(frozen=True)
class Notice:
    """What the notice board needs to know of a hearing before it is held."""

    hearing_id: int
    kind: HearingKind
    status: HearingStatus
    municipality_slug: str
    municipality_ky: str
    municipality_ru: str
    starts_at: datetime
    place: str
    villages: tuple[str, ...]
    agenda: tuple[str, ...]

    def municipality_name(self, lang):
        """The municipality's name in lang (Russian for ru, Kyrgyz otherwise)."""
        return (self.municipality_ru if lang == "ru" else self.municipality_ky) or self.municipality_ky
