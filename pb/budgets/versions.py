"""Snapshots of a budget's lines and their line-by-line comparison."""
import json
from dataclasses import dataclass
from decimal import Decimal

from pb.budgets.states import Category, LineKind

AMOUNTS = ("approved_last_year", "executed_last_year", "proposed")
TEXTS = ("name_ky", "name_ru", "category", "note")


def snapshot_lines(lines):
    """The lines as JSON text: the immutable content of a version.

    A line made from a proposal also names it (the key is absent otherwise, so that snapshots taken
    before lines could point at proposals compare equal to today's).
    """
    rows = [
        _with_proposal(line, {
            "kind": line.kind.value,
            "code": line.code,
            "name_ky": line.name_ky,
            "name_ru": line.name_ru,
            "category": line.category.value,
            "approved_last_year": str(line.approved_last_year),
            "executed_last_year": str(line.executed_last_year),
            "proposed": str(line.proposed),
            "note": line.note,
        })
        for line in lines
    ]
    rows.sort(key=lambda r: (r["kind"] != "revenue", r["code"]))
    return json.dumps(rows, ensure_ascii=False, sort_keys=True)


def _with_proposal(line, row):
    if getattr(line, "proposal_id", None) is not None:
        row["proposal_id"] = line.proposal_id
    return row


@dataclass(frozen=True)
class SnapshotLine:
    kind: LineKind
    code: str
    name_ky: str
    name_ru: str
    category: Category
    approved_last_year: Decimal
    executed_last_year: Decimal
    proposed: Decimal
    note: str
    proposal_id: int | None = None


def load_snapshot(text):
    return [
        SnapshotLine(
            kind=LineKind(r["kind"]),
            code=r["code"],
            name_ky=r["name_ky"],
            name_ru=r["name_ru"],
            category=Category(r["category"]),
            approved_last_year=Decimal(r["approved_last_year"]),
            executed_last_year=Decimal(r["executed_last_year"]),
            proposed=Decimal(r["proposed"]),
            note=r["note"],
            proposal_id=r.get("proposal_id"),
        )
        for r in json.loads(text)
    ]


@dataclass(frozen=True)
class LineDiff:
    status: str  # "added", "removed", "changed", "same"
    kind: LineKind
    code: str
    old: SnapshotLine | None
    new: SnapshotLine | None
    changed_fields: tuple

    @property
    def line(self):
        return self.new or self.old

    @property
    def proposed_change(self):
        before = self.old.proposed if self.old else Decimal(0)
        after = self.new.proposed if self.new else Decimal(0)
        return after - before


def compare(old_lines, new_lines):
    """Pair lines by (kind, code) and say what was added, removed or changed."""
    old = {(line.kind, line.code): line for line in old_lines}
    new = {(line.kind, line.code): line for line in new_lines}
    diffs = []
    for key in sorted(old.keys() | new.keys(), key=lambda k: (k[0] != LineKind.REVENUE, k[1])):
        a, b = old.get(key), new.get(key)
        if a is None:
            diffs.append(LineDiff("added", key[0], key[1], None, b, ()))
        elif b is None:
            diffs.append(LineDiff("removed", key[0], key[1], a, None, ()))
        else:
            fields = tuple(f for f in AMOUNTS + TEXTS if getattr(a, f) != getattr(b, f))
            diffs.append(LineDiff("changed" if fields else "same", key[0], key[1], a, b, fields))
    return diffs
