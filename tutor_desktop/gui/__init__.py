"""The desktop windows. Imports the domain layer only: the database arrives as plain callables from app.py."""
