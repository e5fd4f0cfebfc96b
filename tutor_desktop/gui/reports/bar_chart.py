"""A bar chart painted by hand (as the calendar paints its blocks): one horizontal bar per row, stacked in parts
of their own colours, with the label on the left and the total on the right. The same painting serves the
window, the printer and the PDF, takes its text colours from the palette (light and dark) and is vector drawing,
so it is sharp at any scale."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPainter, QPaintEvent, QPalette
from PySide6.QtWidgets import QSizePolicy, QWidget

BAR_HEIGHT = 18.0
GAP = 8.0


@dataclass(frozen=True)
class Part:
    value: float
    colour: str
    name: str  # for the legend


@dataclass(frozen=True)
class Bar:
    label: str
    parts: tuple[Part, ...]
    total_text: str  # what is written after the bar


def chart_height(bars: Sequence[Bar], font: QFont, unit: float = 1.0, device: object = None) -> float:
    """unit: device pixels per pixel of the window (a printer's or PDF's resolution over the screen's)."""
    metrics = QFontMetricsF(font, device) if device is not None else QFontMetricsF(font)
    legend = metrics.height() + GAP * unit if _legend(bars) else 0
    return legend + len(bars) * (BAR_HEIGHT + GAP) * unit


def _legend(bars: Sequence[Bar]) -> list[Part]:
    """The parts' colours, where a bar has more than one part (a bar of one part is named by its label)."""
    if all(len(bar.parts) <= 1 for bar in bars):
        return []
    seen: dict[str, Part] = {}
    for bar in bars:
        for part in bar.parts:
            seen.setdefault(part.name, part)
    return list(seen.values()) if len(seen) > 1 else []


def paint_chart(painter: QPainter, rect: QRectF, bars: Sequence[Bar], text: QColor, track: QColor,
                unit: float = 1.0) -> None:
    """Paints the bars into rect, longest value = the whole width left for bars; the painter's font is the text's,
    `unit` the size of a window pixel on the device (1 on screen)."""
    bar_h, gap = BAR_HEIGHT * unit, GAP * unit
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    metrics = QFontMetricsF(painter.font())
    top = rect.top()
    legend = _legend(bars)
    if legend:
        x = rect.left()
        for part in legend:
            swatch = QRectF(x, top + metrics.height() / 2 - 5 * unit, 10 * unit, 10 * unit)
            painter.fillRect(swatch, QColor(part.colour))
            painter.setPen(text)
            painter.drawText(QRectF(x + 14 * unit, top, rect.width(), metrics.height()),
                             Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, part.name)
            x += (14 + 18) * unit + metrics.horizontalAdvance(part.name)
        top += metrics.height() + gap
    pad = 12 * unit
    label_w = min(rect.width() * 0.3, max((metrics.horizontalAdvance(b.label) for b in bars), default=0) + pad)
    total_w = max((metrics.horizontalAdvance(b.total_text) for b in bars), default=0) + pad
    bar_w = max(10.0 * unit, rect.width() - label_w - total_w)
    biggest = max((sum(max(0.0, p.value) for p in b.parts) for b in bars), default=0) or 1.0
    for i, bar in enumerate(bars):
        y = top + i * (bar_h + gap)
        painter.setPen(text)
        label = metrics.elidedText(bar.label, Qt.TextElideMode.ElideRight, label_w - pad)
        painter.drawText(QRectF(rect.left(), y, label_w - pad, bar_h),
                         Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, label)
        x = rect.left() + label_w
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(track)
        painter.drawRoundedRect(QRectF(x, y, bar_w, bar_h), 4 * unit, 4 * unit)
        for part in bar.parts:
            width = bar_w * max(0.0, part.value) / biggest
            if width > 0:
                painter.setBrush(QColor(part.colour))
                painter.drawRoundedRect(QRectF(x, y, width, bar_h), 3 * unit, 3 * unit)
                x += width
        painter.setPen(text)
        painter.drawText(QRectF(rect.left() + label_w + bar_w + 8 * unit, y, total_w, bar_h),
                         Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, bar.total_text)
    painter.restore()


class BarChart(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("reportChart")
        self.bars: list[Bar] = []
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)

    def set_bars(self, bars: Sequence[Bar]) -> None:
        self.bars = list(bars)
        self.updateGeometry()
        self.update()

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt's name
        return QSize(400, int(chart_height(self.bars, self.font())) + 8)

    def minimumSizeHint(self) -> QSize:  # noqa: N802
        return self.sizeHint()

    def paintEvent(self, _event: QPaintEvent) -> None:  # noqa: N802
        painter = QPainter(self)
        palette = self.palette()
        paint_chart(painter, QRectF(self.rect()).adjusted(0, 4, -4, -4), self.bars,
                    palette.color(QPalette.ColorRole.Text), palette.color(QPalette.ColorRole.AlternateBase))
        painter.end()
