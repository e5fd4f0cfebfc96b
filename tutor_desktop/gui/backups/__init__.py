"""The backups area: the Backups window (the list with its manifests, Backup now, Restore…, the settings) and
the scheduler that runs the daily backup and the weekly test restore in the background."""
