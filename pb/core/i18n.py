"""Locale selection and locale-aware formatting of numbers and money."""
from decimal import Decimal
from fractions import Fraction

from babel.numbers import format_decimal as babel_format_decimal
from flask import current_app, session
from flask_babel import get_locale, lazy_gettext as _l
from flask_login import current_user

LANGUAGE_NAMES = {"ky": "Кыргызча", "ru": "Русский", "en": "English"}


def select_locale():
    """The user's saved language, else the session's, else Kyrgyz."""
    languages = current_app.config["LANGUAGES"]
    if current_user and current_user.is_authenticated and current_user.language in languages:
        return current_user.language
    lang = session.get("lang")
    if lang in languages:
        return lang
    return current_app.config["BABEL_DEFAULT_LOCALE"]


def _decimal(value):
    if isinstance(value, Fraction):
        return Decimal(value.numerator) / Decimal(value.denominator)
    return Decimal(value)


def format_number(value, digits=0):
    """A number grouped per locale, rounded to digits places."""
    if value is None:
        return "—"
    value = _decimal(value)
    quant = Decimal(1).scaleb(-digits) if digits else Decimal(1)
    pattern = "#,##0" + ("." + "0" * digits if digits else "")
    return babel_format_decimal(Decimal(value).quantize(quant), format=pattern, locale=str(get_locale()))


def format_money(value, digits=0):
    """An amount in som, grouped per locale: "1 234 567 сом" / "1,234,567 som"."""
    if value is None:
        return "—"
    return _l("%(amount)s som", amount=format_number(value, digits))


def format_percent(value, digits=1):
    if value is None:
        return "—"
    return format_number(_decimal(value) * 100, digits) + "%"


def pick(obj, field):
    """The field in the current language: name_ky / name_ru, Kyrgyz for English too."""
    lang = str(get_locale())
    value = getattr(obj, f"{field}_{lang}", None) if lang != "en" else None
    return value or getattr(obj, f"{field}_ky", None) or getattr(obj, f"{field}_ru", "")
