"""The history says only what a person did (issue 25): every field is recorded when an action is created
or imported, a change made by the system is named as the system's, and an owner's progress entry is
recorded as exactly what the owner changed, never fields someone else set earlier.
"""

import datetime

import pytest
from django.utils import timezone

from actions.importing.plan import import_action_plan
from actions.models import Action, CoreService, KeyQuestion, Regulation
from actions.selectors.history import action_history
from actions.services.editing import action_create
from actions.services.progress import action_log_progress
from pillars.tests.factories import PillarFactory
from themes.tests.factories import ThemeFactory

pytestmark = pytest.mark.django_db

FINDING = "Staff lacked protected time for statutory and mandatory training."


@pytest.fixture
def catalogue(db):
    pillar = PillarFactory(name="People and Culture", number=3, slug="people-and-culture")
    theme = ThemeFactory(short_name="Great place to work", slug="great-place-to-work")
    return pillar, theme


def _first_record(action: Action):
    return action.history.order_by("history_date", "history_id").first()


def _recorded_links(record) -> tuple[set, set]:
    themes = set(record.themes.values_list("theme_id", flat=True))
    regulations = set(record.regulations.values_list("regulation_id", flat=True))
    return themes, regulations


def test_a_created_action_is_recorded_whole_in_one_history_record(catalogue, lead, owner, board):
    pillar, theme = catalogue
    regulation = Regulation.objects.get(number="18")
    action = action_create(
        creator=lead,
        data={
            "reference": "SD-03",
            "action_type": "should_do",
            "title": "Protected time for training",
            "description": "Rotas include protected training time.",
            "pillar": pillar,
            "themes": [theme],
            "owner": owner,
            "executive_lead": board,
            "due_date": timezone.localdate() + datetime.timedelta(days=60),
            "is_public": True,
            "cqc_finding": FINDING,
            "regulations": [regulation],
            "key_question": KeyQuestion.EFFECTIVE,
            "core_service": CoreService.EOC,
            "source": "CQC inspection report",
        },
        notify=False,
    )
    assert action.history.count() == 1
    first = _first_record(action)
    assert (first.history_user, first.history_change_reason) == (lead, "Created")
    assert (first.cqc_finding, first.key_question, first.core_service, first.source) == (
        FINDING,
        KeyQuestion.EFFECTIVE,
        CoreService.EOC,
        "CQC inspection report",
    )
    assert _recorded_links(first) == ({theme.pk}, {regulation.pk})


def test_an_imported_action_is_recorded_whole_in_one_history_record(catalogue, lead, owner, board):
    heading = "Reference,Title,Type,Pillar,Themes,Owner,Executive lead,Due date,Public,CQC finding,Regulations,"
    heading += "Key question,Core service,Source"
    row = (
        f'SD-04,Protected time for training,,People and Culture,Great place to work,owner,Alan Reed,31/03/2027,yes,"'
        f'{FINDING}",18; 17,Effective,,CQC inspection report'
    )
    [action] = import_action_plan(name="plan.csv", content=f"{heading}\n{row}\n".encode(), creator=lead)
    assert action.history.count() == 1
    first = _first_record(action)
    assert first.history_user == lead
    assert (first.cqc_finding, first.key_question, first.source) == (
        FINDING,
        KeyQuestion.EFFECTIVE,
        "CQC inspection report",
    )
    themes, regulations = _recorded_links(first)
    assert themes == {catalogue[1].pk}
    assert regulations == set(Regulation.objects.filter(number__in=["17", "18"]).values_list("pk", flat=True))


def test_an_owners_progress_entry_names_only_what_the_owner_changed(catalogue, lead, owner, board):
    pillar, theme = catalogue
    created = action_create(
        creator=lead,
        data={
            "reference": "SD-05",
            "action_type": "should_do",
            "title": "Protected time for training",
            "pillar": pillar,
            "themes": [theme],
            "owner": owner,
            "executive_lead": board,
            "due_date": timezone.localdate() + datetime.timedelta(days=60),
            "cqc_finding": FINDING,
            "regulations": [Regulation.objects.get(number="18")],
            "key_question": KeyQuestion.EFFECTIVE,
        },
        notify=False,
    )
    # A data migration's change, made the sanctioned way: saved with history, named as the system's.
    action = Action.objects.get(pk=created.pk)
    action.core_service = CoreService.EOC
    action._change_reason = "Data migration: core service set from the inspection report"
    action.save()
    # A second action changed in between must not leak into the first one's history.
    other = Action.objects.get(pk=created.pk)
    other.pk = None
    other.reference = "SD-06"
    other.save()

    action_log_progress(
        action=Action.objects.get(pk=created.pk),
        author=owner,
        narrative="Rotas redrawn with two protected training days a quarter.",
        status="on_track",
        percent_complete=20,
        notify=False,
    )

    newest, migrated, creation = action_history(action=created)
    assert newest.who == "Priya Shah"
    assert [(c.label, c.old, c.new) for c in newest.changes] == [
        ("Status", "Not started", "On track"),
        ("Percent complete", "0%", "20%"),
    ]
    assert migrated.who == "The system" and migrated.reason.startswith("Data migration")
    assert [c.label for c in migrated.changes] == ["Core service"]
    assert creation.who == "Jo Clarke" and creation.created
