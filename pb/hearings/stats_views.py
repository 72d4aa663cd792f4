"""Public statistics of hearings: for the whole platform and for each municipality."""
from flask import Blueprint

from pb.core.views import render
from pb.hearings import minutes_format, stats
from pb.places import services as places

bp = Blueprint("stats", __name__)


@bp.route("/stats")
def show_platform_stats():
    """Hearings on the platform per year: participants, women and youth, questions, proposals."""
    return render("reports/hearing_stats.html", municipality=None, stats=stats.hearing_stats(),
                  municipalities=stats.municipalities_with_hearings(), fmt=minutes_format)


@bp.route("/m/<slug>/stats")
def show_municipality_stats(slug):
    """The same figures for one municipality."""
    municipality = places.get_municipality(slug)
    return render("reports/hearing_stats.html", municipality=municipality,
                  stats=stats.hearing_stats(municipality.id), municipalities=(), fmt=minutes_format)
