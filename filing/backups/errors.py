"""What can go wrong with a backup or a restore, each with a message for the operator."""


class BackupError(Exception):
    """The backup was not written (and no archive is left behind)."""


class ArchiveError(Exception):
    """The archive is damaged, truncated, changed, or not a backup of this platform."""


class RestoreRefused(Exception):
    """The restore did not start: nothing in the database or the storage was touched."""


class RestoreFailed(Exception):
    """The restore started and failed: the transaction was rolled back and the files it had
    written were removed, so the instance is as it was before."""
