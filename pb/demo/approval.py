"""Demo approval: Isanov's 2027 budget, whose round is closed, approved by its aiyl kenesh; the proposals
the round selected when it closed become budget lines."""
from datetime import timedelta

from pb.accounts import services as accounts
from pb.budgets import services as budgets
from pb.core.models import local_now
from pb.proposals import approval
from pb.voting import services as voting
from pb.voting.states import RoundStatus

COUNCIL = ("deputy@isanov.kg", "Бактыгүл Абдыкадырова")  # the README lists this account
DECISION = dict(session_number="XXIV", decision_number="24/3",
                decision_text="Исанов айыл өкмөтүнүн 2027-жылга бюджети бекитилсин; тургундардын добуш берүүдө "
                              "тандалган сунуштары бюджеттин чыгашаларына киргизилсин.")


def load_demo_approval(admin, municipality, password):
    """Move the budget of the municipality's closed round to approval, and have a council member (a new demo
    account with the demo password) record the kenesh's approval of yesterday."""
    round_ = next(r for r in voting.list_rounds(municipality.id) if r.status == RoundStatus.CLOSED)
    budget = budgets.get_budget(round_.budget_id)
    budgets.change_phase(accounts.find_user_by_login("finance@isanov.kg"), budget, "approval")
    deputy = accounts.create_account(admin, COUNCIL[1], password, "ru", email=COUNCIL[0])
    accounts.assign_municipal_role(admin, deputy, municipality.id, "council")
    yesterday = (local_now() - timedelta(days=1)).date()
    approval.approve_budget(deputy, budget, dict(DECISION, session_date=yesterday.isoformat()))
    return budget
