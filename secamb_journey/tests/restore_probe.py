"""What the restore drill compares between the original and the restored copy, read by a process of its own
against whatever DATABASE_URL and storage settings it is given, and printed as JSON.

    DATABASE_URL=... MEDIA_ROOT=... python -m secamb_journey.tests.restore_probe

Run once against each copy, in the same way, so neither side has a warm cache the other lacks.
"""

import dataclasses
import hashlib
import json
import os
import sys

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "secamb_journey.settings.test")
django.setup()

from django.core.files.storage import default_storage  # noqa: E402 -- after django.setup()
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402

from actions.models import Action, Evidence  # noqa: E402
from actions.selectors.history import action_history  # noqa: E402
from reports.models import BoardPack, PublishedUpdate, UpdateStatus  # noqa: E402
from secamb_journey.backup import stored_checksum, table_row_counts  # noqa: E402

HISTORY_SAMPLE = 8


def evidence() -> dict:
    """Each evidence file's recorded checksum and the checksum of its bytes as stored now (None: not stored)."""
    return {
        item.file.name: {
            "recorded": item.sha256,
            "stored": stored_checksum(default_storage, item.file.name)[0]
            if default_storage.exists(item.file.name)
            else None,
        }
        for item in Evidence.objects.order_by("pk")
    }


def board_packs() -> dict:
    """Each frozen pack's stored checksum, and the checksum of the PDF it holds."""
    return {
        str(pack.pk): {"recorded": pack.pdf_sha256, "computed": hashlib.sha256(bytes(pack.pdf)).hexdigest()}
        for pack in BoardPack.objects.order_by("pk")
    }


def public_pages() -> dict:
    """What an anonymous reader gets: every published and withdrawn update's page and open data."""
    client = Client()
    paths = ["/", "/updates/", "/updates/feed/"]
    shown = PublishedUpdate.objects.filter(status__in=[UpdateStatus.PUBLISHED, UpdateStatus.WITHDRAWN])
    for update in shown.order_by("pk"):
        paths += [f"/updates/{update.slug}/", f"/open-data/updates/{update.slug}.json"]
    pages = {}
    for path in paths:
        response = client.get(path)
        pages[path] = {"status": response.status_code, "body": response.content.decode()}
    return pages


def histories() -> dict:
    """A sample of actions (those with the longest histories): each change as the action's page lists it,
    and its progress entries."""
    sample = sorted(Action.objects.all(), key=lambda action: (-action.history.count(), action.reference))
    return {
        action.reference: {
            "changes": [dataclasses.asdict(entry) for entry in action_history(action=action, limit=1000)],
            "progress": list(action.progress_updates.order_by("pk").values()),
        }
        for action in sample[:HISTORY_SAMPLE]
    }


def statuses() -> dict:
    return {status: PublishedUpdate.objects.filter(status=status).count() for status in UpdateStatus.values}


if __name__ == "__main__":
    report = {
        "tables": table_row_counts(connection),
        "evidence": evidence(),
        "board_packs": board_packs(),
        "public_pages": public_pages(),
        "histories": histories(),
        "updates": statuses(),
    }
    json.dump(report, sys.stdout, default=str, sort_keys=True)
