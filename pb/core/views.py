"""Helpers shared by views: page-or-fragment rendering, form errors, paging args."""
from flask import render_template, request

from pb.extensions import htmx


def render(page, fragment=None, **context):
    """The whole page, or only its fragment for an htmx request (not a history restore)."""
    if fragment and htmx and not htmx.history_restore_request:
        return render_template(fragment, **context)
    return render_template(page, **context)


def apply_errors(form, errors):
    """Put a service's ValidationFailed errors onto the form's fields (or the form)."""
    for field_name, message in errors:
        field = getattr(form, field_name, None) if field_name else None
        if field is not None and hasattr(field, "errors"):
            if not isinstance(field.errors, list):
                field.errors = list(field.errors)
            field.errors.append(message)
        else:
            form.form_errors.append(message)


def page_arg():
    try:
        return max(1, int(request.args.get("page", 1)))
    except ValueError:
        return 1
