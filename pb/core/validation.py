"""Reading a text field of raw input (a dict of strings) for a service, with the messages every form shows."""
from flask_babel import lazy_gettext as _l


def text_field(data, field, limit, errors, required=False):
    """The field's text, stripped; a missing or too long one adds (field, message) to errors."""
    value = data.get(field)
    text = value.strip() if isinstance(value, str) else ""
    if required and not text:
        errors.append((field, _l("This field is required.")))
    elif len(text) > limit:
        errors.append((field, _l("At most %(n)d characters.", n=limit)))
    return text
