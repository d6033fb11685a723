"""The demo actions, in the order they are seeded: data (stories.toml beside this file), read into DemoActions.

Each action has its own description and its owner's own account of the work (story), and the events that the
leads, committees and reviews added to it (events, each a table whose `kind` names its class in events.py),
all dated in days before today.
"""

import tomllib
from pathlib import Path

from actions.demo import events
from actions.demo.events import DemoAction

SOURCE = Path(__file__).with_name("stories.toml")
EVENT_KINDS = {kind.__name__.lower(): kind for kind in (
    events.Assure, events.Revise, events.Ask, events.Decide, events.Put, events.Decision, events.Sustain,
    events.Reopen, events.Log, events.MakePublic,
)}  # fmt: skip


def _event(table: dict):
    fields = dict(table)
    return EVENT_KINDS[fields.pop("kind")](**fields)


def _action(table: dict) -> DemoAction:
    fields = {name: tuple(value) if isinstance(value, list) else value for name, value in table.items()}
    fields["events"] = tuple(_event(event) for event in table.get("events", ()))
    return DemoAction(**fields)


DEMO_ACTIONS = [_action(table) for table in tomllib.loads(SOURCE.read_text(encoding="utf-8"))["actions"]]
