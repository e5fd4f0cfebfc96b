"""The desk's dialogs: Designer forms from ui/ with a small wrapper each."""
