"""Seat apportionment for a municipality's villages."""
import pytest

from pb.core.errors import ValidationFailed
from pb.groups.services import compute_seats
from tests import factories as f


def test_seats_by_voters_with_sainte_lague(db):
    municipality = f.make_municipality()
    a = f.make_village(municipality, registered_voters=100000)
    b = f.make_village(municipality, registered_voters=80000)
    c = f.make_village(municipality, registered_voters=30000)
    d = f.make_village(municipality, registered_voters=20000)
    result = compute_seats(municipality, 7, "voters", None, "sainte_lague")
    assert [result.seats[v.id] for v in (a, b, c, d)] == [3, 2, 1, 1]


def test_seats_without_figures_is_a_clear_error(db):
    municipality = f.make_municipality()
    f.make_village(municipality, registered_voters=0, revenue_contribution=0)
    with pytest.raises(ValidationFailed):
        compute_seats(municipality, 5, "voters", None, "dhondt")


def test_seat_page_shows_the_arithmetic(client):
    municipality = f.make_municipality(slug="nookat")
    f.make_village(municipality, name="Кара-Таш", registered_voters=5320, revenue_contribution=2650000)
    f.make_village(municipality, name="Сары-Булак", registered_voters=4150, revenue_contribution=1900000)
    page = client.get("/m/nookat/seats?seats=9&weighting=mix&voters_percent=50&method=largest_remainder")
    text = page.get_data(as_text=True)
    assert page.status_code == 200 and "Кара-Таш" in text and "<strong>5</strong>" in text
