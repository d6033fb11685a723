"""Issue 29: the restore drill. A seeded record (evidence files, a year of history, published and withdrawn
updates, frozen board packs) is backed up with scripts/backup.sh and restored with scripts/restore.sh into a
new database on the same server and a new storage, and the restored copy is compared with the original,
each read by a process of its own (secamb_journey/tests/restore_probe.py). PostgreSQL only; the stored files
are on Azurite (STORAGE_BACKEND=azure, a new container) when scripts/with-services.sh runs it, else on the
filesystem (a new MEDIA_ROOT).
"""

import json
import os
import subprocess
import sys
import uuid
from pathlib import Path

import psycopg2
import pytest
from azure.storage.blob import ContainerClient
from django.conf import settings as django_settings
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from reports.models import BoardPack, PublishedUpdate, UpdateStatus
from reports.services.board_pack import board_pack_generate
from reports.services.editorial import update_withdraw
from secamb_journey.storage_settings import default_storage_from_environment
from secamb_journey.stored_files import storage_ensure

ROOT = Path(django_settings.BASE_DIR)
WITHDRAWAL_NOTE = "Withdrawn in the restore drill: a figure was wrong."

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def database_url(name: str) -> str:
    values = connection.settings_dict
    password = f":{values['PASSWORD']}" if values["PASSWORD"] else ""
    return f"postgres://{values['USER']}{password}@{values['HOST']}:{values['PORT']}/{name}"


class Stores:
    """Where stored files go, by name: on Azurite, a container each, when AZURITE_CONNECTION_STRING is set
    (scripts/with-services.sh sets it); else a MEDIA_ROOT each. `environment` is what a process is given."""

    def __init__(self, tmp_path: Path):
        self.tmp_path, self.run = tmp_path, uuid.uuid4().hex[:8]
        self.azurite = os.environ.get("AZURITE_CONNECTION_STRING")

    def environment(self, name: str) -> dict:
        if self.azurite:
            return {
                "STORAGE_BACKEND": "azure",
                "AZURE_CONNECTION_STRING": self.azurite,
                "AZURE_CONTAINER": f"drill-{self.run}-{name}",
            }
        return {"STORAGE_BACKEND": "filesystem", "MEDIA_ROOT": str(self.tmp_path / name)}

    def use_here(self, name: str, settings, monkeypatch) -> None:
        """This process's default storage becomes the named one, configured as a deployment's would be."""
        for variable, value in self.environment(name).items():
            monkeypatch.setenv(variable, value)
        settings.MEDIA_ROOT = self.tmp_path / name
        settings.STORAGES = {**settings.STORAGES, "default": default_storage_from_environment()}
        storage_ensure()

    def untouched(self, name: str) -> bool:
        if self.azurite:
            return not self._container(name).exists()
        return not (self.tmp_path / name).exists()

    def _container(self, name: str):
        return ContainerClient.from_connection_string(self.azurite, self.environment(name)["AZURE_CONTAINER"])

    def remove(self, names) -> None:
        for name in names if self.azurite else ():
            if self._container(name).exists():
                self._container(name).delete_container()


@pytest.fixture
def stores(tmp_path):
    made = Stores(tmp_path)
    yield made
    made.remove(["original", "restored", "tampered"])


def environment(*, database: str, storage: dict) -> dict:
    """The scripts' and the probe's environment: one database, one storage, and no shared cache (each
    process renders from its own database, never from a page another process stored)."""
    env = {key: value for key, value in os.environ.items() if key != "REDIS_URL"}
    return (
        env
        | storage
        | {"DJANGO_SETTINGS_MODULE": "secamb_journey.settings.test", "DATABASE_URL": database_url(database)}
    )


def run(command: list[str], env: dict) -> subprocess.CompletedProcess:
    return subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120, check=False)  # noqa: S603


def probe(env: dict) -> dict:
    finished = run([sys.executable, "-m", "secamb_journey.tests.restore_probe"], env)
    assert finished.returncode == 0, finished.stderr
    return json.loads(finished.stdout)


@pytest.fixture
def new_database():
    """Empty databases beside the test database, dropped afterwards whatever happens."""
    made = []

    def make(suffix: str) -> str:
        name = f"{connection.settings_dict['NAME']}_{suffix}"
        with connection.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            cursor.execute(f'CREATE DATABASE "{name}"')
        made.append(name)
        return name

    yield make
    with connection.cursor() as cursor:
        for name in made:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def seed_record(settings) -> None:
    """The demo's record, replayed through the services, then one published update withdrawn and a second,
    ad-hoc board pack: evidence files, history, published and withdrawn updates, frozen packs."""
    settings.DEBUG = True
    with open(os.devnull, "w") as quiet:
        call_command("seed_demo", stdout=quiet)
    comms = get_user_model().objects.get(username="comms")
    published = PublishedUpdate.objects.filter(status=UpdateStatus.PUBLISHED).order_by("period").first()
    update_withdraw(update=published, editor=comms, note=WITHDRAWAL_NOTE)
    board_pack_generate(day=timezone.localdate())


def test_a_backup_restored_into_a_new_database_and_storage_loses_nothing(
    settings, monkeypatch, tmp_path, new_database, stores
):
    stores.use_here("original", settings, monkeypatch)
    seed_record(settings)
    source = environment(database=connection.settings_dict["NAME"], storage=stores.environment("original"))
    backup = tmp_path / "backup"

    finished = run(["bash", "scripts/backup.sh", str(backup)], source)
    assert finished.returncode == 0, finished.stderr
    manifest = json.loads((backup / "manifest.json").read_text())

    restored = environment(database=new_database("restored"), storage=stores.environment("restored"))
    finished = run(["bash", "scripts/restore.sh", str(backup)], restored)
    assert finished.returncode == 0, finished.stderr
    assert "Restored and checked" in finished.stdout

    before, after = probe(source), probe(restored)
    # The data set has what the drill is about.
    assert len(before["evidence"]) >= 3
    assert before["updates"][UpdateStatus.PUBLISHED] >= 1
    assert before["updates"][UpdateStatus.WITHDRAWN] == 1
    assert BoardPack.objects.count() == len(before["board_packs"]) == 2
    assert before["histories"] and all(each["changes"] for each in before["histories"].values())

    # Every row count equal: the restored copy's, the original's and the manifest's.
    assert after["tables"] == before["tables"] == manifest["tables"]
    assert sum(manifest["tables"].values()) > 1000
    # Every evidence file as stored has the checksum recorded when it was uploaded, in both copies.
    assert after["evidence"] == before["evidence"]
    assert all(each["stored"] == each["recorded"] for each in after["evidence"].values())
    assert {entry["name"] for entry in manifest["files"]} >= set(before["evidence"])
    assert manifest["unstored"] == []
    # Every frozen pack's stored checksum still verifies.
    assert after["board_packs"] == before["board_packs"]
    assert all(each["computed"] == each["recorded"] for each in after["board_packs"].values())
    # Every published (and withdrawn) update's public page, byte for byte; and the sample's history.
    assert after["public_pages"] == before["public_pages"]
    withdrawn = PublishedUpdate.objects.get(status=UpdateStatus.WITHDRAWN)
    statuses = {path: page["status"] for path, page in after["public_pages"].items()}
    # A withdrawn update's page is its public note, answering 404 as it is no longer published.
    assert statuses == dict.fromkeys(statuses, 200) | {f"/updates/{withdrawn.slug}/": 404}
    assert WITHDRAWAL_NOTE in after["public_pages"][f"/updates/{withdrawn.slug}/"]["body"]
    assert after["histories"] == before["histories"]
    assert after["updates"] == before["updates"]

    # Restoring again over the restored copy is refused, naming both the database and the storage.
    finished = run(["bash", "scripts/restore.sh", str(backup)], restored)
    assert finished.returncode == 1
    assert "refusing to restore over existing data" in finished.stderr
    assert "tables" in finished.stderr and "the storage holds" in finished.stderr


def test_restore_refuses_a_backup_with_an_altered_file_naming_it(settings, monkeypatch, tmp_path, new_database, stores):
    stores.use_here("original", settings, monkeypatch)
    for name in ("evidence/MD-01/a.pdf", "evidence/MD-01/b.pdf", "held-evidence/c.pdf"):
        default_storage.save(name, ContentFile(f"the file {name}".encode()))
    source = environment(database=connection.settings_dict["NAME"], storage=stores.environment("original"))
    backup = tmp_path / "backup"
    assert run(["bash", "scripts/backup.sh", str(backup)], source).returncode == 0
    with open(backup / "files" / "evidence" / "MD-01" / "b.pdf", "ab") as altered:
        altered.write(b" and one more line")

    target = new_database("tampered")
    finished = run(
        ["bash", "scripts/restore.sh", str(backup)],
        environment(database=target, storage=stores.environment("tampered")),
    )

    assert finished.returncode == 1
    assert "refusing a damaged or altered backup" in finished.stderr
    assert "files/evidence/MD-01/b.pdf: SHA-256" in finished.stderr
    assert "a.pdf" not in finished.stderr
    # Refused before anything was written.
    with psycopg2.connect(database_url(target)) as other, other.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'")
        assert cursor.fetchone()[0] == 0
    assert stores.untouched("tampered")
