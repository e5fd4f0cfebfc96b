"""Icons and forms ship with the package and draw whole on high-DPI screens."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QDialog

from tutor_desktop.gui.kit.assets import icon_path, load_ui, render_icon, ui_path


def ink_box(pixmap) -> tuple[int, int, int, int]:  # noqa: ANN001 - a QPixmap
    image = pixmap.toImage()
    xs, ys = [], []
    for y in range(image.height()):
        for x in range(image.width()):
            if image.pixelColor(x, y).alpha() > 0:
                xs.append(x)
                ys.append(y)
    return min(xs), min(ys), max(xs), max(ys)


@pytest.mark.parametrize("name", ["done", "prev", "calendar"])
def test_an_icon_at_twice_the_pixel_density_is_the_same_drawing_twice_as_fine(qapp, name):
    single = ink_box(render_icon(name, "#000000", 24, 1.0))
    double = ink_box(render_icon(name, "#000000", 24, 2.0))
    assert all(abs(d - 2 * s) <= 3 for s, d in zip(single, double)), (single, double)


def test_every_form_loads(qapp):
    names = [p.stem for p in ui_path("x").parent.glob("*.ui")]
    assert len(names) >= 8
    for name in names:
        form = load_ui(name)
        assert isinstance(form, QDialog), name
        form.deleteLater()
    assert icon_path("app").exists()
