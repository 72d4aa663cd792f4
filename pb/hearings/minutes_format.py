"""Words for the minutes and the notice in the current (or forced) locale: dates, times, durations, shares.

A hearing's starts_at is local time (Asia/Bishkek) and is formatted as it is; flask_babel's date
filters would shift it as if it were UTC. Timestamps written by the server (revisions, publication)
are UTC and go through flask_babel, which converts them.
"""
from babel.dates import format_date as babel_date
from babel.dates import format_time as babel_time
from flask_babel import format_datetime, get_locale, gettext as _

from pb.core.i18n import format_number, format_percent
from pb.hearings.states import AgeBand


def local_date(value, fmt="long"):
    """The date of a local (Bishkek) time, e.g. "14 февраля 2027 г."."""
    return babel_date(value.date(), fmt, locale=get_locale()) if value else ""


def local_time(value):
    """The clock time of a local (Bishkek) time, e.g. "10:30"."""
    return babel_time(value.time(), "short", locale=get_locale()) if value else ""


def server_time(value):
    """A UTC timestamp of the server, shown in Bishkek time."""
    return format_datetime(value, "short") if value else ""


def minutes_of(seconds):
    """A duration in whole minutes ("12 min"); a started minute counts."""
    if seconds is None:
        return "—"
    return _("%(n)s min", n=format_number((seconds + 59) // 60))


def share_of(value):
    """A share as a percentage with one decimal, or a dash when nobody was counted."""
    return format_percent(value, 1) if value is not None else "—"


def count_label(key):
    """The label of a breakdown line: a village name, "not said", or an age band."""
    if key is None:
        return _("village not said")
    if isinstance(key, AgeBand):
        return str(key.label)
    return key


def person(name, village):
    """Who spoke: "name (village)", or what is known of it."""
    if name and village:
        return f"{name} ({village})"
    return name or village or _("a participant")
