"""Voting, as residents see it: the round's public page, the ballot, receipts and results."""
from flask import Blueprint

bp = Blueprint("voting", __name__)
