"""A hearing's date is local (Asia/Bishkek) and naive: shown as entered, never shifted by a time zone."""
from babel.dates import format_date, format_time
from flask_babel import get_locale


def format_when(value):
    """"14 February 2027, 10:00" in the current language, without converting the local time."""
    if value is None:
        return "—"
    locale = str(get_locale())
    return f"{format_date(value, 'long', locale=locale)}, {format_time(value, 'HH:mm', locale=locale)}"


def format_day(value):
    """The date alone, long form, in the current language."""
    return format_date(value, "long", locale=str(get_locale())) if value else "—"


def format_minutes(seconds):
    """Elapsed time as m:ss (or h:mm:ss past the hour), as the console shows it."""
    seconds = max(0, int(seconds or 0))
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"
