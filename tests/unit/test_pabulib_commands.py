"""`flask pb import-pabulib FILE.pb --municipality SLUG` and `flask pb export-pabulib ROUND_ID -o out.pb`."""
import sqlalchemy as sa

from pb.allocation.pabulib import parse, selected_ids
from pb.voting.models import VotingRound
from pb.voting.states import RoundStatus
from tests import factories as f
from tests.unit.test_pabulib_rounds import DATA, SMALL
from tests.voting_factories import make_round


def _run(app, *args):
    return app.test_cli_runner().invoke(args=["pb", *map(str, args)])


def test_a_real_file_imports_and_exports_back_with_its_winners(app, db, tmp_path):
    municipality = f.make_municipality(slug="assen")
    budget = f.make_budget(municipality)
    f.make_user(is_admin=True)
    result = _run(app, "import-pabulib", DATA / "Netherlands_Assen_2024.pb", "--municipality", "assen",
                  "--budget", budget.id)
    assert result.exit_code == 0, result.output
    round_ = db.session.execute(sa.select(VotingRound)).scalar_one()
    assert "84 ballots, rule equalshares-add1" in result.output and round_.is_imported
    out = tmp_path / "assen.pb"
    result = _run(app, "export-pabulib", round_.id, "-o", out)
    assert result.exit_code == 0, result.output
    exported, original = parse(out.read_text(encoding="utf-8")), parse(
        (DATA / "Netherlands_Assen_2024.pb").read_text(encoding="utf-8-sig"))
    ids = {p["name"]: p["project_id"] for p in original.projects}
    assert sorted(ids[p["name"]] for p in exported.projects if p["selected"] == "1") == sorted(selected_ids(original))
    assert exported.meta["rule"] == "equalshares/add1" and exported.meta["num_votes"] == "84"


def test_the_commands_refuse_clearly(app, db, tmp_path):
    municipality = f.make_municipality(slug="ak-dobo")
    f.make_budget(municipality)
    staff = f.make_staff(municipality, email="finance@ak-dobo.kg")
    bad = tmp_path / "bad.pb"
    bad.write_text(SMALL.replace("3;c", "3;q"), encoding="utf-8")
    result = _run(app, "import-pabulib", bad, "--municipality", "ak-dobo", "--as", staff.email)
    assert result.exit_code != 0 and "not in PROJECTS: q" in result.output
    assert _run(app, "import-pabulib", bad, "--municipality", "nowhere", "--as", staff.email).exit_code != 0
    outsider = f.make_user(email="someone@example.kg")
    result = _run(app, "import-pabulib", bad, "--municipality", "ak-dobo", "--as", outsider.email)
    assert result.exit_code != 0
    assert db.session.execute(sa.select(sa.func.count()).select_from(VotingRound)).scalar() == 0
    open_round = make_round(status=RoundStatus.OPEN)
    out = tmp_path / "out.pb"
    for round_id in (open_round.id, 999999):
        result = _run(app, "export-pabulib", round_id, "-o", out)
        assert result.exit_code != 0 and "Error" in result.output
    assert not out.exists()
