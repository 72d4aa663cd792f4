"""Threaded comments on budgets, lines, proposals and hearings; official answers; moderation."""
