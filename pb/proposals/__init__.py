"""Proposals: residents' community priorities for a budget, their review, support and photos."""
