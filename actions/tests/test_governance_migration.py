"""The migration carries existing actions over (issue 13): the original due date is the agreed one, the
regulation each named is among its regulations, assured actions stay assured; regulations 9 to 20A
are seeded with their titles.
"""

import importlib

import pytest
from django.apps import apps

from actions.choices import Status
from actions.models import Action, Regulation
from actions.tests.factories import ActionFactory

pytestmark = pytest.mark.django_db

carry_over = importlib.import_module("actions.migrations.0007_carry_existing_actions_over")


def test_the_regulations_9_to_20a_are_seeded_with_their_titles():
    numbers = list(Regulation.objects.order_by("order").values_list("number", flat=True))
    assert numbers == ["9", "10", "11", "12", "13", "14", "15", "16", "17", "18", "19", "20", "20A"]
    assert str(Regulation.objects.get(number="14")) == "Regulation 14: Meeting nutritional and hydration needs"
    assert Regulation.objects.get(number="20A").title == "Requirement as to display of performance assessments"


def test_existing_actions_keep_their_regulation_and_assured_ones_stay_assured():
    assured = ActionFactory(reference="MD-090", cqc_regulation="12", status=Status.ASSURED)
    plain = ActionFactory(reference="MD-091", cqc_regulation="")
    Action.objects.filter(pk=plain.pk).update(original_due_date=plain.due_date)
    carry_over.carry_existing_actions_over(apps, None)
    carry_over.carry_existing_actions_over(apps, None)  # run twice: the same result
    assured.refresh_from_db()
    assert list(assured.regulations.values_list("number", flat=True)) == ["12"]
    assert assured.status == Status.ASSURED and assured.original_due_date == assured.due_date
    assert not plain.regulations.exists()
