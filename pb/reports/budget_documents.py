"""What the approved-budget summary and the citizen budget show, read through the domains' services."""
from dataclasses import dataclass
from decimal import Decimal

from pb.budgets import services as budgets
from pb.budgets.approval import find_approval
from pb.budgets.states import APPROVED_PHASES, PUBLIC
from pb.core.errors import NotFound
from pb.hearings.stats import budget_hearings
from pb.proposals.approval import FUNDED_STATUSES, list_accepted

LANGUAGES = ("ky", "ru")


@dataclass(frozen=True)
class FundedProposal:
    title: str
    village: str
    category: object  # Category
    amount: Decimal


@dataclass(frozen=True)
class BudgetDocument:
    """The figures and the record of one budget, as data (the PDF modules put them into words)."""

    budget_id: int
    slug: str
    names: dict  # lang -> municipality name
    is_city: bool
    rayon: str
    oblast: object  # Oblast
    fiscal_year: int
    phase: object  # Phase
    summaries: dict  # lang -> plain-language summary
    figures: object  # pb.budgets.figures.Figures
    revenue: tuple  # RevenueShare, largest first
    largest_lines: dict  # lang -> [(name, amount)] of the largest expenditure lines
    funded: tuple  # FundedProposal
    hearings: tuple  # pb.hearings.stats.HeldHearing
    approval: object | None  # BudgetApproval
    version_number: int | None

    @property
    def funded_total(self):
        return sum((p.amount for p in self.funded), Decimal(0))


def _funded(budget):
    amounts = {line.proposal_id: line.proposed for line in budget.lines if line.proposal_id is not None}
    return tuple(FundedProposal(p.title, p.village.name, p.category, amounts.get(p.id, p.estimated_cost))
                 for p in list_accepted(budget, FUNDED_STATUSES))


def _largest(expenditure, lang, count=5):
    top = sorted(expenditure, key=lambda line: (-line.proposed, line.code))[:count]
    return [(getattr(line, f"name_{lang}") or line.name_ky, line.proposed) for line in top]


def build_document(budget):
    """The budget's figures, funded proposals, hearings held and the council's approval."""
    municipality = budget.municipality
    approval = find_approval(budget)
    _revenue, expenditure = budgets.lines_by_kind(budget)
    return BudgetDocument(
        budget_id=budget.id, slug=municipality.slug,
        names={"ky": municipality.name_ky or municipality.name_ru, "ru": municipality.name_ru or municipality.name_ky},
        is_city=municipality.kind.value == "city", rayon=municipality.rayon, oblast=municipality.oblast,
        fiscal_year=budget.fiscal_year, phase=budget.phase,
        summaries={"ky": budget.summary_ky, "ru": budget.summary_ru},
        figures=budgets.budget_figures(budget), revenue=budgets.revenue_groups(budget),
        largest_lines={lang: _largest(expenditure, lang) for lang in LANGUAGES},
        funded=_funded(budget), hearings=budget_hearings(budget.id), approval=approval,
        version_number=approval.version.number if approval and approval.version else None,
    )


def summary_document(budget):
    """The document of an approved budget; NotFound before the council's approval."""
    if budget.phase not in APPROVED_PHASES or find_approval(budget) is None:
        raise NotFound()
    return build_document(budget)


def citizen_document(budget):
    """The document of a published budget (consultation or later); NotFound for a draft."""
    if budget.phase not in PUBLIC:
        raise NotFound()
    return build_document(budget)
