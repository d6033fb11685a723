"""Backups of the whole record, and their restore: the PostgreSQL database (pg_dump's custom format) and
every file in the default storage, with a manifest of SHA-256 checksums and of every table's row count.

`manage.py backup DIR` and `manage.py restore DIR` (run by scripts/backup.sh and scripts/restore.sh) call
`backup_take` and `backup_restore`. Files go through Django's storage API, so the same code copies a
folder on the local disk, an Azure container or an S3 bucket. Every problem found is named; none stops
the search for the others, so one run lists them all.
"""

import datetime
import hashlib
import json
import os
import shutil
import subprocess
from pathlib import Path, PurePosixPath

from django.apps import apps
from django.core.files import File
from django.core.files.storage import default_storage
from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS, connections, models, transaction
from storages.backends.azure_storage import AzureStorage

from secamb_journey.stored_files import storage_ensure

MANIFEST = "manifest.json"
SUMS = "SHA256SUMS"
DUMP = "database.dump"
FILES = "files"
FORMAT = 1
CHUNK = 1024 * 1024


class BackupError(Exception):
    """What is wrong with a backup, a target or a restored copy: one line per problem."""

    def __init__(self, headline: str, problems: list[str] = ()):
        self.problems = list(problems)
        super().__init__("\n  ".join([headline, *self.problems]))


class BackupUnsupported(BackupError):
    """The configured database is not PostgreSQL."""


def _copy_hashing(source, target=None) -> tuple[str, int]:
    """SHA-256 and size of a stream, read in chunks (an evidence file may be larger than memory likes),
    written on to `target` as it is read."""
    digest, size = hashlib.sha256(), 0
    while chunk := source.read(CHUNK):
        digest.update(chunk)
        size += len(chunk)
        if target is not None:
            target.write(chunk)
    return digest.hexdigest(), size


def file_checksum(path: Path) -> tuple[str, int]:
    with open(path, "rb") as stream:
        return _copy_hashing(stream)


def stored_checksum(storage, name: str) -> tuple[str, int]:
    with storage.open(name, "rb") as stream:
        return _copy_hashing(stream)


def storage_names(storage, directory: str = "") -> list[str]:
    """Every file's name in the storage, sorted. A filesystem storage whose folder does not exist yet
    is empty, not an error."""
    try:
        folders, files = storage.listdir(directory)
    except FileNotFoundError:
        return []
    if isinstance(storage, AzureStorage):
        # django-storages' Azure backend lists every blob below a path under its full name, its location
        # included (and with no location, every blob in the container): the storage's names are below it.
        prefix = f"{storage.location.strip('/')}/" if storage.location.strip("/") else ""
        return sorted(name.removeprefix(prefix) for name in files if name.startswith(prefix))
    names = [f"{directory}/{name}" if directory else name for name in files]
    for folder in folders:
        names.extend(storage_names(storage, f"{directory}/{folder}" if directory else folder))
    return sorted(names)


def _local_path(root: Path, name: str) -> Path:
    """Where a stored name lives inside a backup: refused if it would leave the backup's folder."""
    parts = PurePosixPath(name).parts
    if not parts or name.startswith("/") or ".." in parts:
        raise BackupError(f"refusing the stored name {name!r}: it would leave the backup's folder")
    return root.joinpath(*parts)


def _differs(what: str, found: tuple[str, int], entry: dict, source: str) -> str:
    sha256, size = found
    return f"{what}: SHA-256 {sha256} ({size} bytes), {source} says {entry['sha256']} ({entry['size']} bytes)"


def files_export(storage, root: Path) -> list[dict]:
    """Copy every stored file under `root`, each at its stored name; return their manifest entries."""
    entries = []
    for name in storage_names(storage):
        path = _local_path(root, name)
        path.parent.mkdir(parents=True, exist_ok=True)
        with storage.open(name, "rb") as source, open(path, "xb") as target:
            sha256, size = _copy_hashing(source, target)
        entries.append({"name": name, "size": size, "sha256": sha256})
    return entries


def files_import(storage, root: Path, entries: list[dict]) -> list[str]:
    """Save each file of a backup into the storage under its stored name; return the problems."""
    problems = []
    for entry in entries:
        with open(_local_path(root, entry["name"]), "rb") as source:
            saved = storage.save(entry["name"], File(source))
        if saved != entry["name"]:
            problems.append(f"file {entry['name']}: the storage saved it as {saved!r}")
    return problems


def files_verify(storage, entries: list[dict]) -> list[str]:
    """Each manifest entry against the file as stored now: present, same size, same SHA-256. A stored
    file the manifest does not name is a problem too (the storage was not fresh)."""
    problems = []
    for entry in entries:
        name = entry["name"]
        if not storage.exists(name):
            problems.append(f"file {name}: missing from the storage")
            continue
        found = stored_checksum(storage, name)
        if found != (entry["sha256"], entry["size"]):
            problems.append(_differs(f"file {name}", found, entry, "the backup"))
    extra = sorted(set(storage_names(storage)) - {entry["name"] for entry in entries})
    problems.extend(f"file {name}: in the storage but not in the backup" for name in extra)
    return problems


def table_row_counts(connection) -> dict[str, int]:
    """Every table's row count (the tables of the connection's schema), in one read."""
    with connection.cursor() as cursor:
        names = connection.introspection.table_names(cursor)
        counts = {}
        for name in names:
            cursor.execute(f"SELECT count(*) FROM {connection.ops.quote_name(name)}")  # noqa: S608 -- a table name from the catalogue, quoted
            counts[name] = cursor.fetchone()[0]
    return counts


def counts_compare(expected: dict[str, int], found: dict[str, int]) -> list[str]:
    problems = []
    for name in sorted(expected.keys() | found.keys()):
        if name not in found:
            problems.append(f"table {name}: missing (the backup has {expected[name]} rows)")
        elif name not in expected:
            problems.append(f"table {name}: not in the backup ({found[name]} rows)")
        elif expected[name] != found[name]:
            problems.append(f"table {name}: {found[name]} rows, the backup has {expected[name]}")
    return problems


def postgres_environment(connection) -> dict[str, str]:
    """libpq's environment for the database Django is configured with: pg_dump and pg_restore reach
    exactly what the app reaches (host, port, user, password, database), whatever DATABASE_URL's form."""
    if connection.vendor != "postgresql":
        raise BackupUnsupported(
            f"backups support PostgreSQL only; DATABASE_URL names a {connection.vendor} database "
            "(on the embedded SQLite default, copy db.sqlite3 and the stored files' folder while the app is stopped)"
        )
    settings = connection.settings_dict
    values = {
        "PGDATABASE": settings["NAME"],
        "PGUSER": settings["USER"],
        "PGPASSWORD": settings["PASSWORD"],
        "PGHOST": settings["HOST"],
        "PGPORT": str(settings["PORT"] or ""),
    }
    for option in ("sslmode", "sslrootcert", "sslcert", "sslkey"):
        if value := settings.get("OPTIONS", {}).get(option):
            values[f"PG{option.upper()}"] = str(value)
    return {**os.environ, **{key: value for key, value in values.items() if value}}


def _program(pg_bin: str | None, name: str) -> str:
    found = shutil.which(name, path=pg_bin) if pg_bin else shutil.which(name)
    if found is None:
        raise BackupError(f"{name} not found (looked in {pg_bin or 'PATH'}): install PostgreSQL's client programs")
    return found


def _run(command: list[str], *, env: dict) -> None:
    finished = subprocess.run(command, env=env, capture_output=True, text=True, check=False)  # noqa: S603 -- our own arguments
    if finished.returncode != 0:
        raise BackupError(f"{Path(command[0]).name} failed (exit {finished.returncode})", finished.stderr.splitlines())


def stored_references(connection) -> dict[str, str]:
    """Every stored file's name that a row names (each FileField of each model), with where it is named."""
    found = {}
    for model in apps.get_models():
        for field in model._meta.concrete_fields:
            if isinstance(field, models.FileField):
                rows = model._meta.base_manager.db_manager(connection.alias).exclude(**{field.attname: ""})
                for name in rows.exclude(**{f"{field.attname}__isnull": True}).values_list(field.attname, flat=True):
                    found[name] = f"{model._meta.db_table}.{field.column}"
    return found


def references_check(connection, storage, unstored: list[dict]) -> list[str]:
    """Every file a row of the restored database names is stored (but those already missing at backup)."""
    stored = set(storage_names(storage)) | {entry["name"] for entry in unstored}
    return [
        f"file {name}: named by {where} but not in the storage"
        for name, where in sorted(stored_references(connection).items())
        if name not in stored
    ]


def _dump_in_snapshot(connection, *, env: dict, pg_dump: str, path: Path) -> tuple[dict[str, int], dict[str, str]]:
    """pg_dump of the snapshot in which the rows were counted and the stored files' names read: the counts
    and names are the dump's, exactly, even while the app goes on writing."""
    connection.ensure_connection()
    with transaction.atomic(using=connection.alias):
        with connection.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            cursor.execute("SELECT pg_export_snapshot()")
            snapshot = cursor.fetchone()[0]
        counts, references = table_row_counts(connection), stored_references(connection)
        _run([pg_dump, "--format=custom", f"--snapshot={snapshot}", f"--file={path}"], env=env)
    return counts, references


def backup_take(directory: Path, *, connection, storage, pg_bin: str | None = None) -> dict:
    """Write a backup into `directory` (new, or an empty folder): the dump, the files, the manifest.

    Files are copied after the database's snapshot, and stored files are never changed in place, so
    every file a row of the dump names is in the copy (with, at most, files uploaded since).
    """
    env = postgres_environment(connection)
    pg_dump = _program(pg_bin, "pg_dump")
    directory.mkdir(parents=True, exist_ok=True)
    if any(directory.iterdir()):
        raise BackupError(f"{directory} is not empty: give each backup a folder of its own")
    counts, references = _dump_in_snapshot(connection, env=env, pg_dump=pg_dump, path=directory / DUMP)
    sha256, size = file_checksum(directory / DUMP)
    files = files_export(storage, directory / FILES)
    copied = {entry["name"] for entry in files}
    manifest = {
        "format": FORMAT,
        "taken_at": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "database": {"name": DUMP, "size": size, "sha256": sha256},
        "files": files,
        "tables": counts,
        # Files a row names that were already missing from the storage: the backup cannot hold them, and
        # says so (the command warns), rather than refusing to back up everything else.
        "unstored": [
            {"name": name, "named_by": where} for name, where in sorted(references.items()) if name not in copied
        ],
    }
    (directory / MANIFEST).write_text(json.dumps(manifest, indent=1, sort_keys=True) + "\n")
    # The same checksums for `sha256sum -c SHA256SUMS`, to check a copy of the backup without the app.
    lines = [f"{sha256}  {DUMP}"] + [f"{e['sha256']}  {FILES}/{e['name']}" for e in manifest["files"]]
    (directory / SUMS).write_text("\n".join(lines) + "\n")
    return manifest


def backup_check(directory: Path) -> dict:
    """Read a backup's manifest and check everything it lists is there, unchanged: the dump first, then
    every file. Raise naming each difference; return the manifest."""
    try:
        manifest = json.loads((directory / MANIFEST).read_text())
    except (OSError, ValueError) as error:
        raise BackupError(f"{directory} is not a backup: cannot read {MANIFEST} ({error})") from error
    if manifest.get("format") != FORMAT:
        raise BackupError(f"{directory / MANIFEST}: format {manifest.get('format')!r}, this version reads {FORMAT}")
    expected = [(DUMP, manifest["database"])] + [(f"{FILES}/{entry['name']}", entry) for entry in manifest["files"]]
    problems = []
    for relative, entry in expected:
        path = _local_path(directory, relative)
        if not path.is_file():
            problems.append(f"{relative}: missing from the backup")
            continue
        found = file_checksum(path)
        if found != (entry["sha256"], entry["size"]):
            problems.append(_differs(relative, found, entry, "the manifest"))
    if problems:
        raise BackupError(f"refusing a damaged or altered backup ({directory}):", problems)
    return manifest


def _target_check(connection, storage) -> None:
    problems = []
    if tables := connection.introspection.table_names():
        problems.append(
            f"the database {connection.settings_dict['NAME']!r} has {len(tables)} tables "
            f"({', '.join(tables[:3])}, ...): "
            "restore only into a new, empty database (createdb)"
        )
    if names := storage_names(storage):
        problems.append(
            f"the storage holds {len(names)} files ({', '.join(names[:3])}, ...): "
            "restore only into a new, empty container, bucket or folder"
        )
    if problems:
        raise BackupError("refusing to restore over existing data:", problems)


def backup_restore(directory: Path, *, connection, storage, pg_bin: str | None = None) -> dict:
    """Restore a backup into an empty database and an empty storage, then check the result against the
    manifest: every stored file's checksum, every table's row count, and every file a restored row names is
    stored. Raise naming each mismatch."""
    env = postgres_environment(connection)
    pg_restore = _program(pg_bin, "pg_restore")
    manifest = backup_check(directory)
    storage_ensure()  # a new Azure container or S3 bucket is made (private), as `manage.py ensure_storage` does
    _target_check(connection, storage)
    # One transaction: a restore that fails leaves the database as empty as it found it.
    command = [pg_restore, "--exit-on-error", "--single-transaction", "--no-owner", "--no-privileges"]
    _run([*command, f"--dbname={env['PGDATABASE']}", str(directory / DUMP)], env=env)
    problems = files_import(storage, directory / FILES, manifest["files"])
    problems += files_verify(storage, manifest["files"])
    problems += counts_compare(manifest["tables"], table_row_counts(connection))
    problems += references_check(connection, storage, manifest.get("unstored", []))
    if problems:
        raise BackupError("the restored copy differs from the backup:", problems)
    return manifest


class BackupCommand(BaseCommand):
    """`backup` and `restore`: one folder, an optional PostgreSQL bin folder, and their errors as exit codes
    (2 where the database is not PostgreSQL, 1 for any other problem)."""

    directory_help = ""
    program = ""  # pg_dump or pg_restore

    def add_arguments(self, parser):
        parser.add_argument("directory", type=Path, help=self.directory_help)
        parser.add_argument("--pg-bin", default=None, help=f"The folder holding {self.program} (default: PATH).")

    def run(self, job, directory: Path, pg_bin: str | None) -> dict:
        try:
            return job(directory, connection=connections[DEFAULT_DB_ALIAS], storage=default_storage, pg_bin=pg_bin)
        except BackupUnsupported as error:
            raise CommandError(str(error), returncode=2) from None
        except BackupError as error:
            raise CommandError(str(error)) from None
