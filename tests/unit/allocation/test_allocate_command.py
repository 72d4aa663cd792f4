"""`flask pb allocate FILE.pb --rule RULE [--json]` computes an outcome without the web interface."""
import json
import os
import subprocess
import sys

from tests.unit.allocation.conftest import pabulib_file

SMALL = ("META\nkey;value\nbudget;1000.5\nvote_type;approval\nrule;greedy\nPROJECTS\nproject_id;cost;name;village\n"
         "a;400.25;Well;Kara-Tash\nb;300;Road;Kok-Bel\nc;350;Bench;Kok-Bel\n"
         "VOTES\nvoter_id;vote\n1;a,b\n2;a\n3;c\n4;a,c\n")


def run(app, *args):
    return app.test_cli_runner().invoke(args=["pb", "allocate", *map(str, args)])


def test_allocate_prints_json(app):
    result = run(app, pabulib_file("Netherlands_Assen_2024.pb"), "--rule", "mes-cost", "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert set(data) == {"selected", "cost"}
    assert isinstance(data["cost"], int) and len(data["selected"]) == 7


def test_allocate_as_recorded_gives_the_real_winners(app):
    result = run(app, pabulib_file("Poland_Gdynia_2021.pb"), "--rule", "as-recorded", "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.output) == {"selected": ["OGM/0015"], "cost": 425000}


def test_allocate_writes_a_decimal_cost_as_an_exact_string(app, tmp_path):
    path = tmp_path / "small.pb"
    path.write_text(SMALL, encoding="utf-8")
    result = run(app, path, "--rule", "greedy", "--json")
    assert json.loads(result.output) == {"selected": ["a", "c"], "cost": "750.25"}


def test_allocate_prints_a_table_with_the_reasons(app, tmp_path):
    path = tmp_path / "small.pb"
    path.write_text(SMALL, encoding="utf-8")
    result = run(app, path, "--rule", "greedy")
    assert result.exit_code == 0, result.output
    assert "greedy: 2 of 3 projects funded, 750.25 of 1,000.50 (250.25 left)" in result.output
    assert "+ a" in result.output and "funded: 3 votes, 400.25" in result.output
    assert "- b" in result.output and "250.25 was left when its turn came, it costs 300" in result.output


def test_allocate_village_quotas_from_a_column(app, tmp_path):
    path = tmp_path / "small.pb"
    path.write_text(SMALL, encoding="utf-8")
    result = run(app, path, "--rule", "village-quotas", "--group-column", "village",
                 "--weights", "Kara-Tash=1,Kok-Bel=1", "--json")
    assert result.exit_code == 0, result.output
    # Kara-Tash's 500.25 funds a; Kok-Bel's 500.25 funds c (2 votes); the pool's 250 funds nothing
    assert json.loads(result.output) == {"selected": ["a", "c"], "cost": "750.25"}


def test_allocate_refuses_what_it_cannot_do_without_a_traceback(app, tmp_path):
    result = run(app, pabulib_file("Hungary_Budapest_2024.pb"), "--rule", "as-recorded")
    assert result.exit_code == 1
    assert "rule 'unknown' is not one Ashar implements" in result.output
    bad = tmp_path / "bad.pb"
    bad.write_text("META\nkey;value\nbudget;x\nvote_type;approval\nPROJECTS\nproject_id;cost\nVOTES\nvoter_id;vote\n")
    result = run(app, bad, "--rule", "greedy")
    assert result.exit_code == 1 and "budget 'x' is not a number" in result.output
    assert "Traceback" not in result.output
    result = run(app, bad, "--rule", "lottery")
    assert result.exit_code != 0 and "Unknown rule 'lottery'" in result.output
    result = run(app, tmp_path / "missing.pb", "--rule", "greedy")
    assert result.exit_code == 2 and "does not exist" in result.output


def test_allocate_runs_from_any_folder_without_building_the_app(tmp_path):
    """A researcher runs it in the folder of their files: Flask finds `pb` through the plugin
    entry point that `make setup` installs, and builds no app (there is no wsgi.py to build it from)."""
    path = tmp_path / "small.pb"
    path.write_text(SMALL, encoding="utf-8")
    env = {key: value for key, value in os.environ.items() if key != "FLASK_APP"}
    result = subprocess.run([sys.executable, "-m", "flask", "pb", "allocate", "small.pb", "--rule", "greedy", "--json"],
                            cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == {"selected": ["a", "c"], "cost": "750.25"}
