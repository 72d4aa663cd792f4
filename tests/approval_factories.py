"""Budgets ready for the council's approval, and approved ones, written directly (no audit entries)."""
from datetime import timedelta
from decimal import Decimal

from pb.budgets.approval import proposal_line_code
from pb.budgets.models import BudgetApproval, BudgetLine
from pb.budgets.states import Category, LineKind, Phase
from pb.core.models import local_now
from pb.extensions import db
from pb.proposals.states import Status
from tests import factories as f
from tests import proposal_factories as pf

# (kind, code, name_ky, name_ru, category, last year, proposed)
LINES = (
    (LineKind.REVENUE, "1111200", "Киреше салыгы", "Подоходный налог", Category.OTHER, "4100000", "4450000"),
    (LineKind.REVENUE, "1311100", "Теңдештирүүчү грант", "Выравнивающий грант", Category.OTHER, "6000000", "6500000"),
    (LineKind.EXPENDITURE, "7011100", "Аппаратты кармоо", "Содержание аппарата", Category.ADMINISTRATION,
     "3000000", "3200000"),
    (LineKind.EXPENDITURE, "7091100", "Балдар бакчалары", "Детские сады", Category.EDUCATION, "4000000", "4300000"),
    (LineKind.EXPENDITURE, "7063100", "Сугат тармагы", "Оросительная сеть", Category.WATER, "1800000", "2600000"),
)
# what the council will fund: (title, village, cost); Kyrgyz letters ө ү ң in each
SELECTED = (("Көпүрөнү бекемдөө", "Үч-Көл", Decimal("315000")), ("Ичүүчү суу түтүгү (ң)", "Жаңы-Жол", Decimal("480000.50")))
PROPOSED_EXPENDITURE = Decimal("10100000")
REVENUE = Decimal("10950000")


def yesterday():
    return (local_now() - timedelta(days=1)).date()


def make_budget_for_approval(municipality=None, phase=Phase.APPROVAL, selected=SELECTED):
    """A budget in the approval phase with revenue and expenditure lines, two selected proposals and one
    not selected; returns (budget, selected proposals, the one not selected)."""
    municipality = municipality or f.make_municipality(name_ky="Өзгөн айыл өкмөтү", name_ru="Узгенский айыл окмоту",
                                                       oblast="osh", rayon="Өзгөн району", population=10000)
    budget = f.make_budget(municipality, phase, lines=0)
    for kind, code, ky, ru, category, last, proposed in LINES:
        f.make_line(budget, commit=False, kind=kind, code=code, name_ky=ky, name_ru=ru, category=category,
                    approved_last_year=Decimal(last), executed_last_year=Decimal(last), proposed=Decimal(proposed))
    db.session.commit()
    villages = {}
    chosen = []
    for title, village, cost in selected:
        villages.setdefault(village, f.make_village(municipality, name=village))
        chosen.append(pf.make_proposal(budget, village=villages[village], title=title, estimated_cost=cost,
                                       category=Category.ROADS, status=Status.SELECTED))
    other = pf.make_proposal(budget, title="Жаңы стадион", estimated_cost=Decimal("9000000"),
                             status=Status.NOT_SELECTED)
    return budget, chosen, other


def approve_directly(budget, session_number="XII", session_date=None):
    """The rows the council's approval writes, without the service: lines, funded proposals, the decision."""
    proposals = [p for p in _proposals(budget) if p.status == Status.SELECTED]
    for proposal in proposals:
        db.session.add(BudgetLine(budget=budget, kind=LineKind.EXPENDITURE, code=proposal_line_code(proposal.id),
                                  name_ky=proposal.title, name_ru=proposal.title, category=proposal.category,
                                  proposed=proposal.estimated_cost, proposal_id=proposal.id))
        proposal.status = Status.FUNDED
    budget.phase = Phase.APPROVED
    db.session.add(BudgetApproval(budget_id=budget.id, session_number=session_number,
                                  session_date=session_date or yesterday(), decision_number="12/4",
                                  lines_added=len(proposals)))
    db.session.commit()
    return budget


def _proposals(budget):
    from pb.proposals.models import Proposal

    return db.session.query(Proposal).filter(Proposal.budget_id == budget.id).order_by(Proposal.id).all()
