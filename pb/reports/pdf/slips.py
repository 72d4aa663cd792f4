"""A4 sheets of voting-code slips to cut apart: 2 × 5 a page, each with the municipality and the round,
the code in large letters, its QR code, the closing time and short instructions in Kyrgyz and Russian.

The clear codes exist only in this document: the database keeps their hashes.
"""
import io
from dataclasses import dataclass
from datetime import datetime
from typing import Callable

from flask_babel import force_locale, gettext as _
from reportlab.graphics.barcode import qrencoder
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import cm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen import canvas
from reportlab.platypus import Paragraph

from pb.hearings.minutes_format import local_date, local_time
from pb.reports.pdf.base import text
from pb.reports.pdf.fonts import BOLD, REGULAR, register_fonts
from pb.voting.codes import display

COLUMNS, ROWS = 2, 5
PER_PAGE = COLUMNS * ROWS
LANGUAGES = ("ky", "ru")
MARGIN = 1 * cm  # printers leave the edge of the sheet blank
PAD = 0.3 * cm
QR_SIZE = 2.8 * cm
SLIP_WIDTH = (A4[0] - 2 * MARGIN) / COLUMNS
SLIP_HEIGHT = (A4[1] - 2 * MARGIN) / ROWS
QR_QUIET = 2  # modules of white around the code (the cut line adds more)
CODE_SIZE = 18
CUT = colors.HexColor("#8c959f")


@dataclass(frozen=True)
class Slips:
    """What the slips of one batch say; url(code) is the absolute address the QR code opens."""

    municipality: str
    title: str
    closes_at: datetime  # local time, shown as it is
    codes: list
    url: Callable[[str], str]
    label: str = ""


def render_slips_pdf(slips):
    """The slips as PDF bytes: ceil(codes / 10) A4 pages."""
    if not slips.codes:
        raise ValueError("a sheet of slips needs at least one code")
    register_fonts()
    fixed = _fixed_parts(slips)
    encode = _Encoder()
    out = io.BytesIO()
    # invariant: no creation time or random id in the file (as every Ashar PDF)
    canv = canvas.Canvas(out, pagesize=A4, invariant=1, initialFontName=REGULAR, initialFontSize=8)
    canv.setTitle(f"{slips.title} — {slips.municipality}")
    canv.setAuthor("Ashar")
    canv.setCreator("Ashar")
    pages = (len(slips.codes) + PER_PAGE - 1) // PER_PAGE
    for page in range(pages):
        for i, code in enumerate(slips.codes[page * PER_PAGE:(page + 1) * PER_PAGE]):
            row, column = divmod(i, COLUMNS)
            x = MARGIN + column * SLIP_WIDTH
            y = A4[1] - MARGIN - (row + 1) * SLIP_HEIGHT
            _slip(canv, x, y, display(code), slips.url(display(code)), fixed, encode)
        _footer(canv, slips, page + 1, pages)
        canv.showPage()
    canv.save()
    return out.getvalue()


def _style(name, size, font=REGULAR):
    return ParagraphStyle(name, fontName=font, fontSize=size, leading=round(size * 1.2, 1))


def _fitted(value, width, height, font, sizes):
    """The text as a paragraph wrapped to width, in the largest of sizes that fits height (shortened if none does)."""
    for size in sizes:
        paragraph = Paragraph(text(value), _style(f"fit{size}", size, font))
        _w, h = paragraph.wrap(width, height)
        if h <= height:
            return paragraph, h
    shorter = value[:80].rsplit(" ", 1)[0] + "…"
    paragraph = Paragraph(text(shorter), _style("fit-min", sizes[-1], font))
    return paragraph, paragraph.wrap(width, height)[1]


def _fixed_parts(slips):
    """What every slip of the batch shares, wrapped once: the heading and the instructions."""
    column = SLIP_WIDTH - 2 * PAD - QR_SIZE - 0.25 * cm
    full = SLIP_WIDTH - 2 * PAD
    captions, instructions = [], []
    for lang in LANGUAGES:
        with force_locale(lang):
            captions.append(_("Voting code"))
            when = _("Voting closes on %(date)s at %(time)s.", date=local_date(slips.closes_at, "long"),
                     time=local_time(slips.closes_at))
            how = _("Enter this code at the hearing's tablet or scan the QR code with your phone. "
                    "The code works once.")
            instructions.append(f'<font name="{BOLD}">{text(when)}</font> {text(how)}')
    heading_room = QR_SIZE - CODE_SIZE - 12
    municipality, m_height = _fitted(slips.municipality, column, heading_room / 2, REGULAR, (7, 6.5, 6, 5.5))
    title, t_height = _fitted(slips.title, column, heading_room - m_height, BOLD, (8.5, 8, 7.5, 7, 6.5, 6))
    caption = " · ".join(dict.fromkeys(captions))
    room = SLIP_HEIGHT - 2 * PAD - QR_SIZE - 0.15 * cm
    sizes = (7.6, 7.3, 7, 6.7, 6.4, 6.1, 5.8, 5.5)
    for size in sizes:  # both languages at one size, the largest that fits under the QR code
        paragraphs = [Paragraph(markup, _style(f"how{size}", size)) for markup in instructions]
        heights = [p.wrap(full, room)[1] for p in paragraphs]
        if sum(heights) + 2 <= room or size == sizes[-1]:
            break
    return dict(column=column, full=full, municipality=(municipality, m_height), title=(title, t_height),
                caption=caption, instructions=list(zip(paragraphs, heights)))


def _slip(canv, x, y, code, url, fixed, encode):
    canv.saveState()
    canv.setDash(3, 3)
    canv.setStrokeColor(CUT)
    canv.setLineWidth(0.4)
    canv.rect(x, y, SLIP_WIDTH, SLIP_HEIGHT)  # the cut lines
    canv.restoreState()
    top = y + SLIP_HEIGHT - PAD
    left = x + PAD
    _qr(canv, encode(url), url, left, top - QR_SIZE)
    column_x = left + QR_SIZE + 0.25 * cm
    cursor = top
    for paragraph, height in (fixed["municipality"], fixed["title"]):
        paragraph.drawOn(canv, column_x, cursor - height)
        cursor -= height + 1
    size = min(CODE_SIZE, fixed["column"] / stringWidth(code, BOLD, 1))
    base = top - QR_SIZE + 2
    canv.setFillColor(colors.black)
    canv.setFont(REGULAR, 6)
    canv.drawString(column_x, base + size + 3, fixed["caption"])
    canv.setFont(BOLD, size)
    canv.drawString(column_x, base, code)
    cursor = top - QR_SIZE - 0.15 * cm
    for paragraph, height in fixed["instructions"]:
        paragraph.drawOn(canv, left, cursor - height)
        cursor -= height + 2


class _Encoder:
    """QR codes of a batch's addresses, which differ only in their code: the mask pattern that suits the
    first (of the eight the standard allows) is used for all, sparing seven trial encodings a code."""

    def __init__(self):
        self.mask = None

    def __call__(self, url):
        qr = qrencoder.QRCode(None, qrencoder.QRErrorCorrectLevel.M)
        qr.addData(url)
        qr.version = qr.calculate_version()
        if self.mask is None:
            self.mask = qr.getBestMaskPattern()
        qr.makeImpl(False, self.mask)
        return qr


def _qr(canv, qr, url, x, y):
    """The QR code as one filled path of dark runs, written in module units.

    QrCodeWidget draws every module as a shape and takes a fifth of a second a code: too slow for a
    batch of two thousand slips. This draws what the same encoder made.
    """
    count = qr.getModuleCount()
    box = QR_SIZE / (count + 2 * QR_QUIET)
    runs = []
    for row, modules in enumerate(qr.modules):
        col = 0
        while col < count:
            if modules[col]:
                start = col
                while col < count and modules[col]:
                    col += 1
                runs.append(f"{start} {row} {col - start} 1 re")
            col += 1
    canv.saveState()
    canv.setFillColor(colors.black)
    # module (col, row) at (col, row) with rows going down from the top-left corner of the quiet zone
    top = y + QR_SIZE - QR_QUIET * box
    canv.transform(box, 0, 0, -box, x + QR_QUIET * box, top)
    canv.addLiteral("\n".join(runs) + "\nf")
    canv.restoreState()
    canv.linkURL(url, (x, y, x + QR_SIZE, y + QR_SIZE), relative=0, thickness=0)


def _footer(canv, slips, page, pages):
    canv.saveState()
    canv.setFont(REGULAR, 6.5)
    canv.setFillColor(colors.HexColor("#444444"))
    left = " · ".join(part for part in (slips.municipality, slips.title, slips.label) if part)
    canv.drawString(MARGIN, 0.45 * cm, left[:140])
    canv.drawRightString(A4[0] - MARGIN, 0.45 * cm, f"{page} / {pages}")
    canv.restoreState()
