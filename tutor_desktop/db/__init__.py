"""Database side of Tutor Desk: engine, embedded server, migrations and the repository. Never imports Qt."""
