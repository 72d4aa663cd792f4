"""Budget services and rules without HTTP: phases, figures, versions, money."""
from decimal import Decimal

import pytest

from pb.budgets import services
from pb.budgets.figures import compute_figures
from pb.budgets.states import TRANSITIONS, Phase, allowed_targets
from pb.budgets.versions import compare, load_snapshot, snapshot_lines
from pb.core.errors import PermissionDenied, ValidationFailed
from pb.core.models import to_money
from pb.groups.models import Position
from tests import factories as f


def test_to_money_is_exact_and_refuses_floats():
    assert to_money("1 234,50") == Decimal("1234.50")
    with pytest.raises(ValueError):
        to_money(0.1)
    with pytest.raises(ValueError):
        to_money("1.005")


def test_money_column_keeps_tyiyn_exactly(db):
    budget = f.make_budget(f.make_municipality(), lines=0)
    line = f.make_line(budget, proposed=Decimal("9999999999.99"))
    db.session.expire_all()
    assert line.proposed == Decimal("9999999999.99")


def test_every_phase_can_be_left_except_monitoring():
    sources = {frm for frm, _ in TRANSITIONS}
    assert sources == set(Phase) - {Phase.MONITORING}


def test_only_the_council_approves_and_only_by_its_decision():
    assert allowed_targets(Phase.APPROVAL, {"staff", "group_lead"}, decisions=True) == []
    assert Phase.APPROVED in allowed_targets(Phase.APPROVAL, {"council"}, decisions=True)
    assert Phase.APPROVED not in allowed_targets(Phase.APPROVAL, {"council"}, is_admin=True)


def test_staff_of_another_municipality_cannot_change_phase(db):
    ak, other = f.make_municipality(), f.make_municipality()
    budget = f.make_budget(ak, Phase.DRAFT)
    with pytest.raises(PermissionDenied):
        services.change_phase(f.make_staff(other), budget, "consultation")


def test_group_member_may_note_but_not_edit_lines(db):
    municipality = f.make_municipality()
    member = f.make_member(f.make_group(municipality), Position.MEMBER)
    budget = f.make_budget(municipality, Phase.CONSULTATION)
    services.set_note(member, budget.lines[0], "Түшүнүктүү тил менен")
    assert budget.lines[0].note == "Түшүнүктүү тил менен"
    with pytest.raises(PermissionDenied):
        services.save_line(member, budget, {}, budget.lines[0])


def test_save_line_reports_every_bad_field(db):
    municipality = f.make_municipality()
    budget = f.make_budget(municipality, Phase.DRAFT, lines=0)
    with pytest.raises(ValidationFailed) as caught:
        services.save_line(f.make_staff(municipality), budget, dict(kind="x", category="y", code="", proposed="1.001"))
    assert {field for field, _ in caught.value.errors} >= {"kind", "category", "code", "name_ky", "name_ru", "proposed"}


def test_publishing_without_changes_is_refused(db):
    municipality = f.make_municipality()
    staff = f.make_staff(municipality)
    budget = f.make_budget(municipality, Phase.DRAFT)
    services.change_phase(staff, budget, "consultation")
    with pytest.raises(ValidationFailed):
        services.publish_version(staff, budget)


def test_compare_finds_added_removed_and_changed_lines(db):
    budget = f.make_budget(f.make_municipality(), lines=0)
    a = f.make_line(budget, code="1")
    f.make_line(budget, code="2")
    old = load_snapshot(snapshot_lines(budget.lines))
    a.proposed = Decimal("1")
    budget.lines.remove(budget.lines[1])
    f.make_line(budget, code="3")
    diffs = {d.code: d for d in compare(old, budget.lines)}
    assert diffs["1"].status == "changed" and diffs["1"].changed_fields == ("proposed",)
    assert diffs["2"].status == "removed" and diffs["3"].status == "added"


def test_figures_totals_and_shares(db):
    budget = f.make_budget(f.make_municipality(), lines=0)
    f.make_line(budget, kind="revenue", category="other", proposed=Decimal("1000"), approved_last_year=Decimal("900"))
    f.make_line(budget, category="water", proposed=Decimal("600"), approved_last_year=Decimal("500"))
    f.make_line(budget, category="roads", proposed=Decimal("200"), approved_last_year=Decimal("300"))
    figures = compute_figures(budget.lines, population=100)
    assert figures.revenue == Decimal("1000") and figures.expenditure == Decimal("800")
    assert figures.balance == Decimal("200")
    assert [c.category.value for c in figures.categories] == ["water", "roads"]
    assert figures.categories[0].share == Decimal("0.75")
    assert figures.per_resident(figures.expenditure) == Decimal("8")
    assert figures.expenditure_change == Decimal("0")


def test_to_money_refuses_absurd_exponents():
    with pytest.raises(ValueError):
        to_money("1e30")
