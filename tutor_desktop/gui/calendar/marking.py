"""What marking a session says: the marks with their keys, the words for an answer, and the one mark that can
still be undone (a stray key must never stick)."""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from tutor_desktop.domain import Session, SessionStatus, StatusChange

UNDO_FOR_S = 120  # how long the last mark can be undone


# (status, object name, button text with mnemonic, icon, key shown in the tooltip)
STATUS_ACTIONS = [
    (SessionStatus.DONE, "markDoneButton", "&Done", "done", "D"),
    (SessionStatus.NO_SHOW_STUDENT, "markNoShowStudentButton", "&Student no-show", "no-show-student", "S"),
    (SessionStatus.NO_SHOW_TUTOR, "markNoShowTutorButton", "&Tutor no-show", "no-show-tutor", "T"),
    (SessionStatus.CANCELLED, "cancelSessionButton", "&Cancel session", "cancel", "C"),
]


@dataclass(frozen=True)
class LastMark:
    """The last mark this desk made, and what the session was before it."""

    session: Session
    previous: SessionStatus
    status: SessionStatus
    made: float = field(default_factory=time.monotonic)

    def undoable(self) -> bool:
        return time.monotonic() - self.made < UNDO_FOR_S


def describe_change(session: Session, previous: SessionStatus, change: StatusChange) -> tuple[str, str]:
    status = change.session_status
    head = f"{session.client_name}: {status.label}."
    if not change.applied:
        return f"{head} Marked, but no session was used: {change.message}", "warning"
    counts = ""
    if change.sessions_remaining is not None:
        counts = f" {change.sessions_remaining} of {change.sessions_total} remaining."
    if change.reason == "given_back":
        return f"{head} Corrected from {previous.label}: the session was given back.{counts}", "success"
    if change.reason == "consumed":
        return f"{head} One session used.{counts}", "success"
    return f"{head} No session used.{counts}", "success"


def describe_undo(session: Session, change: StatusChange) -> tuple[str, str]:
    text, kind = describe_change(session, session.status, change)
    return f"Undone. {text}", kind
