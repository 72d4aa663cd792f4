"""What can be commented on: a registry of target types, each with a loader.

A domain's loader turns an id into a CommentTarget (or None when there is no such object).
Budgets and lines are registered in pb.comments.budget_targets; proposals and hearings register
the same way, so that this module knows no domain.
"""
from dataclasses import dataclass

from flask import current_app, g, has_request_context

from pb.core.errors import NotFound

_LOADERS = {}  # target_type -> load(target_id) -> CommentTarget | None


@dataclass(frozen=True)
class CommentTarget:
    """Something with a thread: where it belongs, how to name and link it, who follows it."""

    type: str
    id: int
    municipality_id: int
    title: str
    url: str
    follow_type: str  # notifications go to the followers of this (e.g. a line's budget)
    follow_id: int
    public: bool  # anyone may read (and, logged in, write); otherwise only the municipality's insiders


def register_comment_target(target_type, load):
    """Register load(target_id) -> CommentTarget | None for a target type."""
    _LOADERS[target_type] = load


def known_types():
    """The registered target types."""
    return set(_LOADERS)


def load_target(target_type, target_id):
    """The target, or NotFound; works outside a request too (titles and links in the default language)."""
    load = _LOADERS.get(target_type)
    if load is None:
        raise NotFound()
    if has_request_context():
        target = load(target_id)
    else:  # services run from the CLI and from tests: url_for and the locale need a request
        saved = dict(vars(g))  # the borrowed request must not leave its user or locale in g
        try:
            with current_app.test_request_context(base_url=current_app.config["BASE_URL"]):
                target = load(target_id)
        finally:
            vars(g).clear()
            vars(g).update(saved)
    if target is None:
        raise NotFound()
    return target
