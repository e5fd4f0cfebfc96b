"""The Reports tab: choose a report and a period (this week, this month, last month, custom), see a chart and the
table, export CSV, print or save a PDF. Front desk and admins see every report; a tutor sees their own activity
only. Each report is one SQL function; the page reads it in the background and re-reads it when a change
arrives while the tab is shown."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, time, timedelta
from typing import Any

from PySide6.QtCore import QDate, Qt, QTimer, Signal, Slot
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QDateEdit,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from tutor_desktop.domain import Change, InvalidInput, Period, StaffRole
from tutor_desktop.gui.kit.formatting import desk_time, desk_zone
from tutor_desktop.gui.kit.message_bar import MessageBar
from tutor_desktop.gui.kit.tables import RowsModel, table_view
from tutor_desktop.gui.reports.bar_chart import BarChart
from tutor_desktop.gui.reports.definitions import REPORTS, Report, Table
from tutor_desktop.gui.reports.export import paint_pages, write_csv, write_pdf
from tutor_desktop.gui.shell.context import DeskContext
from tutor_desktop.gui.shell.latest_read import LatestRead, Read
from tutor_desktop.gui.shell.operations import Query, show_message

PERIODS = ("This week", "This month", "Last month", "Custom")
RELOAD_DELAY_MS = 300
COUNT_DELAY_MS = 1000
MAX_CHART_HEIGHT = 340  # a longer chart scrolls; the table keeps the rest


class TableModel(RowsModel):
    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.table = Table([], [], [], frozenset())

    def show_table(self, table: Table) -> None:
        self.headers, self.numeric, self.table = table.headers, table.numeric, table
        self.set_rows([(i, cells) for i, cells in enumerate(table.rows)])

    def text(self, record: Any, column: int) -> str:
        return record[1][column]

    def data(self, index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:  # noqa: ANN001
        if role == Qt.ItemDataRole.UserRole:
            return index.row()
        return super().data(index, role)


def attention_counts(rows: list) -> tuple[int, int]:
    """The clients the needs-attention findings are about, and the findings."""
    return len({i.client_id for i in rows}), len(rows)


class ReportsPage(QWidget):
    attention_counted = Signal(int, int)  # how many clients "Needs attention" names, and its findings: the badge

    def __init__(self, ctx: DeskContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("reportsPage")
        self.ctx = ctx
        tutor = ctx.staff is not None and ctx.staff.role == StaffRole.TUTOR
        self.reports: Sequence[Report] = [r for r in REPORTS if not (tutor and r.money)]
        self.report = self.reports[0]
        self.currency = "USD"
        self.shown: tuple[Report, Table, list, str] | None = None
        self.message_bar = MessageBar(self)
        self._read = LatestRead(ctx, self, self._make_read)
        self._build()
        self._reload = QTimer(self, singleShot=True, interval=RELOAD_DELAY_MS, timeout=self.refresh)
        self._recount = QTimer(self, singleShot=True, interval=COUNT_DELAY_MS, timeout=self.count_attention)
        ctx.bus.changed.connect(self._on_change)

    # --- layout ----------------------------------------------------------------------------------------------

    def _build(self) -> None:
        choice = QHBoxLayout()
        choice.setSpacing(4)
        self.report_buttons = QButtonGroup(self)
        for i, report in enumerate(self.reports):
            button = QToolButton(text=report.title, checkable=True, objectName=f"report_{report.key}")
            button.setChecked(i == 0)
            self.report_buttons.addButton(button, i)
            choice.addWidget(button)
        self.report_buttons.idClicked.connect(self._choose_report)
        choice.addStretch(1)
        self.period_combo = QComboBox(objectName="periodCombo")
        self.period_combo.addItems(PERIODS)
        self.period_combo.setCurrentIndex(1)
        self.from_date = QDateEdit(objectName="fromDate", calendarPopup=True, displayFormat="d MMM yyyy")
        self.to_date = QDateEdit(objectName="toDate", calendarPopup=True, displayFormat="d MMM yyyy")
        self.period_label = QLabel("Period")
        self.to_label = QLabel("to")
        for widget in (self.period_label, self.period_combo, self.from_date, self.to_label, self.to_date):
            choice.addWidget(widget)
        self.period_combo.currentIndexChanged.connect(self._period_chosen)
        self.from_date.dateChanged.connect(self._dates_changed)
        self.to_date.dateChanged.connect(self._dates_changed)

        actions = QHBoxLayout()
        self.summary_label = QLabel("", objectName="reportSummary")
        self.summary_label.setProperty("subheading", True)
        self.csv_button = QPushButton("Export CSV…", objectName="exportCsvButton")
        self.print_button = QPushButton("Print…", objectName="printButton")
        self.pdf_button = QPushButton("Save PDF…", objectName="savePdfButton")
        actions.addWidget(self.summary_label, 1)
        for button in (self.csv_button, self.print_button, self.pdf_button):
            actions.addWidget(button)
        self.csv_button.clicked.connect(self._export_csv)
        self.print_button.clicked.connect(self._print)
        self.pdf_button.clicked.connect(self._save_pdf)

        self.chart = BarChart()
        self.chart_area = QScrollArea(widgetResizable=True, objectName="chartArea")
        self.chart_area.setWidget(self.chart)
        self.chart_area.setFrameShape(QScrollArea.Shape.NoFrame)
        self.chart_area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.model = TableModel(self)
        self.table = table_view(self.model, "reportTable", stretch=0)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 8, 0, 0)
        layout.setSpacing(10)
        layout.addLayout(choice)
        layout.addLayout(actions)
        layout.addWidget(self.chart_area)
        layout.addWidget(self.table, 1)
        for widget in (*self.report_buttons.buttons(), self.period_combo, self.from_date, self.to_date,
                       self.summary_label, self.csv_button, self.print_button, self.pdf_button, self.chart):
            widget.setAccessibleName(widget.objectName())  # what scripts and screen readers find
        self._period_chosen(1)

    # --- the period ------------------------------------------------------------------------------------------

    def today(self) -> date:
        return desk_time(datetime.now().astimezone()).date()

    def period(self) -> Period:
        today = self.today()
        kind = self.period_combo.currentIndex()
        if kind == 0:
            return Period.this_week(today)
        if kind == 1:
            return Period.this_month(today)
        if kind == 2:
            return Period.last_month(today)
        return Period(self.from_date.date().toPython(), self.to_date.date().toPython())

    @Slot(int)
    def _period_chosen(self, kind: int) -> None:
        custom = kind == len(PERIODS) - 1
        if not custom:
            period = self.period()
            for edit, day in ((self.from_date, period.first), (self.to_date, period.last)):
                edit.blockSignals(True)
                edit.setDate(QDate(day.year, day.month, day.day))
                edit.blockSignals(False)
        self._enable_period()
        self.refresh()

    def _enable_period(self) -> None:
        """A report of a period shows both days; unused prepaid, the period whose end it values at; needs
        attention is about now and shows no period."""
        custom = self.period_combo.currentIndex() == len(PERIODS) - 1
        periodic, moment = self.report.periodic, self.report.key == "unused"
        self.period_combo.setVisible(periodic or moment)
        self.from_date.setVisible(periodic)
        self.to_label.setVisible(periodic)
        self.to_date.setVisible(periodic or moment)
        self.from_date.setEnabled(custom)
        self.to_date.setEnabled(custom)
        self.period_label.setText("Period" if periodic else "Value at the end of" if moment else "As of now")

    @Slot()
    def _dates_changed(self) -> None:
        if self.period_combo.currentIndex() == len(PERIODS) - 1:
            self.refresh()

    @Slot(int)
    def _choose_report(self, index: int) -> None:
        self.report = self.reports[index]
        self._enable_period()
        self.refresh()

    def choose(self, key: str) -> None:
        """Shows the report of that key (tests, the desk's badge)."""
        index = next((i for i, r in enumerate(self.reports) if r.key == key), None)
        if index is None:  # not one this desk may see (a tutor's)
            return
        self.report_buttons.button(index).setChecked(True)
        self._choose_report(index)

    # --- reading ---------------------------------------------------------------------------------------------

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt's name
        super().showEvent(event)
        self.refresh()  # read when the tab is shown, not before

    @Slot()
    def refresh(self) -> None:
        if not self.isVisible():
            return
        try:
            self.period()
        except InvalidInput as error:  # a custom period that ends before it starts: say so, read nothing
            self.message_bar.show_message(error.message, "warning")
            return
        self.message_bar.dismiss()
        self._read.request()

    def _make_read(self) -> Read:
        report, studio, period = self.report, self.ctx.studio, self.period()
        zone = desk_zone().key
        at = None
        if report.key == "unused" and period.last < self.today():
            at = datetime.combine(period.last + timedelta(days=1), time(), desk_zone())

        def fetch() -> tuple[str, list]:
            return studio.currency(), report.fetch(studio, period, zone, at)

        def show(result: tuple[str, list]) -> None:
            self.currency, rows = result
            self._show(report, rows, period, at)
        return fetch, show

    def _show(self, report: Report, rows: list, period: Period, at: datetime | None) -> None:
        table = report.table(rows, self.currency)
        self.model.show_table(table)
        self.table.resizeColumnsToContents()
        self.chart.set_bars(report.bars(rows, self.currency))
        self.chart_area.setFixedHeight(min(self.chart.sizeHint().height() + 4, MAX_CHART_HEIGHT))
        when = (period.describe() if report.periodic else
                f"at the end of {at - timedelta(days=1):%d %b %Y}" if at
                else f"now, {datetime.now().astimezone():%d %b %Y %H:%M}")
        summary = report.summary(rows, self.currency) if rows else "Nothing in this report."
        self.summary_label.setText(summary if report.periodic else f"{summary} ({when})")
        self.shown = (report, table, rows, when)
        if report.key == "attention":
            self.attention_counted.emit(*attention_counts(rows))

    @Slot(object, object)
    def _on_change(self, _change: Change, _origin: object) -> None:
        if self.isVisible():
            self._reload.start()
        self._recount.start()  # changes come in bursts: count once after them

    def count_attention(self) -> None:
        """Counts who needs attention in the background (the desk's badge); tutors have none."""
        if not any(r.key == "attention" for r in self.reports):
            return
        studio = self.ctx.studio
        query = Query(self.ctx, self, lambda: attention_counts(studio.report_needs_attention()))
        query.on_success(lambda counts: self.attention_counted.emit(*counts))
        query.on_failure(lambda _error: None)  # the badge waits for the next change
        query.run()

    # --- leaving the desk ------------------------------------------------------------------------------------

    def _title_lines(self) -> tuple[str, list[str]]:
        report, _table, rows, when = self.shown  # type: ignore[misc]
        return f"{report.title} · Tutor Desk", [when, report.summary(rows, self.currency) if rows else ""]

    def _suggested_name(self, ext: str) -> str:
        report, *_ = self.shown  # type: ignore[misc]
        return f"{report.key}-{self.today():%Y-%m-%d}.{ext}"

    @Slot()
    def _export_csv(self) -> None:
        if self.shown is None:
            return
        path, _ = QFileDialog.getSaveFileName(self, "Export CSV", self._suggested_name("csv"), "CSV (*.csv)")
        if path:
            self.export_csv(path)

    def export_csv(self, path: str) -> None:
        write_csv(path, self.shown[1])  # type: ignore[index]
        show_message(self, f"Saved {len(self.shown[1].rows)} rows to {path}.", "success")  # type: ignore[index]

    @Slot()
    def _save_pdf(self) -> None:
        if self.shown is None:
            return
        path, _ = QFileDialog.getSaveFileName(self, "Save PDF", self._suggested_name("pdf"), "PDF (*.pdf)")
        if path:
            self.save_pdf(path)

    def save_pdf(self, path: str) -> None:
        title, lines = self._title_lines()
        write_pdf(path, title, lines, self.chart.bars, self.shown[1])  # type: ignore[index]
        show_message(self, f"Saved the report as {path}.", "success")

    @Slot()
    def _print(self) -> None:
        if self.shown is None:
            return
        from PySide6.QtPrintSupport import QPrintDialog, QPrinter

        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        dialog = QPrintDialog(printer, self)
        if dialog.exec() == QPrintDialog.DialogCode.Accepted:
            title, lines = self._title_lines()
            paint_pages(printer, title, lines, self.chart.bars, self.shown[1])
