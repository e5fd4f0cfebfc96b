"""A report leaves the desk as CSV (plain numbers, for a spreadsheet or an accountant), or on paper and as PDF:
the same page painted once, with its title, period, summary line, chart and table, onto a printer (Qt Print
Support) or a QPdfWriter. Black on white whatever the desk's theme."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import QMarginsF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPagedPaintDevice, QPageLayout, QPageSize, QPainter, QPdfWriter

from tutor_desktop.domain import ExportTable
from tutor_desktop.gui.kit.formatting import desk_zone
from tutor_desktop.gui.reports.bar_chart import Bar, chart_height, paint_chart
from tutor_desktop.gui.reports.definitions import Table
from tutor_desktop.portability.csv_export import write_table


def write_csv(path: str | Path, table: Table) -> None:
    """As the studio's export writes CSV: a byte order mark for Excel, text that would run as a formula written
    as text, a file that is there is whole."""
    write_table(ExportTable(Path(path).stem, tuple(table.headers), tuple(tuple(r) for r in table.plain)), Path(path),
                desk_zone())


def write_pdf(path: str | Path, title: str, lines: Sequence[str], bars: Sequence[Bar], table: Table) -> None:
    writer = QPdfWriter(str(path))
    writer.setResolution(300)
    writer.setTitle(title)
    writer.setCreator("Tutor Desk")
    writer.setPageLayout(QPageLayout(QPageSize(QPageSize.PageSizeId.A4), QPageLayout.Orientation.Landscape,
                                     QMarginsF(12, 12, 12, 12), QPageLayout.Unit.Millimeter))
    paint_pages(writer, title, lines, bars, table)


def paint_pages(device: QPagedPaintDevice, title: str, lines: Sequence[str], bars: Sequence[Bar], table: Table) -> int:
    """Paints the report onto a printer or PDF, as many pages as its table needs; returns how many."""
    painter = QPainter(device)
    try:
        scale = device.logicalDpiY() / 72.0  # points to device pixels
        page = QRectF(0, 0, device.width(), device.height())
        black, grey, track = QColor("#1d2330"), QColor("#5f6b7a"), QColor("#eef1f5")
        body = QFont("Sans Serif")
        body.setPointSizeF(9)
        heading = QFont(body)
        heading.setPointSizeF(16)
        heading.setBold(True)
        y = 0.0
        painter.setFont(heading)
        painter.setPen(black)
        painter.drawText(QRectF(0, y, page.width(), 30 * scale), Qt.AlignmentFlag.AlignLeft, title)
        y += QFontMetricsF(heading, device).height() + 4 * scale
        painter.setFont(body)
        metrics = QFontMetricsF(body, device)
        for line in lines:
            painter.setPen(grey)
            painter.drawText(QRectF(0, y, page.width(), metrics.height()), Qt.AlignmentFlag.AlignLeft, line)
            y += metrics.height()
        y += 10 * scale
        if bars:
            painter.setFont(body)
            height = chart_height(bars, body, scale, device)
            paint_chart(painter, QRectF(0, y, page.width(), height), bars, black, track, scale)
            y += height + 12 * scale
        pages = 1 + _paint_table(painter, device, page, y, table, body, black, grey)
        return pages
    finally:
        painter.end()


def _paint_table(painter: QPainter, device: QPagedPaintDevice, page: QRectF, y: float, table: Table, font: QFont,
                 text: QColor, rule: QColor) -> int:
    metrics = QFontMetricsF(font, device)
    bold = QFont(font)
    bold.setBold(True)
    bold_metrics = QFontMetricsF(bold, device)
    row_h = metrics.height() * 1.5
    widths = [max([bold_metrics.horizontalAdvance(header), *(metrics.horizontalAdvance(c) for c in cells)])
              + metrics.height() for header, *cells in zip(table.headers, *table.rows)]
    factor = min(1.0, page.width() / max(1.0, sum(widths)))
    widths = [w * factor for w in widths]
    new_pages = 0

    def row(cells: Sequence[str], top: float, header: bool) -> None:
        painter.setFont(bold if header else font)
        painter.setPen(text)
        x = 0.0
        for i, (cell, width) in enumerate(zip(cells, widths)):
            align = Qt.AlignmentFlag.AlignRight if i in table.numeric else Qt.AlignmentFlag.AlignLeft
            shown = (bold_metrics if header else metrics).elidedText(cell, Qt.TextElideMode.ElideRight,
                                                                     width - metrics.height() / 2)
            painter.drawText(QRectF(x, top, width - metrics.height() / 2, row_h), align | Qt.AlignmentFlag.AlignVCenter,
                             shown)
            x += width
        painter.setPen(rule)
        painter.drawLine(0, int(top + row_h), int(page.width()), int(top + row_h))

    row(table.headers, y, True)
    y += row_h
    for cells in table.rows:
        if y + row_h > page.height():
            device.newPage()
            new_pages += 1
            y = 0.0
            row(table.headers, y, True)
            y += row_h
        row(cells, y, False)
        y += row_h
    return new_pages
