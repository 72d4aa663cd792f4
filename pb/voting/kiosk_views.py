"""Kiosk mode: a tablet at the hearing that only takes ballots, online or offline."""
from flask import Blueprint

bp = Blueprint("kiosk", __name__)
