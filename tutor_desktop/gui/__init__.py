"""The desktop windows. Imports the domain layer only: the database arrives as plain callables from app.py."""

from tutor_desktop.gui.pyside_workarounds import pin_booleans

pin_booleans()
