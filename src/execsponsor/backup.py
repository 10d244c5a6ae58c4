"""Backup and restore of the whole database: `esp backup FILE`, `esp restore FILE` and the admin's download.

SQLite: SQLite's online backup API, a consistent copy while the app keeps running. PostgreSQL: pg_dump's
custom format and pg_restore, when the PostgreSQL client tools are installed. A restore goes only into a
database that holds no program data yet, unless forced.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import tempfile
from pathlib import Path

from django.db import connection

SQLITE_MAGIC = b"SQLite format 3\x00"
PG_DUMP_MAGIC = b"PGDMP"


class BackupError(Exception):
    """Something a person must fix (a missing tool, a wrong file, a database that is not empty)."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def vendor() -> str:
    return connection.vendor


def backup_to(path: Path) -> int:
    """Write a consistent backup of the whole database to `path`; returns its size in bytes."""
    path = Path(path)
    tmp = path.with_name(f".{path.name}.partial")
    try:
        if connection.vendor == "sqlite":
            _sqlite_backup(tmp)
        elif connection.vendor == "postgresql":
            _pg_dump(tmp)
        else:
            raise BackupError(f"Backups of {connection.vendor} databases are not supported.")
        tmp.replace(path)
    finally:
        tmp.unlink(missing_ok=True)
    return path.stat().st_size


def _sqlite_backup(target: Path) -> None:
    connection.ensure_connection()
    destination = sqlite3.connect(target)
    try:
        # The backup API copies page by page under SQLite's own locking: a consistent snapshot, app running.
        connection.connection.backup(destination)
    finally:
        destination.close()


def _pg_env() -> dict[str, str]:
    settings = connection.settings_dict
    env = dict(os.environ)
    for key, name in (("HOST", "PGHOST"), ("PORT", "PGPORT"), ("USER", "PGUSER"), ("PASSWORD", "PGPASSWORD")):
        if settings.get(key):
            env[name] = str(settings[key])
    return env


def _tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise BackupError(
            f"{name} is not installed: install the PostgreSQL client tools (Debian: apt install postgresql-client) "
            "in the version of your server, or back up with your database host's own tools."
        )
    return found


def _run(command: list[str]) -> None:
    result = subprocess.run(command, env=_pg_env(), capture_output=True, text=True, check=False)  # noqa: S603
    if result.returncode != 0:
        raise BackupError(f"{Path(command[0]).name} failed: {result.stderr.strip() or result.returncode}")


def _pg_dump(target: Path) -> None:
    _run([_tool("pg_dump"), "--format=custom", "--no-owner", "--file", str(target), connection.settings_dict["NAME"]])


def has_program_data() -> bool:
    """True when the database holds anything of a program: people, accounts or engagements.

    A database that `esp init` just created holds only the schema and built-in data, and counts as empty.
    """
    from execsponsor.customers.models import Account
    from execsponsor.engagements.models import Engagement
    from execsponsor.users.models import User

    tables = set(connection.introspection.table_names())
    models = (User, Account, Engagement)
    return any(model._meta.db_table in tables and model.objects.exists() for model in models)


def restore_from(path: Path, *, force: bool = False) -> None:
    """Replace the database with the backup at `path`. Refuses a database with program data unless forced."""
    path = Path(path)
    try:
        with path.open("rb") as stream:
            head = stream.read(16)
    except OSError as error:
        raise BackupError(f"Cannot read {path}: {error.strerror}.") from None
    expected = SQLITE_MAGIC if connection.vendor == "sqlite" else PG_DUMP_MAGIC
    if not head.startswith(expected):
        kind = "a SQLite database" if connection.vendor == "sqlite" else "a pg_dump custom-format file"
        raise BackupError(f"{path} is not {kind}: restore the backup into the kind of database it came from.")
    if not force and has_program_data():
        raise BackupError(
            "The database already holds program data; a restore would replace all of it. "
            "Restore into a new, empty database, or pass --force."
        )
    if connection.vendor == "sqlite":
        _sqlite_restore(path)
    elif connection.vendor == "postgresql":
        connection.close()
        _run(
            [
                _tool("pg_restore"),
                "--clean",
                "--if-exists",
                "--no-owner",
                "--single-transaction",
                "--dbname",
                connection.settings_dict["NAME"],
                str(path),
            ]
        )
    else:
        raise BackupError(f"Restoring {connection.vendor} databases is not supported.")


def _sqlite_restore(path: Path) -> None:
    source = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        if source.execute("SELECT count(*) FROM sqlite_master WHERE name = 'django_migrations'").fetchone()[0] == 0:
            raise BackupError(f"{path} is a SQLite database, but not an ExecSponsor backup.")
        connection.ensure_connection()
        # Page by page into the live database, under its write lock: all of it, or (on error) none of it.
        source.backup(connection.connection)
    finally:
        source.close()


def backup_file_name() -> str:
    from django.utils import timezone

    suffix = "sqlite3" if connection.vendor == "sqlite" else "dump"
    return f"execsponsor-{timezone.now():%Y%m%d-%H%M%S}.{suffix}"


def backup_to_temporary() -> Path:
    """A backup in a new temporary file (for the admin's download); the caller deletes it."""
    handle, name = tempfile.mkstemp(prefix="esp-backup-")
    os.close(handle)
    backup_to(Path(name))
    return Path(name)
