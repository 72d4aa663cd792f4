"""Demo approval: Isanov's 2027 budget, whose round is closed, approved by its aiyl kenesh, the proposals the
round selected at its close becoming budget lines; and Janynookat's, whose round is closed too, awaiting its kenesh."""
from datetime import timedelta

from pb.accounts import services as accounts
from pb.budgets import services as budgets
from pb.core.models import local_now
from pb.proposals import approval
from pb.voting import services as voting
from pb.voting.states import RoundStatus

COUNCIL = ("deputy@isanov.kg", "Бактыгүл Абдыкадырова")  # the README lists these accounts
WAITING_COUNCIL = ("deputy@janynookat.kg", "Нурбек Жээнбеков")
DECISION = dict(session_number="XXIV", decision_number="24/3",
                decision_text="Исанов айыл өкмөтүнүн 2027-жылга бюджети бекитилсин; тургундардын добуш берүүдө "
                              "тандалган сунуштары бюджеттин чыгашаларына киргизилсин.")


def _closed_round_budget(municipality):
    round_ = next(r for r in voting.list_rounds(municipality.id) if r.status == RoundStatus.CLOSED)
    return budgets.get_budget(round_.budget_id)


def load_demo_approval(admin, municipality, password):
    """Move the budget of the municipality's closed round to approval, and have a council member (a new demo
    account with the demo password) record the kenesh's approval of yesterday."""
    budget = _closed_round_budget(municipality)
    budgets.change_phase(accounts.find_user_by_login("finance@isanov.kg"), budget, "approval")
    deputy = accounts.create_account(admin, COUNCIL[1], password, "ru", email=COUNCIL[0])
    accounts.assign_municipal_role(admin, deputy, municipality.id, "council")
    yesterday = (local_now() - timedelta(days=1)).date()
    approval.approve_budget(deputy, budget, dict(DECISION, session_date=yesterday.isoformat()))
    return budget


def load_demo_awaiting_approval(admin, municipality, password):
    """Move the budget of the closed round to approval, for a new council member to approve."""
    budget = _closed_round_budget(municipality)
    budgets.change_phase(admin, budget, "approval")  # the municipality has no finance officer in the demo
    deputy = accounts.create_account(admin, WAITING_COUNCIL[1], password, "ky", email=WAITING_COUNCIL[0])
    accounts.assign_municipal_role(admin, deputy, municipality.id, "council")
    return budget
