"""Demo approval: Isanov's 2027 budget, whose round is closed, approved by its aiyl kenesh, the winners
of the round becoming budget lines; and Janynookat's, whose round is closed too, awaiting its kenesh.

Until rounds set their proposals' statuses when they close (the allocation at the close), the demo marks
the winners itself, the simplest honest way: through the reviewers' service, in the order of the round's
published tally, each proposal funded while the round's money lasts (the round's rule is greedy by votes).
Where the proposals already carry a verdict, it is left as it is.
"""
from datetime import timedelta

from pb.accounts import services as accounts
from pb.budgets import services as budgets
from pb.core.i18n import format_number
from pb.core.models import local_now
from pb.proposals import approval, review
from pb.proposals.states import Status
from pb.voting import results
from pb.voting import services as voting
from pb.voting.states import RoundStatus

COUNCIL = ("deputy@isanov.kg", "Бактыгүл Абдыкадырова")  # the README lists these accounts
WAITING_COUNCIL = ("deputy@janynookat.kg", "Нурбек Жээнбеков")
GROUP_CHAIRS = {"isanov": "chair@isanov.kg", "janynookat": "chair@janynookat.kg"}  # they mark the winners
DECISION = dict(session_number="XXIV", decision_number="24/3",
                decision_text="Исанов айыл өкмөтүнүн 2027-жылга бюджети бекитилсин; тургундардын добуш берүүдө "
                              "тандалган сунуштары бюджеттин чыгашаларына киргизилсин.")


def _som(amount):
    return f"{format_number(amount)} сом".replace("\u00a0", " ")


def select_winners(reviewer, round_):
    """Mark the closed round's proposals selected or not selected, by the tally, while the money lasts."""
    if any(entry.proposal.status != Status.ON_BALLOT for entry in round_.entries):
        return
    left = round_.amount
    for count in results.tally(round_):
        proposal, cost = count.entry.proposal, count.entry.cost
        if count.score > 0 and cost <= left:
            left -= cost
            review.change_status(reviewer, proposal, Status.SELECTED.value)
        else:
            review.change_status(reviewer, proposal, Status.NOT_SELECTED.value,
                                 f"Добуштар: {count.score}. Акча жетпеди: {_som(left)} калды, наркы {_som(cost)}.")


def load_demo_approval(admin, municipality, password):
    """Select the winners of the municipality's closed round, move its budget to approval, and have a council
    member (a new demo account with the demo password) record the kenesh's approval of yesterday."""
    round_ = next(r for r in voting.list_rounds(municipality.id) if r.status == RoundStatus.CLOSED)
    select_winners(accounts.find_user_by_login(GROUP_CHAIRS[municipality.slug]), round_)
    budget = budgets.get_budget(round_.budget_id)
    budgets.change_phase(accounts.find_user_by_login("finance@isanov.kg"), budget, "approval")
    deputy = accounts.create_account(admin, COUNCIL[1], password, "ru", email=COUNCIL[0])
    accounts.assign_municipal_role(admin, deputy, municipality.id, "council")
    yesterday = (local_now() - timedelta(days=1)).date()
    approval.approve_budget(deputy, budget, dict(DECISION, session_date=yesterday.isoformat()))
    return budget


def load_demo_awaiting_approval(admin, municipality, password):
    """Select the winners of the closed round and move its budget to approval, for a new council member to approve."""
    round_ = next(r for r in voting.list_rounds(municipality.id) if r.status == RoundStatus.CLOSED)
    select_winners(accounts.find_user_by_login(GROUP_CHAIRS[municipality.slug]), round_)
    budget = budgets.get_budget(round_.budget_id)
    budgets.change_phase(admin, budget, "approval")  # the municipality has no finance officer in the demo
    deputy = accounts.create_account(admin, WAITING_COUNCIL[1], password, "ky", email=WAITING_COUNCIL[0])
    accounts.assign_municipal_role(admin, deputy, municipality.id, "council")
    return budget
