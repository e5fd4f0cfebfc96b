"""A session's tutor notes, saved on their own whatever the session's status: Save, Ctrl+Enter, leaving the field
or choosing another session saves; a line says whether the text is saved. A change made at another desk shows at
once, unless this person has unsaved edits: then they choose between their text and the other desk's, also when
they choose another session before answering (they are then asked, and neither text is written over unasked)."""

from __future__ import annotations

from uuid import UUID

from PySide6.QtCore import QEvent, QObject, Qt, Slot
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QHBoxLayout, QLabel, QMessageBox, QPlainTextEdit, QPushButton, QVBoxLayout, QWidget

from tutor_desktop.domain import Change, Session
from tutor_desktop.gui.kit.assets import icon
from tutor_desktop.gui.kit.confirm import confirm
from tutor_desktop.gui.shell.context import DeskContext
from tutor_desktop.gui.shell.operations import Mutation

SAVED, UNSAVED, SAVING = "Saved", "Not saved yet", "Saving…"


class NotesEditor(QWidget):
    def __init__(self, ctx: DeskContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self.session_id: UUID | None = None
        self.stored = ""  # the text the database holds, as this desk last heard
        self.theirs: str | None = None  # another desk's text, while this person has unsaved edits
        self._saving: dict[UUID, str] = {}  # what is on its way, per session
        self.left_choice: QMessageBox | None = None  # asked when a session is left with the choice unanswered
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(6)
        label = QLabel("Tutor &notes")
        label.setProperty("subheading", True)
        self.edit = QPlainTextEdit()
        self.edit.setObjectName("sessionNotesEdit")
        self.edit.setAccessibleName("sessionNotesEdit")
        self.edit.setPlaceholderText("What was covered, homework, anything the next tutor should know")
        self.edit.setTabChangesFocus(True)
        self.edit.setMaximumHeight(110)
        self.edit.installEventFilter(self)
        self.edit.textChanged.connect(self._show_state)
        label.setBuddy(self.edit)
        for keys in ("Ctrl+Return", "Ctrl+Enter"):
            QShortcut(QKeySequence(keys), self.edit, self.save, context=Qt.ShortcutContext.WidgetShortcut)
        self.state_label = QLabel()
        self.state_label.setObjectName("notesStateLabel")
        self.state_label.setProperty("muted", True)
        self.save_button = QPushButton(icon("done"), "Save notes")
        self.save_button.setObjectName("saveNotesButton")
        self.save_button.setAccessibleName("saveNotesButton")
        self.save_button.setToolTip("Save the notes (Ctrl+Enter; leaving the field saves too)")
        self.save_button.clicked.connect(self.save)
        row = QHBoxLayout()
        row.addWidget(self.state_label, 1)
        row.addWidget(self.save_button)

        self.conflict = QWidget()
        self.conflict.setObjectName("notesConflict")
        self.conflict_label = QLabel()
        self.conflict_label.setObjectName("notesConflictLabel")
        self.conflict_label.setWordWrap(True)
        self.conflict_label.setTextFormat(Qt.TextFormat.PlainText)
        self.keep_button = QPushButton("Keep mine")
        self.keep_button.setObjectName("keepMyNotesButton")
        self.keep_button.clicked.connect(self.keep_mine)
        self.take_button = QPushButton("Take theirs")
        self.take_button.setObjectName("takeTheirNotesButton")
        self.take_button.clicked.connect(self.take_theirs)
        choice = QHBoxLayout()
        choice.addStretch(1)
        choice.addWidget(self.keep_button)
        choice.addWidget(self.take_button)
        box = QVBoxLayout(self.conflict)
        box.setContentsMargins(0, 0, 0, 0)
        box.addWidget(self.conflict_label)
        box.addLayout(choice)
        self.conflict.hide()

        layout.addWidget(label)
        layout.addWidget(self.edit)
        layout.addLayout(row)
        layout.addWidget(self.conflict)
        self._show_state()

    # --- showing ---------------------------------------------------------------------------------------------

    def dirty(self) -> bool:
        return self.session_id is not None and self.edit.toPlainText() != self.stored

    def show_session(self, session: Session | None) -> None:
        """Another session (or none): what was typed for the last one is saved first. The same session again
        (a reload): the database's text, unless this person is editing, who is then asked."""
        if session is None or session.id != self.session_id:
            if self.theirs is not None and self.dirty():
                self._ask_after_leaving(self.session_id, self.edit.toPlainText(), self.theirs)
            else:
                self.save()
            self.session_id = session.id if session else None
            self.stored, self.theirs = (session.tutor_notes if session else ""), None
            self.edit.setPlainText(self.stored)
        elif session.tutor_notes != self.stored and session.tutor_notes != self._saving.get(session.id):
            if self.dirty() and self.edit.toPlainText() != session.tutor_notes:
                self.theirs = session.tutor_notes
            else:
                self.stored, self.theirs = session.tutor_notes, None
                self.edit.setPlainText(self.stored)
        self._show_state()

    def _show_state(self) -> None:
        saving = self.session_id in self._saving
        self.state_label.setText(SAVING if saving else UNSAVED if self.dirty() else SAVED)
        self.save_button.setEnabled(self.dirty())
        self.conflict.setVisible(self.theirs is not None)
        if self.theirs is not None:
            shown = self.theirs if len(self.theirs) <= 160 else self.theirs[:160] + "…"
            self.conflict_label.setText(f"These notes were changed at another desk:\n“{shown or '(empty)'}”\n"
                                        "Keep your text (and save it), or take theirs?")

    # --- saving ----------------------------------------------------------------------------------------------

    @Slot()
    def save(self) -> None:
        if not self.dirty():
            return
        self.theirs = None
        self._send(self.session_id, self.edit.toPlainText())

    def _send(self, session_id: UUID, text: str) -> None:
        if self._saving.get(session_id) == text:
            return  # already on its way
        self._saving[session_id] = text
        studio = self._ctx.studio
        op = Mutation(self._ctx, self, lambda request_id: studio.set_session_notes(session_id, text, request_id),
                      change=lambda _notes: Change(session_ids=frozenset({session_id})))
        op.on_success(lambda notes: self._saved(session_id, notes))
        op.on_finished(lambda: self._finished(session_id, text))
        op.run()
        self._show_state()

    def _ask_after_leaving(self, session_id: UUID, mine: str, theirs: str) -> None:
        shown = theirs if len(theirs) <= 160 else theirs[:160] + "…"
        self.left_choice = confirm(
            self.window(), "Save your notes over the other desk's?",
            f"While you typed the notes of the session you left, another desk changed them to “{shown or '(empty)'}”.",
            "Save mine", lambda: self._send(session_id, mine), back_text="Keep theirs")
        self.left_choice.setObjectName("leftNotesChoice")

    def _saved(self, session_id: UUID, notes: str) -> None:
        if session_id != self.session_id:
            return
        # Shown again before this answer came (left and chosen again), the field may hold an older text that nobody
        # typed: it shows what was saved. Typed meanwhile, the typing stays, unsaved against the saved text.
        if self.edit.toPlainText() == self.stored:
            self.edit.setPlainText(notes)
        self.stored = notes

    def _finished(self, session_id: UUID, text: str) -> None:
        if self._saving.get(session_id) == text:
            del self._saving[session_id]
        self._show_state()

    @Slot()
    def keep_mine(self) -> None:
        self.stored = self.theirs if self.theirs is not None else self.stored
        self.theirs = None
        self.save()
        self._show_state()

    @Slot()
    def take_theirs(self) -> None:
        if self.theirs is not None:
            self.stored, self.theirs = self.theirs, None
            self.edit.setPlainText(self.stored)
        self._show_state()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        if watched is self.edit and event.type() == QEvent.Type.FocusOut and self.theirs is None:
            self.save()  # leaving the field saves (not while the person is asked which text to keep)
        return super().eventFilter(watched, event)
