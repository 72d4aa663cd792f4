"""Configuration read from the environment (12-factor); SQLite is the embedded default."""
import os
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent


def _env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


class Config:
    SECRET_KEY = os.environ.get("SECRET_KEY", "dev-only-not-secret")
    SQLALCHEMY_DATABASE_URI = os.environ.get(
        "DATABASE_URL", f"sqlite:///{BASE_DIR / 'instance' / 'ashar.db'}"
    )
    # a connection idle longer than this is checked before use (pb/core/pool.py), not every one at every checkout
    DATABASE_PING_AFTER = float(os.environ.get("DATABASE_PING_AFTER", "10"))
    REDIS_URL = os.environ.get("REDIS_URL")
    RATELIMIT_STORAGE_URI = os.environ.get("REDIS_URL") or "memory://"
    RATELIMIT_HEADERS_ENABLED = True
    LOGIN_RATE_LIMIT = os.environ.get("LOGIN_RATE_LIMIT", "10 per minute;50 per hour")

    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = _env_bool("SESSION_COOKIE_SECURE", False)
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_SECURE = SESSION_COOKIE_SECURE
    PERMANENT_SESSION_LIFETIME = 60 * 60 * 24 * 14
    WTF_CSRF_TIME_LIMIT = None  # a tablet left open through a long hearing keeps working

    BASE_URL = os.environ.get("BASE_URL", "http://127.0.0.1:5000")  # links in e-mails
    MAIL_SERVER = os.environ.get("MAIL_SERVER")
    MAIL_PORT = int(os.environ.get("MAIL_PORT", "25"))
    MAIL_USE_TLS = _env_bool("MAIL_USE_TLS")
    MAIL_USERNAME = os.environ.get("MAIL_USERNAME")
    MAIL_PASSWORD = os.environ.get("MAIL_PASSWORD")
    MAIL_DEFAULT_SENDER = os.environ.get("MAIL_DEFAULT_SENDER", "ashar@localhost")
    MAIL_OUTBOX_DIR = os.environ.get("MAIL_OUTBOX_DIR", str(BASE_DIR / "instance" / "outbox"))

    LANGUAGES = ("ky", "ru", "en")
    BABEL_DEFAULT_LOCALE = "ky"
    BABEL_DEFAULT_TIMEZONE = "Asia/Bishkek"
    BABEL_TRANSLATION_DIRECTORIES = str(BASE_DIR / "pb" / "translations")

    MAX_CONTENT_LENGTH = 22 * 1024 * 1024  # four photos of 5 MB and a form
    UPLOAD_DIR = os.environ.get("UPLOAD_DIR", str(BASE_DIR / "instance" / "uploads"))
    PHOTO_MAX_BYTES = 5 * 1024 * 1024
    PHOTO_MAX_COUNT = 4
    PHOTO_MAX_SIDE = 1600
    VOTING_CODE_RATE_LIMIT = os.environ.get("VOTING_CODE_RATE_LIMIT", "10 per 10 minutes")
    KIOSK_CODE_RATE_LIMIT = os.environ.get("KIOSK_CODE_RATE_LIMIT", "10 per minute")
    KIOSK_ADDRESS_RATE_LIMIT = os.environ.get("KIOSK_ADDRESS_RATE_LIMIT", "30 per minute")
    API_RATE_PER_MINUTE = int(os.environ.get("API_RATE_PER_MINUTE", "300"))
    COMMENT_MAX_LENGTH = 2000
    COMMENT_MAX_DEPTH = 3
    COMMENT_RATE_LIMIT = os.environ.get("COMMENT_RATE_LIMIT", "5 per minute;60 per day")
    COMMENT_REPORT_THRESHOLD = int(os.environ.get("COMMENT_REPORT_THRESHOLD", "3"))
    IMPORT_MAX_ROWS = 5000
    PER_PAGE = 50


class TestConfig(Config):
    TESTING = True
    SECRET_KEY = "test-secret"
    SQLALCHEMY_DATABASE_URI = os.environ.get("TEST_SQLITE_URL", "sqlite://")
    RATELIMIT_STORAGE_URI = "memory://"
    WTF_CSRF_ENABLED = False
    MAIL_SERVER = None


class ProductionConfig(Config):
    SESSION_COOKIE_SECURE = _env_bool("SESSION_COOKIE_SECURE", True)
    REMEMBER_COOKIE_SECURE = SESSION_COOKIE_SECURE
    PREFERRED_URL_SCHEME = "https"

    def __init__(self):
        if not os.environ.get("SECRET_KEY"):
            raise RuntimeError("SECRET_KEY must be set in production")
        if not os.environ.get("DATABASE_URL"):
            raise RuntimeError("DATABASE_URL must be set in production")


CONFIGS = {"development": Config, "testing": TestConfig, "production": ProductionConfig}


def config_from_env():
    """Pick the configuration class named by ASHAR_ENV (development by default)."""
    return CONFIGS[os.environ.get("ASHAR_ENV", "development")]
