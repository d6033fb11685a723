"""Issue 29: the pieces of backup and restore that need no PostgreSQL: copying stored files out and back
with their checksums, checking a backup against its manifest, comparing row counts, and the refusal on
SQLite. The whole drill against PostgreSQL is test_restore_drill.py."""

import hashlib
import json
import os
import subprocess
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage, default_storage
from django.db import connection

from actions.tests.factories import EvidenceFactory
from secamb_journey.backup import (
    DUMP,
    FILES,
    FORMAT,
    MANIFEST,
    BackupError,
    backup_check,
    counts_compare,
    files_export,
    files_import,
    files_verify,
    references_check,
    storage_names,
    stored_references,
)

NAMES = ["evidence/MD-01/a.pdf", "evidence/SD-04/b.docx", "held-evidence/c.png"]


@pytest.fixture
def storage(tmp_path):
    stored = FileSystemStorage(location=tmp_path / "stored")
    for name in NAMES:
        stored.save(name, ContentFile(f"the bytes of {name}".encode()))
    return stored


def a_backup(directory: Path, storage) -> Path:
    """A backup as `backup` writes it, with a stand-in for the dump (its checks are the files' checks)."""
    directory.mkdir()
    (directory / DUMP).write_bytes(b"PGDMP stand-in")
    manifest = {
        "format": FORMAT,
        "taken_at": "2026-12-05T10:00:00+00:00",
        "database": {"name": DUMP, "size": 14, "sha256": hashlib.sha256(b"PGDMP stand-in").hexdigest()},
        "files": files_export(storage, directory / FILES),
        "tables": {"actions_action": 3},
    }
    (directory / MANIFEST).write_text(json.dumps(manifest))
    return directory


def test_every_stored_file_is_copied_out_under_its_name_with_its_checksum(storage, tmp_path):
    entries = files_export(storage, tmp_path / "out")

    assert [entry["name"] for entry in entries] == sorted(NAMES)
    for entry in entries:
        content = (tmp_path / "out" / entry["name"]).read_bytes()
        assert content == f"the bytes of {entry['name']}".encode()
        assert entry == {"name": entry["name"], "size": len(content), "sha256": hashlib.sha256(content).hexdigest()}


def test_an_empty_or_missing_storage_folder_has_no_files(tmp_path):
    assert storage_names(FileSystemStorage(location=tmp_path / "never-made")) == []


def test_files_copied_back_into_a_new_storage_verify(storage, tmp_path):
    entries = files_export(storage, tmp_path / "out")
    fresh = FileSystemStorage(location=tmp_path / "fresh")

    assert files_import(fresh, tmp_path / "out", entries) == []
    assert files_verify(fresh, entries) == []
    assert storage_names(fresh) == sorted(NAMES)


def test_verifying_names_each_missing_altered_and_unexpected_file(storage, tmp_path):
    entries = files_export(storage, tmp_path / "out")
    storage.delete("evidence/MD-01/a.pdf")
    with open(storage.path("held-evidence/c.png"), "ab") as altered:
        altered.write(b"!")
    storage.save("evidence/XX-99/stray.pdf", ContentFile(b"not in the backup"))

    problems = files_verify(storage, entries)

    assert problems[0] == "file evidence/MD-01/a.pdf: missing from the storage"
    assert problems[1].startswith("file held-evidence/c.png: SHA-256 ")
    assert "the backup says" in problems[1]
    assert problems[2] == "file evidence/XX-99/stray.pdf: in the storage but not in the backup"
    assert len(problems) == 3


def test_a_backup_as_written_passes_its_check(storage, tmp_path):
    backup = a_backup(tmp_path / "backup", storage)
    assert backup_check(backup)["tables"] == {"actions_action": 3}


def test_a_backup_with_an_altered_dump_or_file_is_refused_naming_each(storage, tmp_path):
    backup = a_backup(tmp_path / "backup", storage)
    (backup / DUMP).write_bytes(b"PGDMP altered!")
    (backup / FILES / "evidence" / "SD-04" / "b.docx").write_bytes(b"something else")
    (backup / FILES / "held-evidence" / "c.png").unlink()

    with pytest.raises(BackupError) as refused:
        backup_check(backup)

    assert str(refused.value).startswith(f"refusing a damaged or altered backup ({backup}):")
    assert [problem.split(":")[0] for problem in refused.value.problems] == [
        "database.dump",
        "files/evidence/SD-04/b.docx",
        "files/held-evidence/c.png",
    ]
    assert refused.value.problems[2] == "files/held-evidence/c.png: missing from the backup"


def test_a_folder_without_a_manifest_is_not_a_backup(tmp_path):
    with pytest.raises(BackupError, match="is not a backup: cannot read manifest.json"):
        backup_check(tmp_path)


def test_a_manifest_naming_a_file_outside_the_backup_is_refused(storage, tmp_path):
    backup = a_backup(tmp_path / "backup", storage)
    manifest = json.loads((backup / MANIFEST).read_text())
    manifest["files"].append({"name": "../../etc/passwd", "size": 1, "sha256": "0" * 64})
    (backup / MANIFEST).write_text(json.dumps(manifest))

    with pytest.raises(BackupError, match="files/../../etc/passwd': it would leave the backup's folder"):
        backup_check(backup)


def test_row_counts_are_compared_table_by_table():
    problems = counts_compare(
        {"actions_action": 30, "actions_evidence": 12, "reports_boardpack": 2},
        {"actions_action": 30, "actions_evidence": 11, "reports_extra": 0},
    )
    assert problems == [
        "table actions_evidence: 11 rows, the backup has 12",
        "table reports_boardpack: missing (the backup has 2 rows)",
        "table reports_extra: not in the backup (0 rows)",
    ]


@pytest.mark.parametrize("script", ["backup", "restore"])
def test_the_scripts_say_they_support_postgresql_only_on_sqlite(script, tmp_path):
    env = os.environ | {"DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}", "MEDIA_ROOT": str(tmp_path / "media")}
    env.pop("STORAGE_BACKEND", None)
    finished = subprocess.run(  # noqa: S603 -- our own script
        ["bash", f"scripts/{script}.sh", str(tmp_path / "backup")],  # noqa: S607 -- bash from PATH, as make runs it
        cwd=settings.BASE_DIR,
        env=env | {"DJANGO_SETTINGS_MODULE": "secamb_journey.settings.test"},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert finished.returncode == 2
    assert "backups support PostgreSQL only" in finished.stderr
    assert not (tmp_path / "backup").exists()


def test_a_file_a_row_names_but_the_storage_lacks_is_named_unless_the_backup_lacked_it_too(db):
    kept, lost = EvidenceFactory(), EvidenceFactory()
    default_storage.delete(lost.file.name)

    assert references_check(connection, default_storage, unstored=[]) == [
        f"file {lost.file.name}: named by actions_evidence.file but not in the storage"
    ]
    assert stored_references(connection) == {
        kept.file.name: "actions_evidence.file",
        lost.file.name: "actions_evidence.file",
    }
    assert references_check(connection, default_storage, unstored=[{"name": lost.file.name}]) == []
