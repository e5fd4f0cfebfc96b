"""What the package card says: each action's question and buttons, and the answers."""

from __future__ import annotations

from tutor_desktop.domain import Cancellation
from tutor_desktop.gui.kit.formatting import amount

# (what the person confirms, its button, the button that leaves it, what the answer says; {label}, {n} and {left}
# are filled in)
ACTIONS = {
    "use": ("Use 1 session of {label}?", "Use 1 session", "Cancel", "One session used. {n} remaining."),
    "reinstate": ("Give one used session back to {label}?", "Reinstate", "Cancel",
                  "One session reinstated. {n} remaining."),
}
CANCELLED = "The package was cancelled. {left} left on it."
BOOKED_WORDS = {"moved": "moved to {to}", "cancelled": "cancelled", "kept": "kept with no package"}
EXPIRY_CHANGED = "The expiry date was changed. {n} remaining."


def cancelled_text(answer: Cancellation, labels: dict) -> str:
    """What a cancellation did, e.g. 'The package was cancelled. 4 sessions left on it. 3 booked sessions moved
    to 5-session starter.'"""
    said = [f"{amount(n, 'booked session')} {BOOKED_WORDS[key].format(to=labels.get(answer.move_to, ''))}"
            for key, n in (("moved", answer.moved), ("cancelled", answer.cancelled), ("kept", answer.kept)) if n]
    text = CANCELLED.format(left=amount(answer.sessions_remaining, "session"))
    said_text = "; ".join(said)
    return text + (f" {said_text[:1].upper()}{said_text[1:]}." if said else "")
