"""/healthz tells operators whether the database, the broker and the file storage answer: 200 when all
do, 503 when not."""

import os

import pytest
from celery import current_app
from django.db import OperationalError

from secamb_journey.stored_files import storage_ensure, storage_kind

pytestmark = pytest.mark.django_db


def test_healthy_when_database_and_broker_answer(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok" and body["database"]["ok"] and body["broker"]["ok"] and body["storage"]["ok"]


def test_503_saying_the_broker_is_down(client, monkeypatch):
    monkeypatch.setitem(current_app.conf, "task_always_eager", False)
    monkeypatch.setitem(current_app.conf, "broker_url", "redis://127.0.0.1:1/0")
    monkeypatch.setitem(current_app.conf, "broker_transport_options", {"socket_connect_timeout": 0.5})
    response = client.get("/healthz")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "unavailable"
    assert body["database"]["ok"] is True
    assert body["broker"]["ok"] is False and body["broker"]["transport"] == "redis"


def test_a_filesystem_broker_needs_no_server(client, monkeypatch, tmp_path):
    monkeypatch.setitem(current_app.conf, "task_always_eager", False)
    monkeypatch.setitem(current_app.conf, "broker_url", "filesystem://")
    folder = str(tmp_path)
    monkeypatch.setitem(
        current_app.conf, "broker_transport_options", {"data_folder_in": folder, "data_folder_out": folder}
    )
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["broker"] == {"ok": True, "transport": "filesystem"}


def test_503_saying_the_database_is_down(client, monkeypatch):
    from django.db.backends.utils import CursorWrapper

    def refuse(*args, **kwargs):
        raise OperationalError("could not connect to server")

    monkeypatch.setattr(CursorWrapper, "execute", refuse)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["database"]["ok"] is False


SECRET_DETAIL = "db-primary.internal.example port 5432 user secamb_app"


def test_a_failure_is_reported_as_a_state_with_its_details_only_in_the_log(client, monkeypatch, caplog):
    from django.db.backends.utils import CursorWrapper

    def refuse(*args, **kwargs):
        raise OperationalError(f"could not connect to server {SECRET_DETAIL}")

    monkeypatch.setattr(CursorWrapper, "execute", refuse)
    monkeypatch.setitem(current_app.conf, "task_always_eager", False)
    monkeypatch.setitem(current_app.conf, "broker_url", "redis://127.0.0.1:1/0")
    monkeypatch.setitem(current_app.conf, "broker_transport_options", {"socket_connect_timeout": 0.5})
    with caplog.at_level("ERROR", logger="secamb_journey.health"):
        response = client.get("/healthz")
    assert response.status_code == 503
    body = response.content.decode()
    assert SECRET_DETAIL not in body and "127.0.0.1:1" not in body and "Error" not in body
    assert response.json() == {
        "status": "unavailable",
        "database": {"ok": False, "vendor": connection_vendor()},
        "broker": {"ok": False, "transport": "redis"},
        "storage": {"ok": True, "backend": storage_kind()},
    }
    assert SECRET_DETAIL in caplog.text


def connection_vendor():
    from django.db import connection

    return connection.vendor


def test_head_answers_like_get(client):
    head = client.head("/healthz")
    assert head.status_code == client.get("/healthz").status_code == 200
    assert head.content == b""


def test_head_answers_503_like_get_when_a_service_is_down(client, monkeypatch):
    monkeypatch.setitem(current_app.conf, "task_always_eager", False)
    monkeypatch.setitem(current_app.conf, "broker_url", "redis://127.0.0.1:1/0")
    monkeypatch.setitem(current_app.conf, "broker_transport_options", {"socket_connect_timeout": 0.5})
    assert client.head("/healthz").status_code == 503


# The development account's well-known key (Azurite's; public, not a secret), at an address nothing answers.
AZURE_DOWN = (
    "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;"
    "AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;"
    "BlobEndpoint=http://127.0.0.1:1/devstoreaccount1;"
)


def _azure(settings, connection_string, container="healthz-evidence"):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "storages.backends.azure_storage.AzureStorage",
            "OPTIONS": {"connection_string": connection_string, "azure_container": container},
        },
    }


def test_the_local_disk_is_reported_as_the_storage(client, settings):
    settings.STORAGES = {**settings.STORAGES, "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"}}
    assert client.get("/healthz").json()["storage"] == {"ok": True, "backend": "filesystem"}


def test_503_saying_the_storage_is_down_when_azure_does_not_answer(client, settings, caplog):
    _azure(settings, AZURE_DOWN)
    with caplog.at_level("ERROR", logger="secamb_journey.health"):
        response = client.get("/healthz")
    assert response.status_code == 503
    body = response.json()
    assert body["storage"] == {"ok": False, "backend": "azure"}
    assert body["database"]["ok"] and body["broker"]["ok"]
    assert "127.0.0.1:1" not in response.content.decode()
    assert "the file storage (azure) did not answer" in caplog.text


@pytest.mark.azurite
def test_azurite_answering_with_the_container_is_healthy_and_without_it_is_not(client, settings):
    _azure(settings, os.environ["AZURITE_CONNECTION_STRING"], container=f"healthz-{os.getpid()}")
    assert client.get("/healthz").json()["storage"] == {"ok": False, "backend": "azure"}
    assert storage_ensure() == f"Azure container 'healthz-{os.getpid()}'"
    assert storage_ensure() is None  # made once; a second run (another machine) changes nothing
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["storage"] == {"ok": True, "backend": "azure"}


def test_503_saying_the_storage_is_down_when_s3_does_not_answer(client, settings):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": "evidence",
                "endpoint_url": "http://127.0.0.1:1",
                "access_key": "key",
                "secret_key": "secret",
            },
        },
    }
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["storage"] == {"ok": False, "backend": "s3"}
