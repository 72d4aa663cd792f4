"""The approved-budget summary and the citizen budget read back with pypdf: Kyrgyz letters, totals,
funded proposals, hearings, the decision; the citizen budget on one page; the command."""
import io

import pytest
from flask_babel import force_locale
from pypdf import PdfReader

from pb.budgets.states import Phase
from pb.core.errors import NotFound
from pb.core.i18n import format_money
from pb.proposals.approval import approve_budget
from pb.reports import documents
from tests import approval_factories as af
from tests import factories as f
from tests import minutes_factories as mf

LANGS = ["ky", "ru"]


def text_of(data):
    pages = PdfReader(io.BytesIO(data)).pages
    return len(pages), "\n".join(page.extract_text() for page in pages)


def flat(text):
    return " ".join(text.split())


def money(amount, lang):
    with force_locale(lang):
        return " ".join(str(format_money(amount)).split())


@pytest.fixture
def approved(app):
    budget, chosen, _other = af.make_budget_for_approval()
    mf.make_held_hearing(budget.municipality, budget=budget)  # 48 participants; adds a selected proposal
    council = f.make_staff(budget.municipality, role="council")
    approve_budget(council, budget, dict(session_number="XII", session_date=af.yesterday().isoformat(),
                                         decision_number="12/4", decision_text="Бюджет бекитилсин."))
    return budget, chosen


@pytest.mark.parametrize("lang", LANGS)
def test_summary_shows_totals_funded_proposals_hearings_and_the_decision(approved, lang):
    budget, chosen = approved
    pages, text = text_of(documents.summary_pdf(budget, lang))
    text = flat(text)
    assert ("Өзгөн айыл өкмөтү" if lang == "ky" else "Узгенский айыл окмоту") in text
    for letter in "өүң":
        assert letter in text
    expenditure = af.PROPOSED_EXPENDITURE + sum(p.estimated_cost for p in chosen) + 480000
    assert money(af.REVENUE, lang) in text and money(expenditure, lang) in text
    for proposal in chosen:
        assert flat(proposal.title) in text and money(proposal.estimated_cost, lang) in text
    assert "Ичүүчү суу түтүгү" in text  # the hearing's selected proposal is funded too
    assert " 48 " in f" {text} " and "XII" in text and "12/4" in text and "Бюджет бекитилсин." in text
    assert pages >= 2


@pytest.mark.parametrize("lang", LANGS)
def test_citizen_budget_is_one_page_with_the_totals(approved, lang):
    budget, chosen = approved
    pages, text = text_of(documents.citizen_pdf(budget, lang))
    text = flat(text)
    assert pages == 1
    assert money(af.REVENUE, lang) in text
    assert flat(chosen[0].title) in text and f"/budgets/{budget.id}" in text


def test_citizen_budget_of_a_consultation_names_the_largest_lines(app):
    budget, _chosen, _other = af.make_budget_for_approval(phase=Phase.CONSULTATION)
    pages, text = text_of(documents.citizen_pdf(budget, "ky"))
    assert pages == 1 and "Балдар бакчалары" in flat(text)


def test_no_summary_before_approval_and_no_citizen_budget_for_a_draft(app):
    budget, _chosen, _other = af.make_budget_for_approval()
    with pytest.raises(NotFound):
        documents.summary_pdf(budget, "ru")
    draft, _chosen, _other = af.make_budget_for_approval(phase=Phase.DRAFT)
    with pytest.raises(NotFound):
        documents.citizen_pdf(draft, "ky")


def test_summary_command_writes_the_pdf(approved, app, tmp_path):
    budget, _chosen = approved
    out = tmp_path / "out.pdf"
    result = app.test_cli_runner().invoke(args=["pb", "summary", str(budget.id), "--lang", "ru", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "Узгенский айыл окмоту" in flat(text_of(out.read_bytes())[1])


def test_citizen_budget_command_writes_one_page(approved, app, tmp_path):
    budget, _chosen = approved
    out = tmp_path / "out.pdf"
    result = app.test_cli_runner().invoke(args=["pb", "citizen-budget", str(budget.id), "--lang", "ky", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert text_of(out.read_bytes())[0] == 1


def test_commands_name_a_missing_or_unready_budget(app, tmp_path):
    budget, _chosen, _other = af.make_budget_for_approval()
    out = tmp_path / "out.pdf"
    missing = app.test_cli_runner().invoke(args=["pb", "summary", "999", "-o", str(out)])
    assert missing.exit_code != 0 and "999" in missing.output
    unready = app.test_cli_runner().invoke(args=["pb", "summary", str(budget.id), "-o", str(out)])
    assert unready.exit_code != 0 and "approved" in unready.output
    assert not out.exists()
