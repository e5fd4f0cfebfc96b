"""How the client window words the ledger's reasons (pure text, no window)."""

from tutor_desktop.gui.clients.models import reason_text


def test_ledger_reasons_read_as_words():
    assert reason_text("session no_show_student") == "Marked Student No-show"
    assert reason_text("session done") == "Marked Done"
    assert reason_text("auto-complete") == "Session ended (auto-complete)"
    assert reason_text("session of yoga") == "session of yoga"  # what a person typed stays as typed
