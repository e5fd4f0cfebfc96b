"""Renders the main window (calendar, clients, each report of the Reports tab), a client window and the Backups
window from the demo studio to PNG under docs/screenshots/, offscreen, on a fresh embedded database in a temporary
folder. Run: uv run python scripts/render_screenshots.py (TUTOR_DESKTOP_THEME=dark for the dark ones)"""

from __future__ import annotations

import os
import sys
import tempfile
from datetime import datetime, timedelta
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QEventLoop, QTimer  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from tutor_desktop import config  # noqa: E402
from tutor_desktop.app import start_desk  # noqa: E402
from tutor_desktop.db.backups.service import EmbeddedBackups  # noqa: E402
from tutor_desktop.db.bootstrap import open_embedded  # noqa: E402
from tutor_desktop.db.demo import load_demo  # noqa: E402
from tutor_desktop.db.engine import make_engine  # noqa: E402
from tutor_desktop.db.repository import Repository  # noqa: E402
from tutor_desktop.gui.kit.theme import apply_theme  # noqa: E402

OUT = Path(__file__).resolve().parents[1] / "docs" / "screenshots"


def wait_until(condition, timeout_ms: int = 10_000) -> None:  # noqa: ANN001 - a callable
    deadline = datetime.now() + timedelta(milliseconds=timeout_ms)
    while not condition():
        if datetime.now() > deadline:
            raise TimeoutError("the window did not finish loading")
        loop = QEventLoop()
        QTimer.singleShot(20, loop.quit)
        loop.exec()


def settle(ms: int = 300) -> None:
    loop = QEventLoop()
    QTimer.singleShot(ms, loop.quit)
    loop.exec()


def main() -> int:
    theme = os.environ.get("TUTOR_DESKTOP_THEME", "light")
    suffix = "" if theme == "light" else f"-{theme}"
    app = QApplication(sys.argv[:1])
    apply_theme(app)
    from tutor_desktop.gui.backups.window import BackupsWindow
    from tutor_desktop.gui.clients.window import ClientWindow
    from tutor_desktop.gui.main_window import MainWindow

    with tempfile.TemporaryDirectory(prefix="tutor-shots-") as folder:
        os.environ[config.CONFIG_DIR_ENV] = str(Path(folder) / "config")  # this computer's backup settings stay out
        opened = open_embedded(Path(folder))
        repo = Repository(make_engine(opened.app_url))
        try:
            load_demo(repo)
            desk = start_desk(repo, opened.app_url, "On this computer")
            desk.ctx.staff = repo.current_staff()
            main = MainWindow(desk.ctx)
            main.resize(1440, 900)
            main.show()
            main.start()
            wait_until(lambda: bool(main.calendar.view.sessions))
            today = [s for s in main.calendar.view.sessions if s.starts_at.date() <= datetime.now().date()]
            pick = (today or main.calendar.view.sessions)[-1]
            main.calendar.view.select(pick.id)
            wait_until(lambda: main.calendar.panel.count.remaining_label.text() not in ("", "–"))
            settle()
            OUT.mkdir(parents=True, exist_ok=True)
            main.grab().save(str(OUT / f"calendar{suffix}.png"))

            # The client whose open package has the longest history: used by hand, used by sessions, given back.
            client, _ = max(((c, p) for c, p in repo.studio_packages() if p.sessions_remaining and not p.expired),
                            key=lambda row: len(repo.ledger_for_package(row[1].id)))
            window = desk.ctx.windows.show(ClientWindow, client.id)
            wait_until(window.isVisible)
            window.resize(1180, 760)  # after it placed itself inside the (small) offscreen screen
            settle()
            window.grab().save(str(OUT / f"client{suffix}.png"))

            main.tabs.setCurrentWidget(main.clients)
            wait_until(lambda: main.clients.isVisible())
            settle(600)
            main.grab().save(str(OUT / f"clients{suffix}.png"))

            # The reports: last month (the demo's month of sessions and sales) where a report has a period; unused
            # prepaid now (the demo's ledger was written today, so at the end of last month nothing was used yet).
            main.tabs.setCurrentWidget(main.reports)
            for report in main.reports.reports:
                main.reports.period_combo.setCurrentIndex(2 if report.periodic else 1)
                main.reports.choose(report.key)
                wait_until(lambda key=report.key: main.reports.shown is not None and main.reports.shown[0].key == key)
                settle()
                main.grab().save(str(OUT / f"reports-{report.key}{suffix}.png"))
            window.close()

            desk.ctx.backups = EmbeddedBackups(Path(folder), opened.server.superuser_url)
            desk.ctx.backups.backup_now("daily")
            desk.ctx.backups.check(desk.ctx.backups.list()[0])
            desk.ctx.backups.backup_now("by hand")
            backups = desk.ctx.windows.show(BackupsWindow)
            wait_until(lambda: backups.data is not None and backups.isVisible())
            backups.resize(1080, 640)
            backups.view.selectRow(0)
            settle()
            backups.grab().save(str(OUT / f"backups{suffix}.png"))
            backups.close()
            main.close()
            desk.close(close_studio=False)
        finally:
            repo.close()
            opened.close()
    print(f"Wrote screenshots to {OUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
