"""The ballot form, shared by the resident's and the code holder's pages.

Not a WTForms form: its fields are one per proposal and change with the method. Each proposal's
mark is the field v-<proposal id>: a checkbox worth 1 (approval, knapsack), the points given
(cumulative) or the place 1..k (ranking). What the voter marked is handed to ballots.parse_choices
as it is, so that the service gives the one reason for a ballot it cannot read.
"""
import random
import uuid
from dataclasses import dataclass

from pb.voting.states import Method

PREFIX = "v-"


def read_marks(form):
    """{proposal id (text): value (text)} as the voter marked them; empty fields are left out."""
    marks = {}
    for name in form:
        if name.startswith(PREFIX):
            value = (form.get(name) or "").strip()
            if value:
                marks[name[len(PREFIX):]] = value[:20]
    return marks


def shown_marks(marks):
    """The marks by proposal id, to tick the boxes and refill the fields the voter filled."""
    return {int(key): value for key, value in marks.items() if key.isdigit()}


def ordered_entries(entries, seed):
    """The ballot's proposals in an order of their own for one voter and round (seed), the same at every reload."""
    entries = sorted(entries, key=lambda entry: entry.proposal_id)
    random.Random(seed).shuffle(entries)
    return entries


def new_client_key():
    """The key of one confirmation: sending it again counts the ballot once."""
    return uuid.uuid4().hex


@dataclass(frozen=True)
class Chosen:
    entry: object  # RoundProposal
    value: int


def chosen(round_, choices, ordered):
    """What the review step lists: the chosen proposals in ballot order (by place for a ranking)."""
    rows = [Chosen(entry, choices[entry.proposal_id]) for entry in ordered if entry.proposal_id in choices]
    if round_.method == Method.RANKING:
        rows.sort(key=lambda row: row.value)
    return rows
