"""Charts for the budget documents, drawn with ReportLab graphics in DejaVu Sans (vector, print cleanly)."""
from reportlab.graphics.charts.barcharts import HorizontalBarChart, VerticalBarChart
from reportlab.graphics.charts.legends import Legend
from reportlab.graphics.charts.piecharts import Pie
from reportlab.graphics.shapes import Drawing, String
from reportlab.lib import colors
from reportlab.pdfbase.pdfmetrics import stringWidth

from pb.reports.pdf.fonts import BOLD, REGULAR, register_fonts

# distinguishable in colour and in grey print, dark enough for white labels
PALETTE = [colors.HexColor(c) for c in (
    "#1f5f8b", "#e07b39", "#3a8f5c", "#b23a48", "#7b5ea7", "#c9a227", "#2a9d8f", "#8c564b", "#5a6b7b",
    "#d45087", "#6b8e23")]
LAST_YEAR, THIS_YEAR = colors.HexColor("#9aa5b1"), colors.HexColor("#1f5f8b")


def _value(amount):
    return float(amount)  # drawing only: the figures printed beside a chart are the exact ones


def pie(items, width, height, font_size=9):
    """A pie of (label, amount) with a legend naming each slice: the label and its share."""
    register_fonts()
    items = [(label, amount) for label, amount in items if amount > 0]
    drawing = Drawing(width, height)
    if not items:
        return drawing
    total = sum(amount for _label, amount in items)
    size = min(height - 10, width * 0.42)
    chart = Pie()
    chart.x, chart.y, chart.width, chart.height = 5, (height - size) / 2, size, size
    chart.data = [_value(amount) for _label, amount in items]
    chart.labels = None
    chart.sideLabels = False
    chart.slices.strokeColor = colors.white
    chart.slices.strokeWidth = 0.8
    for i in range(len(items)):
        chart.slices[i].fillColor = PALETTE[i % len(PALETTE)]
    drawing.add(chart)
    legend = Legend()
    legend.x, legend.y = size + 20, height - 4
    legend.alignment = "right"
    legend.fontName, legend.fontSize = REGULAR, font_size
    legend.boxAnchor = "nw"
    legend.columnMaximum = len(items)
    legend.dx = legend.dy = font_size * 0.9
    legend.deltay = font_size * 1.55
    legend.strokeColor = None
    legend.colorNamePairs = [
        (PALETTE[i % len(PALETTE)], f"{label} — {float(amount / total) * 100:.1f}%".replace(".", ","))
        for i, (label, amount) in enumerate(items)]
    drawing.add(legend)
    return drawing


def bars(items, width, font_size=8.5, value_format=str, bar_height=14):
    """Horizontal bars of (label, amount), the amount written at each bar's end; the labels get the room
    the longest needs (up to 45% of the width)."""
    register_fonts()
    height = max(1, len(items)) * (bar_height + 6) + 10
    drawing = Drawing(width, height)
    if not items:
        return drawing
    label_width = min(width * 0.45, max(stringWidth(label, REGULAR, font_size) for label, _a in items) + 10)
    chart = HorizontalBarChart()
    chart.x, chart.y = label_width, 5
    chart.width, chart.height = width - label_width - 95, height - 10
    chart.data = [[_value(amount) for _label, amount in reversed(items)]]
    chart.bars[0].fillColor = THIS_YEAR
    chart.bars.strokeColor = None
    chart.valueAxis.valueMin = 0
    chart.valueAxis.visible = False
    chart.valueAxis.visibleGrid = False
    chart.categoryAxis.categoryNames = [label for label, _amount in reversed(items)]
    chart.categoryAxis.labels.fontName = REGULAR
    chart.categoryAxis.labels.fontSize = font_size
    chart.categoryAxis.labels.boxAnchor = "e"
    chart.categoryAxis.labels.dx = -4
    chart.categoryAxis.strokeColor = colors.HexColor("#444444")
    chart.barLabelFormat = lambda v: ""
    drawing.add(chart)
    top = max(amount for _label, amount in items) or 1
    step = chart.height / len(items)
    for i, (_label, amount) in enumerate(reversed(items)):
        x = chart.x + chart.width * float(amount / top) + 4
        drawing.add(String(x, chart.y + step * i + step / 2 - font_size / 3, value_format(amount),
                           fontName=BOLD, fontSize=font_size))
    return drawing


def compare(groups, width, height, last_label, this_label, axis_format, font_size=8.5):
    """Paired columns of (name, last year, this year), with a legend of the two years; axis_format(v) words
    the value axis."""
    register_fonts()
    drawing = Drawing(width, height)
    if not groups:
        return drawing
    chart = VerticalBarChart()
    chart.x, chart.y = 55, 32
    chart.width, chart.height = width - 70, height - 60
    chart.data = [[_value(last) for _n, last, _t in groups], [_value(this) for _n, _l, this in groups]]
    chart.bars[0].fillColor, chart.bars[1].fillColor = LAST_YEAR, THIS_YEAR
    chart.bars.strokeColor = None
    chart.groupSpacing = 12
    chart.valueAxis.valueMin = 0
    chart.valueAxis.labels.fontName = REGULAR
    chart.valueAxis.labels.fontSize = font_size - 1
    chart.valueAxis.labelTextFormat = axis_format
    chart.categoryAxis.categoryNames = [name for name, _l, _t in groups]
    chart.categoryAxis.labels.fontName = REGULAR
    chart.categoryAxis.labels.fontSize = font_size
    drawing.add(chart)
    legend = Legend()
    legend.x, legend.y = chart.x, height - 6
    legend.boxAnchor = "nw"
    legend.alignment = "right"
    legend.fontName, legend.fontSize = REGULAR, font_size
    legend.columnMaximum = 1
    legend.strokeColor = None
    legend.colorNamePairs = [(LAST_YEAR, last_label), (THIS_YEAR, this_label)]
    drawing.add(legend)
    return drawing
