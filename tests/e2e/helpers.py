"""What the browser journeys share: labels as the user reads them, and logging in."""
from flask_babel import force_locale, gettext

from pb.demo.seed import DEMO_PASSWORD


def tr(app, text, lang="ky", **params):
    """The interface label in a language (Kyrgyz, the default, unless told)."""
    with app.test_request_context(), force_locale(lang):
        return gettext(text, **params)


def login(page, base, who):
    """Log in as a demo account through the form and land on the start page."""
    page.goto(f"{base}/login")
    page.fill("#login", who)
    page.fill("#password", DEMO_PASSWORD)
    page.locator("main form button.primary").click()
    page.wait_for_url(f"{base}/")
