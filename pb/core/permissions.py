"""Access declared once: domains register rules; views ask can(actor, action, obj)."""
from functools import wraps

from flask import abort
from flask_login import current_user

from pb.core.errors import PermissionDenied

_RULES = {}


def rule(model, action):
    """Register fn(actor, obj, **kw) -> bool as the rule for (model, action)."""

    def decorator(fn):
        _RULES[(model, action)] = fn
        return fn

    return decorator


def can(actor, action, obj, **kwargs):
    """Whether actor (a user, or an anonymous one) may do action on obj."""
    if actor is None or not getattr(actor, "is_authenticated", False):
        actor = None
    for cls in type(obj).__mro__:
        fn = _RULES.get((cls, action))
        if fn is not None:
            return bool(fn(actor, obj, **kwargs))
    raise LookupError(f"no rule for {type(obj).__name__}.{action}")


def ensure(actor, action, obj, **kwargs):
    """Raise PermissionDenied unless can(...)."""
    if not can(actor, action, obj, **kwargs):
        raise PermissionDenied()


def admin_required(view):
    """Only the platform admin; others get 403, anonymous users the login page."""

    @wraps(view)
    def wrapped(*args, **kwargs):
        if not current_user.is_authenticated:
            from pb.extensions import login_manager

            return login_manager.unauthorized()
        if not current_user.is_admin:
            abort(403)
        return view(*args, **kwargs)

    return wrapped
