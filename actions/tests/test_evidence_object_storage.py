"""Evidence in object storage is the same evidence on every app server: uploaded through one process, it is
downloaded through another with a different working directory and an empty MEDIA_ROOT of its own (no
shared disk), byte for byte, after the same need-to-know check; and it never has a public address.

Against Azurite (scripts/with-services.sh starts it and sets AZURITE_CONNECTION_STRING).
"""

import hashlib
import json
import os
import re
import subprocess
import sys
import urllib.error
import urllib.request
import uuid
from pathlib import Path

import pytest
from azure.storage.blob import ContainerClient

from reports.tests.processes import ROOT, MigratedDatabase, Site

# More than the upload's in-memory limit and the storage's download buffer (both 2 MiB), under the 10 MB cap.
CONTENT = b"".join(f"Audit line {n}: vehicle checked, medicines in date.\n".encode() for n in range(60_000))

UPLOAD = """
import json
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from actions.models import Evidence
from actions.tests.factories import ActionFactory, UserFactory
from secamb_journey.roles import Role

owner = UserFactory(username="owner", roles=[Role.OWNER])
UserFactory(username="lead", roles=[Role.LEAD])
UserFactory(username="owner2", roles=[Role.OWNER])
ActionFactory(reference="MD-010", owner=owner)
client = Client()
client.force_login(owner)
with open("upload.txt", "rb") as chosen:
    upload = SimpleUploadedFile("audit.txt", chosen.read())
response = client.post("/actions/MD-010/evidence/", {"file": upload, "description": "The audit"})
evidence = Evidence.objects.get()
print(json.dumps({"status": response.status_code, "id": evidence.pk, "name": evidence.file.name,
                  "sha256": evidence.sha256}))
"""

DOWNLOAD = """
import hashlib, json
from django.contrib.auth import get_user_model
from django.test import Client
from actions.models import Evidence

evidence = Evidence.objects.get()
answers = {}
for username in ("lead", "owner2"):
    client = Client()
    client.force_login(get_user_model().objects.get(username=username))
    response = client.get(f"/actions/MD-010/evidence/{evidence.pk}/")
    body = b"".join(response.streaming_content) if response.status_code == 200 else response.content
    answers[username] = {"status": response.status_code, "sha256": hashlib.sha256(body).hexdigest(),
                         "page": client.get("/actions/MD-010/").content.decode()}
print(json.dumps(answers))
"""


def _run(env: dict, cwd: Path, code: str) -> dict:
    """`manage.py shell -c CODE` as its own process in `cwd`; the JSON it printed last."""
    result = subprocess.run(  # noqa: S603 -- a fixed argument list, no shell
        [sys.executable, str(ROOT / "manage.py"), "shell", "-c", code],
        env=env,
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


@pytest.fixture
def site(tmp_path):
    """A database of its own that both processes share (as two app servers share PostgreSQL)."""
    made = Site(tmp_path / "database")
    yield made
    made.stop()
    MigratedDatabase.forget()


def _server(site: Site, folder: Path, container: str) -> tuple[dict, Path]:
    """One app server's environment and working directory: its own folder, its own empty MEDIA_ROOT."""
    (folder / "media").mkdir(parents=True)
    env = {
        **site.env,
        "MEDIA_ROOT": str(folder / "media"),
        "STORAGE_BACKEND": "azure",
        "AZURE_CONNECTION_STRING": os.environ["AZURITE_CONNECTION_STRING"],
        "AZURE_CONTAINER": container,
    }
    return env, folder


@pytest.mark.azurite
def test_evidence_uploaded_on_one_server_is_downloaded_on_another_byte_for_byte_and_privately(site, tmp_path):
    container = f"xproc-{uuid.uuid4().hex[:12]}"
    first_env, first = _server(site, tmp_path / "first", container)
    second_env, second = _server(site, tmp_path / "second", container)
    (first / "upload.txt").write_bytes(CONTENT)

    made = subprocess.run(  # noqa: S603 -- a fixed argument list, no shell
        [sys.executable, str(ROOT / "manage.py"), "ensure_storage"], env=first_env, cwd=first, capture_output=True
    )
    assert made.returncode == 0 and f"Made the Azure container '{container}'" in made.stdout.decode()
    uploaded = _run(first_env, first, UPLOAD)
    assert uploaded["status"] == 302
    assert uploaded["sha256"] == hashlib.sha256(CONTENT).hexdigest()

    answers = _run(second_env, second, DOWNLOAD)
    assert answers["lead"]["status"] == 200
    assert answers["lead"]["sha256"] == uploaded["sha256"]
    # The need-to-know check, unchanged: another owner may not have it.
    assert answers["owner2"]["status"] == 403
    # Neither server kept anything on its own disk.
    assert [p for p in (first / "media").rglob("*")] == [] == [p for p in (second / "media").rglob("*")]

    # In the private container, under a name that is not the uploader's; no page links to the storage.
    blobs = ContainerClient.from_connection_string(os.environ["AZURITE_CONNECTION_STRING"], container)
    assert blobs.get_container_properties().public_access is None
    assert blobs.download_blob(uploaded["name"]).readall() == CONTENT
    blob_url = blobs.get_blob_client(uploaded["name"]).url
    page = answers["lead"]["page"]
    assert f'href="/actions/MD-010/evidence/{uploaded["id"]}/"' in page
    endpoint = re.search(r"BlobEndpoint=([^;]+)", os.environ["AZURITE_CONNECTION_STRING"]).group(1)
    assert endpoint.split("//")[1].split("/")[0] not in page and "devstoreaccount1" not in page
    # Its address, asked without the account key, answers nothing.
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(blob_url, timeout=10)  # noqa: S310 -- a loopback http:// address
    assert refused.value.code in (403, 404)
