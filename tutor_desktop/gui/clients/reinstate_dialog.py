"""Reinstate names the use it gives back: "Give back the session used on Tue 1 Dec 10:00 with Maya Okafor?", or
"... used by hand on 28 Nov, reason ...". When several uses are live, the person chooses which from a list."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from uuid import UUID

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QListWidget, QListWidgetItem, QVBoxLayout, QWidget

from tutor_desktop.domain import LedgerEntry, Session
from tutor_desktop.gui.clients.reason_dialog import ReasonDialog
from tutor_desktop.gui.kit.formatting import clock, day


def live_uses(history: Sequence[LedgerEntry]) -> list[LedgerEntry]:
    """The package's uses that nothing has given back yet, latest first."""
    reversed_ids = {e.reverses for e in history if e.reverses is not None}
    return sorted((e for e in history if e.delta == 1 and e.id not in reversed_ids), key=lambda e: -e.id)


def describe_use(entry: LedgerEntry, sessions: Mapping[UUID, Session]) -> str:
    """"the session used on Tue 1 Dec 2026 10:00 with Maya Okafor" or "used by hand on Sat 28 Nov 2026, reason …"."""
    session = sessions.get(entry.session_id) if entry.session_id else None
    if session is not None:
        return f"the session used on {day(session.starts_at)} {clock(session.starts_at)} with {session.tutor_name}"
    if entry.session_id is not None:
        return f"the session used on {day(entry.created_at)}"
    reason = f", reason “{entry.reason}”" if entry.reason else ""
    return f"the session used by hand on {day(entry.created_at)}{reason}"


class ReinstateDialog(ReasonDialog):
    chosen = Signal(int, str)  # the ledger entry to give back, the reason

    def __init__(self, parent: QWidget | None, uses: Sequence[LedgerEntry], sessions: Mapping[UUID, Session]) -> None:
        words = [describe_use(e, sessions) for e in uses]
        prompt = (f"Give back {words[0]}?" if len(uses) == 1
                  else f"Which of the {len(uses)} used sessions do you give back?")
        super().__init__(parent, prompt, "Reinstate")
        self.uses = list(uses)
        self.use_list = QListWidget()
        self.use_list.setObjectName("reinstateUseList")
        for text in words:
            item = QListWidgetItem(text[0].upper() + text[1:])
            item.setToolTip(item.text())
            self.use_list.addItem(item)
        self.use_list.setCurrentRow(0)
        self.use_list.setVisible(len(uses) > 1)
        layout = self.dialog.layout()
        if isinstance(layout, QVBoxLayout):
            layout.insertWidget(1, self.use_list)
        self.reason_given.connect(self._give)

    def _give(self, reason: str) -> None:
        self.chosen.emit(self.uses[max(0, self.use_list.currentRow())].id, reason)
