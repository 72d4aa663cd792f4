"""Pabulib `.pb` files: read them into plain data and into an Election, and write them back.

A file has three sections, each a `;`-separated table (CSV with double-quoted fields):
META (key;value), PROJECTS (project_id;cost;...) and VOTES (voter_id;vote;...). Real
files have a byte-order mark or not, CRLF or LF, quoted fields with `;` or `""` inside,
decimal costs (`4000.0`), a project repeated within a ballot, empty ballots, and
`points` for cumulative ballots; see pabulib.org's format description.

Reading is fast because the csv module does the splitting in C and every distinct vote
string is interpreted once: Łódź 2022 (90,494 votes) reads in about a quarter of a second.
"""
from __future__ import annotations

import csv
import io
import re
from collections import Counter
from dataclasses import dataclass, field
from fractions import Fraction
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Mapping

from pb.allocation.model import BALLOT_KINDS, CUMULATIVE, ORDINAL, Election, Project, as_money
from pb.allocation.outcome import money_json

SECTIONS = ("meta", "projects", "votes")


class PabulibError(ValueError):
    """The text is not a Pabulib file Ashar can use; the message says where and why."""


@dataclass(frozen=True)
class PabulibFile:
    """A file's content as read: META, every PROJECTS column, every VOTES row (all strings).

    The VOTES rows are split on first use (`votes`); `column` takes one column
    without splitting them, which is all an Election needs.
    """

    meta: Mapping[str, str]
    project_columns: tuple[str, ...]
    projects: tuple[Mapping[str, str], ...]
    vote_columns: tuple[str, ...]
    vote_text: str = field(default="", repr=False)      # the VOTES rows, when no field in them is quoted
    vote_rows: tuple | None = field(default=None, repr=False)

    @cached_property
    def votes(self) -> tuple[list, ...]:
        if self.vote_rows is not None:
            return self.vote_rows
        return tuple(line.split(";") for line in self.vote_text.split("\n") if line.strip())

    def column(self, name: str) -> list[str]:
        """One VOTES column, '' where a row lacks it."""
        try:
            i = self.vote_columns.index(name)
        except ValueError:
            return [""] * len(self.votes)
        if self.vote_rows is None and "votes" not in self.__dict__:
            text = self.vote_text
            found = _column_pattern(i).findall(text)
            lines = text.count("\n") + (not text.endswith("\n"))
            if len(found) == lines or len(found) == len(_LINE.findall(text)):
                return found
        return [row[i] if i < len(row) else "" for row in self.votes]

    def election(self, group_column: str | None = None) -> Election:
        """The Election of this file; `group_column` names the PROJECTS column holding each project's village."""
        return to_election(self, group_column)


_LINE = re.compile(r"^[^\n]*\S", re.M)
_SECTION_LINE = re.compile(r"^[ \t]*(meta|projects|votes)[ \t;]*$", re.M | re.I)


@lru_cache(maxsize=16)
def _column_pattern(i: int):
    """Field i of every non-blank line (a line with fewer fields does not match)."""
    if not i:
        return re.compile(r"^(?=[^\n]*\S)([^;\n]*)", re.M)
    return re.compile(r"^(?:[^;\n]*;){%d}([^;\n]*)" % i, re.M)


def read(path) -> PabulibFile:
    """Read a .pb file (UTF-8, with or without a byte-order mark)."""
    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise PabulibError(f"{path}: not UTF-8 text ({exc.reason} at byte {exc.start})") from None
    return parse(text)


def read_election(path, group_column: str | None = None) -> Election:
    """Read a .pb file straight into an Election."""
    return to_election(read(path), group_column)


def parse(text: str) -> PabulibFile:
    """Parse the text of a .pb file into plain data."""
    if text.startswith("\ufeff"):
        text = text[1:]
    stream = io.StringIO(text, newline="")
    reader = csv.reader(stream, delimiter=";")
    tables: dict[str, tuple[list, list]] = {}
    section = None
    vote_text, vote_rows = "", None
    try:
        for row in reader:
            if not row or (len(row) == 1 and not row[0].strip()):
                continue
            name = row[0].strip().lower()
            if name in SECTIONS and not any(cell.strip() for cell in row[1:]):
                if name in tables:
                    raise PabulibError(f"line {reader.line_num}: a second {name.upper()} section")
                header = next(reader, None)
                if header is None:
                    raise PabulibError(f"line {reader.line_num}: the {name.upper()} section has no header")
                section = name
                tables[name] = ([cell.strip() for cell in header], [])
                if name == "votes":
                    # the bulk of a file: kept as text, split only when needed (and then in C)
                    vote_text = text[stream.tell():]
                    later = _SECTION_LINE.search(vote_text)
                    if later:
                        raise PabulibError(f"a {later.group(1).upper()} section after VOTES is not supported")
                    if '"' in vote_text:
                        vote_rows = tuple(row for row in reader if row and (len(row) > 1 or row[0].strip()))
                        vote_text = ""
                    elif "\r" in vote_text:
                        vote_text = vote_text.replace("\r\n", "\n").replace("\r", "\n")
                    break
                continue
            if section is None:
                raise PabulibError(f"line {reader.line_num}: data before the META section")
            tables[section][1].append(row)
    except csv.Error as exc:
        raise PabulibError(f"line {reader.line_num}: {exc}") from None
    for name in SECTIONS:
        if name not in tables:
            raise PabulibError(f"the file has no {name.upper()} section")
    meta = {}
    for row in tables["meta"][1]:
        if len(row) < 2:
            raise PabulibError(f"META: the row {';'.join(row)!r} has no value")
        meta[row[0].strip()] = row[1].strip()
    columns, rows = tables["projects"]
    if not columns or columns[0] != "project_id" or "cost" not in columns:
        raise PabulibError("PROJECTS: the header must start with project_id and have a cost column")
    projects = []
    for row in rows:
        if len(row) > len(columns):
            raise PabulibError(f"PROJECTS: project {row[0].strip()!r} has more fields than the header")
        projects.append({key: value.strip() for key, value in zip(columns, row)})
    vote_columns = tuple(tables["votes"][0])
    if "vote" not in vote_columns:
        raise PabulibError("VOTES: the header has no vote column")
    return PabulibFile(meta, tuple(columns), tuple(projects), vote_columns, vote_text, vote_rows)


def _split(value: str) -> list[str]:
    if " " in value or "\t" in value or ",," in value or value.startswith(",") or value.endswith(","):
        return [part.strip() for part in value.split(",") if part.strip()]
    return value.split(",") if value else []


def to_election(data: PabulibFile, group_column: str | None = None) -> Election:
    """An Election from a parsed file. Ordinal ballots score (k, k-1, ..., 1) for ranks 1..k, k = META max_length."""
    meta = data.meta
    kind = meta.get("vote_type", "").strip()
    if kind not in BALLOT_KINDS:
        raise PabulibError(f"META vote_type {kind or '(missing)'!r} is not supported "
                           f"(supported: {', '.join(BALLOT_KINDS)})")
    if "budget" not in meta:
        raise PabulibError("META has no budget")
    try:
        budget = as_money(meta["budget"])
    except ValueError:
        raise PabulibError(f"META budget {meta['budget']!r} is not a number") from None
    projects = []
    for row in data.projects:
        pid = row.get("project_id", "")
        if not pid:
            raise PabulibError("PROJECTS: a project has no id")
        try:
            cost = as_money(row.get("cost", ""))
        except ValueError:
            raise PabulibError(f"PROJECTS: project {pid!r} has the cost {row.get('cost')!r}, not a number") from None
        group = row.get(group_column) or None if group_column else None
        projects.append(Project(pid, cost, group, row.get("name", "")))
    groups: Counter = Counter()
    if kind == CUMULATIVE:
        if "points" not in data.vote_columns:
            raise PabulibError("VOTES: cumulative ballots need a points column")
        raw = Counter(zip(data.column("vote"), data.column("points")))
        for (vote, points), count in raw.items():
            ids, values = _split(vote), _split(points)
            if ids == ["None"] and values == ["None"]:
                ids, values = [], []
            if len(ids) != len(values):
                raise PabulibError(f"VOTES: the ballot {vote!r} has {len(ids)} projects but {len(values)} points")
            total: dict = {}
            try:
                for pid, value in zip(ids, values):
                    total[pid] = total.get(pid, 0) + as_money(value)
            except ValueError:
                raise PabulibError(f"VOTES: the points {points!r} are not numbers") from None
            groups[tuple(sorted((pid, v) for pid, v in total.items() if v))] += count
    else:
        raw = Counter(data.column("vote"))
        canonical = (lambda ids: tuple(dict.fromkeys(ids))) if kind == ORDINAL else frozenset
        for vote, count in raw.items():
            groups[canonical(_split(vote))] += count
    rank_points = None
    if kind == ORDINAL and meta.get("max_length", "").strip().isdigit():
        rank_points = tuple(range(int(meta["max_length"]), 0, -1))
    try:
        return Election.from_groups(projects, budget, groups, kind, rank_points)
    except ValueError as exc:
        raise PabulibError(f"{exc}") from None


def _number(value) -> str:
    text = money_json(value)
    return str(text)


def write(data, meta: Mapping[str, str] | None = None) -> str:
    """The .pb text of an Election (with optional META entries) or of a PabulibFile as read.

    An Election's grouped ballots are written one row per voter (voter ids 1, 2, ...);
    the text is what pabutools' `parse_pabulib` reads back to the same instance.
    """
    if isinstance(data, PabulibFile):
        head = _tables(dict(data.meta), data.project_columns,
                       [[row.get(c, "") for c in data.project_columns] for row in data.projects], data.vote_columns)
        if data.vote_rows is None:      # the VOTES rows as read, no field quoted: copy them as they are
            text = data.vote_text
            return head + text + ("" if not text or text.endswith("\n") else "\n")
        return head + _lines(data.vote_rows)
    election: Election = data
    head = {"description": "Exported by Ashar", "country": "", "unit": "", "instance": "",
            "num_projects": str(len(election.projects)), "num_votes": str(election.num_voters),
            "budget": _number(election.budget), "vote_type": election.kind, "rule": "unknown"}
    for key, value in (meta or {}).items():
        if key not in ("num_projects", "num_votes", "budget", "vote_type"):
            head[key] = str(value)
    columns = ["project_id", "cost", "name"] + (["group"] if any(p.group for p in election.projects) else [])
    rows = [[p.id, _number(p.cost), p.name or p.id] + ([p.group or ""] if len(columns) == 4 else [])
            for p in election.projects]
    vote_columns = ["voter_id", "vote"] + (["points"] if election.kind == CUMULATIVE else [])
    votes = []
    voter = 0
    for ballot, count in election.ballots:
        if election.kind == CUMULATIVE:
            # pabutools reads an empty points ballot only as None
            cells = [",".join(pid for pid, _ in ballot) or "None",
                     ",".join(_number(points) for _, points in ballot) or "None"]
        elif election.kind == ORDINAL:
            cells = [",".join(ballot)]
        else:
            cells = [",".join(sorted(ballot))]
        for _ in range(count):
            voter += 1
            votes.append([str(voter)] + cells)
    return _tables(head, columns, rows, vote_columns) + _lines(votes)


_SPECIAL = re.compile(r'[;"\r\n]')


def _lines(rows) -> str:
    """CSV lines (`;`, quoted only where needed); a line break inside a field becomes a space.

    pabutools reads line by line: a line break inside a quoted field would be lost.
    """
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\n")
    plain: list[str] = []
    for row in rows:
        cells = [str(cell) for cell in row]
        if any(_SPECIAL.search(cell) for cell in cells):
            out.write("".join(plain))
            plain = []
            writer.writerow([c.replace("\r\n", " ").replace("\n", " ").replace("\r", " ") for c in cells])
        else:
            plain.append(";".join(cells) + "\n")
    out.write("".join(plain))
    return out.getvalue()


def _tables(meta: Mapping[str, str], project_columns, projects, vote_columns) -> str:
    return ("META\nkey;value\n" + _lines([key, value] for key, value in meta.items())
            + "PROJECTS\n" + _lines([project_columns]) + _lines(projects)
            + "VOTES\n" + _lines([vote_columns]))


def selected_ids(data: PabulibFile) -> list[str]:
    """The projects a file marks as funded in its `selected` column (1 or more; Poznań uses 2 and 3)."""
    out = []
    for row in data.projects:
        value = row.get("selected", "").strip()
        try:
            if value and Fraction(value) > 0:
                out.append(row["project_id"])
        except ValueError:
            continue
    return out
