"""STORAGE_BACKEND chooses where stored files live; an incomplete or unknown choice stops the app starting."""

import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from secamb_journey.storage_settings import default_storage_from_environment

STORAGE_VARIABLES = (
    "STORAGE_BACKEND",
    "AZURE_CONNECTION_STRING",
    "AZURE_CONTAINER",
    "AWS_STORAGE_BUCKET_NAME",
    "AWS_S3_ENDPOINT_URL",
    "AWS_ACCESS_KEY_ID",
    "AWS_SECRET_ACCESS_KEY",
)


@pytest.fixture
def environment(monkeypatch):
    for name in STORAGE_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    return monkeypatch


def test_the_embedded_default_is_the_local_disk(environment):
    assert default_storage_from_environment() == {"BACKEND": "django.core.files.storage.FileSystemStorage"}


def test_an_unknown_backend_is_refused_naming_the_choices(environment):
    environment.setenv("STORAGE_BACKEND", "dropbox")
    with pytest.raises(ImproperlyConfigured, match=r"STORAGE_BACKEND='dropbox' is not one of: filesystem, azure, s3"):
        default_storage_from_environment()


def test_azure_without_its_settings_is_refused_naming_both(environment):
    environment.setenv("STORAGE_BACKEND", "azure")
    with pytest.raises(ImproperlyConfigured, match="AZURE_CONNECTION_STRING, AZURE_CONTAINER are not set"):
        default_storage_from_environment()
    environment.setenv("AZURE_CONNECTION_STRING", "UseDevelopmentStorage=true")
    with pytest.raises(ImproperlyConfigured, match="but AZURE_CONTAINER is not set"):
        default_storage_from_environment()


def test_s3_without_its_keys_is_refused_naming_them(environment):
    environment.setenv("STORAGE_BACKEND", "s3")
    environment.setenv("AWS_STORAGE_BUCKET_NAME", "evidence")
    with pytest.raises(ImproperlyConfigured, match="AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY are not set"):
        default_storage_from_environment()


def test_azure_is_private_and_never_overwrites(environment):
    environment.setenv("STORAGE_BACKEND", "azure")
    environment.setenv("AZURE_CONNECTION_STRING", "UseDevelopmentStorage=true")
    environment.setenv("AZURE_CONTAINER", "evidence")
    chosen = default_storage_from_environment()
    assert chosen["BACKEND"] == "storages.backends.azure_storage.AzureStorage"
    assert chosen["OPTIONS"] == {
        "connection_string": "UseDevelopmentStorage=true",
        "azure_container": "evidence",
        "overwrite_files": False,
        "expiration_secs": None,
    }


def test_s3_is_private_and_never_overwrites(environment):
    environment.setenv("STORAGE_BACKEND", "S3")
    environment.setenv("AWS_STORAGE_BUCKET_NAME", "evidence")
    environment.setenv("AWS_ACCESS_KEY_ID", "key")
    environment.setenv("AWS_SECRET_ACCESS_KEY", "secret")
    environment.setenv("AWS_S3_ENDPOINT_URL", "http://127.0.0.1:9000")
    options = default_storage_from_environment()["OPTIONS"]
    assert options["default_acl"] is None
    assert options["querystring_auth"] is True
    assert options["file_overwrite"] is False
    assert (options["bucket_name"], options["endpoint_url"]) == ("evidence", "http://127.0.0.1:9000")


def test_the_settings_refuse_to_load_with_an_incomplete_backend(environment):
    """The whole settings module, as a process starts: it stops with the message, not later on first upload."""
    result = subprocess.run(
        [sys.executable, "-c", "import secamb_journey.settings.test"],
        cwd=Path(__file__).resolve().parents[2],
        env={"PATH": "/usr/bin:/bin", "STORAGE_BACKEND": "azure", "AZURE_CONTAINER": "evidence"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode != 0
    assert "STORAGE_BACKEND=azure but AZURE_CONNECTION_STRING is not set" in result.stderr


APPS = ("actions", "measures", "pillars", "reports", "secamb_journey", "themes", "templates")
# A stored file's URL (a public or SAS address), its local path, or the local folder: none of these work,
# or all of them leak, once files are in object storage.
ONLY_ON_DISK = re.compile(r"\.file\.(url|path)\b|\bfile\.url\b|MEDIA_ROOT|MEDIA_URL|default_storage\.(url|path)\b")


def test_the_apps_use_stored_files_through_the_storage_api_only():
    root = Path(__file__).resolve().parents[2]
    found = [
        f"{path.relative_to(root)}:{number}: {line.strip()}"
        for app in APPS
        for path in (root / app).rglob("*")
        if path.suffix in {".py", ".html", ".txt"}
        and not {"tests", "settings"} & set(path.relative_to(root).parts)
        and path.name != "storage_settings.py"
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if ONLY_ON_DISK.search(line)
    ]
    assert found == []
