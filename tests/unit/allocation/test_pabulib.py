"""Pabulib files: reading the quirks of real files, writing back, and what pabutools reads of our export."""
from collections import Counter
from fractions import Fraction

import pytest
from pabutools.election import parse_pabulib

from pb.allocation import Election, Project
from pb.allocation.pabulib import PabulibError, parse, read, selected_ids, write
from tests.unit.allocation.conftest import PABULIB, pabulib_file

SMALL = ("META\r\nkey;value\r\ndescription;\"A test; with a semicolon\"\r\nbudget;1000,5\r\nvote_type;approval\r\n"
         "rule;greedy\r\nPROJECTS\r\nproject_id;cost;votes;name;selected\r\n"
         "1;400.0;3;\"The \"\"green\"\" square\";1\r\n2;300;2;Lamps;1\r\n10;350;1;A bench;0\r\n"
         "VOTES\r\nvoter_id;vote\r\nv1;1,2\r\nv2;1,1,10\r\nv3;\r\nv4;2,1\r\n")


def test_parse_reads_quotes_crlf_bom_decimals_repeats_and_empty_votes():
    data = parse("\ufeff" + SMALL)
    assert data.meta["description"] == "A test; with a semicolon"
    assert data.projects[0]["name"] == 'The "green" square'
    assert data.project_columns == ("project_id", "cost", "votes", "name", "selected")
    assert [row[0] for row in data.votes] == ["v1", "v2", "v3", "v4"]
    assert selected_ids(data) == ["1", "2"]
    election = data.election()
    assert election.budget == Fraction(2001, 2)
    assert election.by_id["1"].cost == 400 and isinstance(election.by_id["1"].cost, int)
    assert election.num_voters == 4                      # the empty ballot is a voter too
    assert election.supporters == {"1": 3, "2": 2, "10": 1}   # "1" twice in a ballot counts once
    assert Counter(dict(election.ballots)) == Counter({frozenset({"1", "2"}): 2, frozenset({"1", "10"}): 1,
                                                      frozenset(): 1})


def test_parse_reads_points_and_ranks():
    head = "META\nkey;value\nbudget;100\nvote_type;{kind}\n{extra}PROJECTS\nproject_id;cost\na;10\nb;20\nVOTES\n"
    cumulative = parse(head.format(kind="cumulative", extra="") + "voter_id;vote;points\n1;a,b,a;2,1,3\n2;;\n")
    election = cumulative.election()
    assert election.scores == {"a": 5, "b": 1}             # a repeated project's points add up
    assert election.num_voters == 2
    ordinal = parse(head.format(kind="ordinal", extra="max_length;3\n") + "voter_id;vote\n1;b,a\n2;a\n")
    election = ordinal.election()
    assert election.rank_points == (3, 2, 1)
    assert election.scores == {"a": 2 + 3, "b": 3}
    choose = parse(head.format(kind="choose-1", extra="") + "voter_id;vote\n1;a\n2;b\n3;a\n").election()
    assert choose.kind == "choose-1" and choose.scores == {"a": 2, "b": 1}


@pytest.mark.parametrize("text, message", [
    ("PROJECTS\nproject_id;cost\n", "data before the META|no META"),
    ("META\nkey;value\nbudget;10\nvote_type;approval\nPROJECTS\nproject_id;cost\na;1\n", "no VOTES section"),
    ("META\nkey;value\nbudget;10\nvote_type;approval\nPROJECTS\nproject_id;cost\na;x\nVOTES\nvoter_id;vote\n",
     "cost 'x', not a number"),
    ("META\nkey;value\nbudget;10\nvote_type;approval\nPROJECTS\nproject_id;cost\na;1\nVOTES\nvoter_id;vote\n1;b\n",
     "unknown projects: b"),
    ("META\nkey;value\nbudget;10\nvote_type;scoring\nPROJECTS\nproject_id;cost\na;1\nVOTES\nvoter_id;vote\n",
     "vote_type 'scoring' is not supported"),
])
def test_bad_files_say_what_is_wrong(text, message):
    with pytest.raises(PabulibError, match=message):
        parse(text).election()


def canonical(election):
    return (sorted((p.id, p.cost) for p in election.projects), election.budget, election.kind,
            Counter(dict(election.ballots)))


@pytest.mark.parametrize("name", sorted(p.name for p in PABULIB.glob("*.pb")))
def test_every_shared_file_reads_and_writes_back_the_same(name):
    path = pabulib_file(name)
    data = read(path)
    again = parse(write(data))
    assert dict(again.meta) == dict(data.meta)
    assert [dict(row) for row in again.projects] == [dict(row) for row in data.projects]
    assert again.vote_columns == data.vote_columns
    assert again.column("vote") == data.column("vote")
    assert len(again.column("vote")) == int(data.meta["num_votes"])
    if path.stat().st_size < 1_500_000:     # the big ones are the same rows: comparing elections adds nothing
        assert canonical(again.election()) == canonical(data.election())


def pabutools_reads(text, tmp_path):
    """What pabutools 1.2.3's parse_pabulib reads from the text, written to a file."""
    path = tmp_path / "export.pb"
    path.write_text(text, encoding="utf-8")
    return parse_pabulib(str(path))


def pabutools_view(instance, profile):
    projects = sorted((p.name, Fraction(int(p.cost.numerator), int(p.cost.denominator))) for p in instance)
    budget = Fraction(int(instance.budget_limit.numerator), int(instance.budget_limit.denominator))
    kind = type(profile).__name__
    if kind == "ApprovalProfile":
        ballots = Counter(frozenset(p.name for p in b) for b in profile)
    elif kind == "CumulativeProfile":
        ballots = Counter(tuple(sorted((p.name, Fraction(int(v.numerator), int(v.denominator)))
                                       for p, v in b.items())) for b in profile)
    else:
        ballots = Counter(tuple(p.name for p in b) for b in profile)
    return projects, budget, ballots


def ours_view(election):
    ballots = Counter()
    for ballot, count in election.ballots:
        ballots[ballot if election.kind != "cumulative" else tuple((pid, Fraction(v)) for pid, v in ballot)] += count
    return sorted((p.id, Fraction(p.cost)) for p in election.projects), Fraction(election.budget), ballots


@pytest.mark.parametrize("name", [
    "France_Toulouse_2022_1_-_Capitole_Arnaud_Bernard_Carmes.pb",   # decimal costs and budget
    "Poland_Warszawa_2026_Sady_Zoliborskie.pb",                      # a project repeated within a ballot
    "Poland_Krakow_2023_Bienczyce.pb",                               # ordinal, decimal budget
    "US_Stanford_Dataset_PB_Rochester_NY_2019_vote_rankings.pb",     # ordinal
    "Worldwide_Mechanical_Turk_Utilities_3.pb",                      # cumulative
    "Poland_Swiecie_2023.pb",
])
def test_our_export_is_what_pabutools_reads_back(name, tmp_path):
    election = read(pabulib_file(name)).election()
    instance, profile = pabutools_reads(write(election), tmp_path)
    assert pabutools_view(instance, profile) == ours_view(election)


def test_an_election_made_here_exports_to_pabutools(tmp_path):
    projects = [Project("p1", Fraction(3, 2), "A", "Well; deep"), Project("p2", 7, None, 'The "new" road')]
    election = Election.build(projects, Fraction(17, 2), [{"p1"}, {"p1", "p2"}, set(), set()])
    text = write(election, {"description": "Nookat rehearsal", "country": "Kyrgyzstan"})
    instance, profile = pabutools_reads(text, tmp_path)
    assert pabutools_view(instance, profile) == ours_view(election)
    assert profile.num_ballots() == 4
    assert instance.meta["description"] == "Nookat rehearsal"
    assert canonical(parse(text).election()) == canonical(election)
    choose_one = Election.build(projects, 10, [{"p1"}, {"p2"}, {"p1"}], kind="choose-1")
    instance, profile = pabutools_reads(write(choose_one), tmp_path)
    assert pabutools_view(instance, profile) == ours_view(choose_one)
    cumulative = Election.build(projects, 10, [{"p1": 2, "p2": 1}, {}], kind="cumulative")
    instance, profile = pabutools_reads(write(cumulative), tmp_path)
    assert pabutools_view(instance, profile) == ours_view(cumulative)
