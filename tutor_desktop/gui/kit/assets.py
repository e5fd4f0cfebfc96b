"""Icons and Designer forms that ship inside the package (resources/ and ui/ of the source tree)."""

from __future__ import annotations

from functools import cache
from importlib import resources
from pathlib import Path

from PySide6.QtCore import QByteArray, QFile, QIODevice, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QGuiApplication, QIcon, QPainter, QPalette, QPixmap
from PySide6.QtSvg import QSvgRenderer
from PySide6.QtUiTools import QUiLoader
from PySide6.QtWidgets import QWidget

from tutor_desktop.gui.kit.number_field import NumberField


def _folder(name: str) -> Path:
    packaged = Path(str(resources.files("tutor_desktop"))) / name
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[3] / name  # the source tree: tutor_desktop/gui/kit/ is three levels down


def ui_path(name: str) -> Path:
    return _folder("ui") / f"{name}.ui"


def load_ui(name: str, parent: QWidget | None = None) -> QWidget:
    """Builds the form ui/<name>.ui; its child widgets are found by objectName."""
    file = QFile(str(ui_path(name)))
    if not file.open(QIODevice.OpenModeFlag.ReadOnly):
        raise FileNotFoundError(f"The form {name}.ui is missing from this installation.")
    try:
        loader = QUiLoader()
        loader.registerCustomWidget(NumberField)
        widget = loader.load(file, parent)
    finally:
        file.close()
    if widget is None:
        raise RuntimeError(f"The form {name}.ui could not be read.")
    return widget


def icon_path(name: str) -> Path:
    return _folder("resources") / "icons" / f"{name}.svg"


@cache
def _svg(name: str) -> str:
    return icon_path(name).read_text(encoding="utf-8")


def icon(name: str, colour: str | QColor | None = None) -> QIcon:
    """A line icon drawn in the text colour of the current palette (so it reads in dark mode too)."""
    if colour is None:
        colour = QGuiApplication.palette().color(QPalette.ColorRole.WindowText)
    colour_name = QColor(colour).name()
    result = QIcon()
    screen = QGuiApplication.primaryScreen()
    ratio = max(1.0, screen.devicePixelRatio() if screen else 1.0)
    for size in (16, 20, 24, 32, 48):
        result.addPixmap(render_icon(name, colour_name, size, ratio))
    return result


def render_icon(name: str, colour: str, size: int, ratio: float = 1.0) -> QPixmap:
    """The icon at `size` logical pixels, sharp on a screen with this device pixel ratio."""
    renderer = QSvgRenderer(QByteArray(_svg(name).replace("currentColor", colour).encode("utf-8")))
    pixmap = QPixmap(QSize(size, size) * ratio)
    pixmap.setDevicePixelRatio(ratio)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    renderer.render(painter, QRectF(0, 0, size, size))  # logical size: the painter scales to device pixels
    painter.end()
    return pixmap


def app_icon() -> QIcon:
    return QIcon(str(_folder("resources") / "icons" / "app.svg"))
