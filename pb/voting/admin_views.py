"""Preparing and running a round: settings, codes, the registration desk, paper ballots."""
from flask import Blueprint

bp = Blueprint("voting_admin", __name__)
