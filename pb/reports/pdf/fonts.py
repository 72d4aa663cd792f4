"""DejaVu Sans, embedded in every PDF so that Kyrgyz (ң ө ү) and Russian letters render anywhere.

The TTF files come from npm (`make static/vendor/.installed`) and are never committed.
"""
import threading
from pathlib import Path

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.pdfmetrics import registerFontFamily
from reportlab.pdfbase.ttfonts import TTFont

FONT_DIR = Path(__file__).resolve().parents[3] / "static" / "vendor" / "fonts"
REGULAR = "DejaVuSans"
BOLD = "DejaVuSans-Bold"
FILES = {REGULAR: "DejaVuSans.ttf", BOLD: "DejaVuSans-Bold.ttf"}

_lock = threading.Lock()
_registered = False


class FontsMissing(RuntimeError):
    """The TTF files are not installed."""


def register_fonts():
    """Register the regular and bold faces with ReportLab, once per process (thread-safe)."""
    global _registered
    if _registered:
        return
    with _lock:
        if _registered:
            return
        for name, filename in FILES.items():
            path = FONT_DIR / filename
            if not path.is_file():
                raise FontsMissing(f"{path} is missing: run `make static/vendor/.installed`")
            pdfmetrics.registerFont(TTFont(name, str(path)))
        # <b> in paragraph markup picks the bold face; DejaVu Sans has no italic among our files
        registerFontFamily(REGULAR, normal=REGULAR, bold=BOLD, italic=REGULAR, boldItalic=BOLD)
        _registered = True
