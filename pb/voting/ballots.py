"""What makes a ballot valid for its round's method; the reason, in the voter's words, when it is not.

A ballot is {proposal_id: value}: 1 for a chosen proposal (approval, knapsack), the points given
(cumulative), the place 1..k (ranking). parse_choices turns what a form or a device sent into that.
"""
from flask_babel import lazy_gettext as _l

from pb.core.errors import ValidationFailed
from pb.core.i18n import format_money
from pb.voting.states import Method

MAX_VALUE = 1_000_000


def parse_choices(raw):
    """{id: value} from a dict or a list of ids (value 1); ValidationFailed on anything else."""
    if isinstance(raw, (list, tuple)):
        raw = {item: 1 for item in raw}
    if not isinstance(raw, dict):
        raise ValidationFailed.single("choices", _l("The ballot could not be read."))
    choices = {}
    for key, value in raw.items():
        try:
            proposal_id, number = int(key), int(value)
        except (TypeError, ValueError):
            raise ValidationFailed.single("choices", _l("The ballot could not be read.")) from None
        if isinstance(value, float) or isinstance(value, bool) or not 0 <= number <= MAX_VALUE:
            raise ValidationFailed.single("choices", _l("The ballot could not be read."))
        if number:
            choices[proposal_id] = number
    return choices


def check_ballot(round_, costs, choices):
    """Raise ValidationFailed with the reason unless choices is a valid ballot; costs is {proposal_id: cost}."""
    unknown = set(choices) - set(costs)
    if unknown:
        raise ValidationFailed.single("choices", _l("The ballot names a proposal that is not on it."))
    count = len(choices)
    method = round_.method
    if method in (Method.APPROVAL, Method.KNAPSACK) and any(v != 1 for v in choices.values()):
        raise ValidationFailed.single("choices", _l("The ballot could not be read."))
    if count == 0:
        raise ValidationFailed.single("choices", _l("Choose at least one proposal."))
    if method == Method.APPROVAL:
        _check_count(round_, count)
    elif method == Method.KNAPSACK:
        total = sum(costs[pid] for pid in choices)
        if total > round_.amount:
            raise ValidationFailed.single("choices", _l(
                "The proposals you chose cost %(total)s together, more than the %(amount)s to share. "
                "Remove one or more.", total=format_money(total), amount=format_money(round_.amount)))
    elif method == Method.CUMULATIVE:
        spent = sum(choices.values())
        if spent > round_.points:
            raise ValidationFailed.single("choices", _l(
                "You gave %(spent)d points; you have %(points)d to spread.", spent=spent, points=round_.points))
    elif method == Method.RANKING:
        if count > round_.rank_depth:
            raise ValidationFailed.single("choices", _l(
                "Rank at most %(k)d proposals.", k=round_.rank_depth))
        if sorted(choices.values()) != list(range(1, count + 1)):
            raise ValidationFailed.single("choices", _l(
                "Give each ranked proposal its own place: 1, 2, 3 and so on, without gaps."))
        _check_count(round_, count)
    return choices


def _check_count(round_, count):
    low, high = round_.min_choices or 1, round_.max_choices
    if round_.method == Method.RANKING:
        high = round_.rank_depth
    if count < low:
        raise ValidationFailed.single("choices", _l("Choose at least %(n)d proposals.", n=low))
    if count > high:
        raise ValidationFailed.single("choices", _l("Choose at most %(n)d proposals.", n=high))

