"""Filters and globals every template can use."""
from flask_babel import format_date, format_datetime, get_locale

from pb.core.i18n import LANGUAGE_NAMES, format_money, format_number, format_percent, pick


def register(app):
    app.jinja_env.filters.update(
        money=format_money,
        number=format_number,
        percent=format_percent,
        date=format_date,
        datetime=lambda value: format_datetime(value, "short") if value else "",
    )
    app.jinja_env.globals.update(
        pick=pick, LANGUAGE_NAMES=LANGUAGE_NAMES, current_locale=lambda: str(get_locale())
    )
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
