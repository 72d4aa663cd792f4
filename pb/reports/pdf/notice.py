"""The A4 notice of a hearing for village notice boards, in Kyrgyz and Russian, with a QR code to its page."""
from flask_babel import force_locale, gettext as _
from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Drawing
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import cm
from reportlab.platypus import Flowable, HRFlowable, KeepTogether, Paragraph, Spacer, Table

from pb.hearings.minutes_format import local_date, local_time
from pb.reports.pdf.base import CONTENT_WIDTH, MARGIN, build_pdf, styles, table_style, text
from pb.reports.pdf.fonts import REGULAR

LANGUAGES = ("ky", "ru")
QR_SIZE = 5 * cm
FRAME_HEIGHT = A4[1] - 2 * MARGIN - 12  # what SimpleDocTemplate's frame leaves, less its padding


class QrCode(Flowable):
    """A QR code of url that is also a link, for those who open the PDF on a screen."""

    def __init__(self, url, size=QR_SIZE):
        super().__init__()
        self.url, self.size = url, size
        widget = QrCodeWidget(url, barLevel="M")
        x0, y0, x1, y1 = widget.getBounds()
        self.drawing = Drawing(size, size, transform=[size / (x1 - x0), 0, 0, size / (y1 - y0), 0, 0])
        self.drawing.initialFontName = REGULAR  # the drawing would otherwise bring Helvetica into the file
        self.drawing.add(widget)
        self.width = self.height = size

    def wrap(self, available_width, available_height):
        return self.size, self.size

    def draw(self):
        self.drawing.drawOn(self.canv, 0, 0)
        self.canv.linkURL(self.url, (0, 0, self.size, self.size), relative=1, thickness=0)


def render_notice_pdf(notice, url, langs=LANGUAGES):
    """The notice (a pb.hearings.minutes.Notice) as PDF bytes: each language's text, then the QR code.

    Two languages stand side by side on one sheet when they fit, one under the other otherwise.
    """
    langs = tuple(langs)
    if not langs or any(lang not in LANGUAGES for lang in langs):
        raise ValueError(f"notices are printed in {LANGUAGES}, not {langs!r}")
    style = styles()
    style["value"] = ParagraphStyle("value", style["body"], fontName=style["big"].fontName,
                                    fontSize=18 if len(langs) == 1 else 13.5, leading=23 if len(langs) == 1 else 17)
    style["label"] = ParagraphStyle("label", style["small"], spaceBefore=4, spaceAfter=0)
    sections = []
    for lang in langs:
        with force_locale(lang):
            sections.append(_section(notice, lang, style))
    qr = _qr_block(url, langs, style)
    story = _side_by_side(sections, qr) if len(sections) > 1 else None
    if story is None:
        story = []
        for i, section in enumerate(sections):
            if i:
                story.append(HRFlowable(width="100%", thickness=0.8, spaceBefore=10, spaceAfter=10))
            story.append(KeepTogether(section))
        story.append(qr)
    with force_locale(langs[0]):
        name = " / ".join(dict.fromkeys(notice.municipality_name(lang) for lang in langs))
        title = _("Notice of a public hearing")
        return build_pdf(story, title=f"{title} — {name}", footer_left=name,
                         page_label=lambda page, pages: _("Page %(page)d of %(pages)d", page=page, pages=pages))


def _side_by_side(sections, qr):
    # a table row cannot break across pages, so the columns are used only when they fit on the sheet
    half = CONTENT_WIDTH / len(sections)
    columns = Table([sections], colWidths=[half] * len(sections), hAlign="LEFT", style=table_style([
        ("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 4),
        ("RIGHTPADDING", (0, 0), (-1, -1), 10), ("LINEAFTER", (0, 0), (0, -1), 0.6, "#9aa3ad")]))
    _width, height = columns.wrap(CONTENT_WIDTH, FRAME_HEIGHT)
    _width, qr_height = qr.wrap(CONTENT_WIDTH, FRAME_HEIGHT)
    if height + qr_height > FRAME_HEIGHT:
        return None
    return [columns, qr]


def _qr_block(url, langs, style):
    captions = []
    for lang in langs:
        with force_locale(lang):
            captions.append(Paragraph(text(_("Scan the code with a phone to open the hearing's page, "
                                             "with its agenda and, after the hearing, its minutes:")), style["body"]))
    captions.append(Paragraph(text(url), style["small"]))
    return Table([[QrCode(url), captions]], colWidths=[QR_SIZE + 0.6 * cm, CONTENT_WIDTH - QR_SIZE - 0.6 * cm],
                 hAlign="LEFT", spaceBefore=14, style=table_style([("VALIGN", (0, 0), (-1, -1), "MIDDLE")]))


def _section(notice, lang, style):
    facts = [(_("Date"), local_date(notice.starts_at, "full")), (_("Time"), local_time(notice.starts_at)),
             (_("Place"), notice.place)]
    if notice.villages:
        facts.append((_("Villages"), ", ".join(notice.villages)))
    flowables = [
        Paragraph(text(notice.municipality_name(lang)), style["subtitle"]),
        Paragraph(text(_("Announcement")), style["title"]),
        Paragraph(text(str(notice.kind.label)), style["subtitle"]),
        Spacer(1, 6),
    ]
    for label, value in facts:
        flowables += [Paragraph(text(label), style["label"]), Paragraph(text(value), style["value"])]
    if notice.agenda:
        flowables.append(Paragraph(text(_("Agenda")), style["h2"]))
        flowables += [Paragraph(f"{i}. {text(title)}", style["body"]) for i, title in enumerate(notice.agenda, 1)]
    flowables.append(Spacer(1, 6))
    flowables.append(Paragraph(text(_("Every resident is welcome: come, ask and have your say on the budget "
                                      "of your village.")), style["body"]))
    return flowables
