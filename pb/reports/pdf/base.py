"""What every Ashar PDF shares: A4 pages, DejaVu styles, "page N of M" footers, safe user text."""
import io
import re
from functools import partial
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import cm
from reportlab.pdfgen import canvas
from reportlab.platypus import Paragraph, SimpleDocTemplate, Table, TableStyle

from pb.reports.pdf.fonts import BOLD, REGULAR, register_fonts

MARGIN = 2 * cm
CONTENT_WIDTH = A4[0] - 2 * MARGIN
# ReportLab's paragraph parser is XML: control characters (other than new lines) break it
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def text(value):
    """User-written text made safe for paragraph markup: escaped, control characters dropped, lines kept."""
    value = _CONTROL.sub("", str(value if value is not None else ""))
    return "<br/>".join(escape(line) for line in value.replace("\r\n", "\n").split("\n"))


def styles():
    """The paragraph styles of the documents, all in DejaVu Sans."""
    register_fonts()
    body = ParagraphStyle("body", fontName=REGULAR, fontSize=10, leading=13.5, spaceAfter=3)
    cell = ParagraphStyle("cell", body, fontSize=9, leading=11.5, spaceAfter=0)
    cell_bold = ParagraphStyle("cell_bold", cell, fontName=BOLD)
    return {
        "body": body,
        "cell": cell,
        "cell_bold": cell_bold,
        "cell_num": ParagraphStyle("cell_num", cell, alignment=TA_RIGHT),
        "cell_bold_num": ParagraphStyle("cell_bold_num", cell_bold, alignment=TA_RIGHT),
        "small": ParagraphStyle("small", body, fontSize=8.5, leading=11),
        "indent": ParagraphStyle("indent", body, leftIndent=0.8 * cm),
        "title": ParagraphStyle("title", body, fontName=BOLD, fontSize=17, leading=21, alignment=TA_CENTER,
                                spaceAfter=4),
        "subtitle": ParagraphStyle("subtitle", body, fontSize=11.5, leading=15, alignment=TA_CENTER,
                                   spaceAfter=2),
        "h2": ParagraphStyle("h2", body, fontName=BOLD, fontSize=12.5, leading=16, spaceBefore=10, spaceAfter=5,
                             keepWithNext=1),
        "h3": ParagraphStyle("h3", body, fontName=BOLD, fontSize=10.5, leading=14, spaceBefore=6, spaceAfter=3,
                             keepWithNext=1),
        "big": ParagraphStyle("big", body, fontName=BOLD, fontSize=15, leading=20, spaceAfter=4),
    }


def table(rows, widths, style, header=True, numeric_from=None, total=False):
    """A table of plain strings (escaped here) that repeats its header on each page it spans.

    Columns from numeric_from on are right-aligned; total makes the last row bold.
    """
    last = len(rows) - 1

    def cell(value, i, j):
        strong = (header and i == 0) or (total and i == last)
        name = ("cell_bold" if strong else "cell") + ("_num" if numeric_from is not None and j >= numeric_from else "")
        return Paragraph(text(value), style[name])

    data = [[cell(value, i, j) for j, value in enumerate(row)] for i, row in enumerate(rows)]
    commands = [
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LINEBELOW", (0, 0), (-1, -1), 0.4, colors.HexColor("#b0b7bf")),
        ("TOPPADDING", (0, 0), (-1, -1), 2.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5),
    ]
    if header:
        commands.append(("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#eef1f4")))
    return Table(data, colWidths=widths, repeatRows=1 if header else 0, style=table_style(commands), hAlign="LEFT")


def table_style(commands):
    """A TableStyle in DejaVu: a Table sets its (Helvetica) cell font even when every cell is a Paragraph."""
    return TableStyle([("FONT", (0, 0), (-1, -1), REGULAR, 9)] + list(commands))


class NumberedCanvas(canvas.Canvas):
    """Keeps each page until the end, so that every footer can say how many pages there are."""

    def __init__(self, *args, footer=None, **kwargs):
        super().__init__(*args, **kwargs)
        self._saved_pages = []
        self._footer = footer

    def showPage(self):  # noqa: N802  (ReportLab's name)
        self._saved_pages.append(dict(self.__dict__))
        self._startPage()

    def save(self):
        total = len(self._saved_pages)
        for state in self._saved_pages:
            self.__dict__.update(state)
            if self._footer is not None:
                self._footer(self, self._pageNumber, total)
            super().showPage()
        super().save()


def build_pdf(story, *, title, footer_left, page_label):
    """Lay the story out on A4 and return the PDF's bytes.

    page_label(page, pages) words the page number; it is called while the document is built, so
    under the caller's force_locale.
    """
    register_fonts()

    def footer(canv, page, pages):
        canv.saveState()
        canv.setFont(REGULAR, 8)
        canv.setFillColor(colors.HexColor("#444444"))
        canv.drawString(MARGIN, 1.2 * cm, footer_left[:110])
        canv.drawRightString(A4[0] - MARGIN, 1.2 * cm, page_label(page, pages))
        canv.restoreState()

    out = io.BytesIO()
    # invariant: no creation time or random id in the file, so the same content gives the same bytes
    doc = SimpleDocTemplate(out, pagesize=A4, leftMargin=MARGIN, rightMargin=MARGIN, topMargin=MARGIN,
                            bottomMargin=MARGIN, title=title, author="Ashar", creator="Ashar", invariant=1,
                            initialFontName=REGULAR, initialFontSize=10)
    doc.build(story, canvasmaker=partial(NumberedCanvas, footer=footer))
    return out.getvalue()

