"""/healthz tells operators whether the database and the broker answer: 200 when both do, 503 when not."""

import pytest
from celery import current_app
from django.db import OperationalError

pytestmark = pytest.mark.django_db


def test_healthy_when_database_and_broker_answer(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok" and body["database"]["ok"] and body["broker"]["ok"]


def test_503_naming_the_broker_when_it_is_down(client, monkeypatch):
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


def test_503_naming_the_database_when_it_is_down(client, monkeypatch):
    from django.db.backends.utils import CursorWrapper

    def refuse(*args, **kwargs):
        raise OperationalError("could not connect to server")

    monkeypatch.setattr(CursorWrapper, "execute", refuse)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["database"]["ok"] is False
    assert "could not connect" in response.json()["database"]["error"]
