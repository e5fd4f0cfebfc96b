"""Backups of the embedded database: made with the pg_dump shipped with the embedded server, verified, described
by a manifest, rotated, test-restored once a week; restore into a new database that the desk then switches to;
and the upgrade of a data folder made by another PostgreSQL major version. No Qt."""
