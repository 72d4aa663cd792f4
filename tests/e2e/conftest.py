"""A live server with the demo data on a SQLite file, and Debian's Chromium driven by Playwright."""
import os
import shutil
import threading

import pytest
from flask_migrate import upgrade
from werkzeug.serving import make_server

from config import TestConfig
from pb import create_app

CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"


@pytest.fixture(scope="session")
def live_server(tmp_path_factory):
    folder = tmp_path_factory.mktemp("e2e")

    class Config(TestConfig):
        SQLALCHEMY_DATABASE_URI = f"sqlite:///{folder / 'ashar.db'}"
        MAIL_OUTBOX_DIR = str(folder / "outbox")
        UPLOAD_DIR = str(folder / "uploads")
        WTF_CSRF_ENABLED = True
        # every browser logs in from 127.0.0.1: the journeys of one worker would pass the real limit
        # (integration tests check the limit itself)
        LOGIN_RATE_LIMIT = "1000 per minute"

    app = create_app(Config)
    with app.app_context():
        upgrade()
        from pb.demo.seed import load_demo

        load_demo()
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}", app
    server.shutdown()
    thread.join()


@pytest.fixture(scope="session")
def browser():
    if not os.path.exists(CHROMIUM):
        pytest.fail(f"Chromium not found at {CHROMIUM}: install Debian's chromium (see .ci/run)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run"],
        )
        yield browser
        browser.close()


@pytest.fixture
def phone(browser):
    """A cheap phone's screen."""
    context = browser.new_context(viewport={"width": 360, "height": 740}, locale="ky-KG")
    page = context.new_page()
    page.set_default_timeout(10000)
    yield page
    context.close()
