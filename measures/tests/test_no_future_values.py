"""Nothing is recorded before it happens (issue 25): a measure value is for a period that has ended. A value
for the current period or a future one is refused, with a message saying when it can be entered, through
the value form, the import page, the import command and the services (the admin enters no values at all);
the first day after a period is the first day its value is accepted.
"""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.utils import timezone

from measures.models import Frequency, MeasureValue, period_next, period_text, period_words
from measures.services import measure_value_correct, measure_value_enter, measure_value_period_problem
from measures.tests.factories import MeasureFactory

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
THIS_MONTH = TODAY.replace(day=1)
LAST_MONTH = (THIS_MONTH - datetime.timedelta(days=1)).replace(day=1)
NEXT_MONTH = period_next(Frequency.MONTHLY, THIS_MONTH)


@pytest.fixture
def cat1():
    return MeasureFactory(slug="cat1-mean", name="Category 1 mean")


@pytest.mark.parametrize("period", [THIS_MONTH, NEXT_MONTH, datetime.date(TODAY.year + 1, 3, 1)])
def test_the_service_refuses_a_value_for_a_period_not_yet_ended(cat1, lead, period):
    with pytest.raises(ValidationError) as refused:
        measure_value_enter(measure=cat1, period=period, value=7.5, user=lead)
    message = refused.value.message_dict["period"][0]
    assert period_words(cat1.frequency, period) in message  # in words, as people say it
    assert "once the period is over, from" in message
    assert not MeasureValue.objects.exists()


def test_the_last_ended_period_is_accepted(cat1, lead):
    assert measure_value_enter(measure=cat1, period=LAST_MONTH, value=7.5, user=lead).value == 7.5


def test_the_rule_turns_on_the_first_day_after_the_period():
    measure = MeasureFactory.build(frequency=Frequency.MONTHLY)
    march = datetime.date(2027, 3, 1)
    assert measure_value_period_problem(measure=measure, period=march, today=datetime.date(2027, 3, 31))
    assert measure_value_period_problem(measure=measure, period=march, today=datetime.date(2027, 4, 1)) is None
    weekly = MeasureFactory.build(frequency=Frequency.WEEKLY)
    monday = datetime.date(2027, 3, 1)
    assert measure_value_period_problem(measure=weekly, period=monday, today=datetime.date(2027, 3, 7))
    assert measure_value_period_problem(measure=weekly, period=monday, today=datetime.date(2027, 3, 8)) is None
    quarterly = MeasureFactory.build(frequency=Frequency.QUARTERLY)
    q1 = datetime.date(2027, 1, 1)
    assert measure_value_period_problem(measure=quarterly, period=q1, today=datetime.date(2027, 3, 31))
    assert measure_value_period_problem(measure=quarterly, period=q1, today=datetime.date(2027, 4, 1)) is None


def test_a_value_entered_at_a_past_moment_is_judged_on_that_day(cat1):
    """A replay of past entries (the demo's) asks whether the period had ended then."""
    at = timezone.make_aware(datetime.datetime(2026, 2, 10, 9))
    with pytest.raises(ValidationError):
        measure_value_enter(measure=cat1, period=datetime.date(2026, 2, 1), value=1, at=at)
    assert measure_value_enter(measure=cat1, period=datetime.date(2026, 1, 1), value=1, at=at)


def test_a_value_for_the_current_period_cannot_be_corrected_either(cat1, lead):
    """Loaded behind the services (straight into the table), it still cannot be changed through them."""
    stored = MeasureValue.objects.create(measure=cat1, period=THIS_MONTH, value=1, entered_at=timezone.now())
    with pytest.raises(ValidationError, match="has not ended yet"):
        measure_value_correct(value=stored, new_value=2, user=lead, note="Early")


def test_the_value_form_says_when_the_value_can_be_entered(client_for, lead, cat1):
    response = client_for(lead).post(
        "/measures/cat1-mean/values/new/", {"period": period_text(cat1.frequency, THIS_MONTH), "value": "7"}
    )
    html = response.content.decode()
    assert response.status_code == 200 and "has not ended yet" in html and "<title>Error: " in html
    assert not MeasureValue.objects.exists()


def test_the_import_page_previews_the_refusal_and_saves_nothing(client_for, lead, cat1):
    text = f"measure,period,value\ncat1-mean,{period_text(cat1.frequency, LAST_MONTH)},7\n"
    text += f"cat1-mean,{period_text(cat1.frequency, NEXT_MONTH)},8\n"
    upload = SimpleUploadedFile("values.csv", text.encode(), content_type="text/csv")
    response = client_for(lead).post("/measures/import/", {"file": upload})
    html = response.content.decode()
    assert "Error: " in html and "is still to come" in html
    assert not MeasureValue.objects.exists()


def test_the_import_command_refuses_the_whole_file(tmp_path, cat1):
    path = tmp_path / "values.csv"
    path.write_text(
        f"measure,period,value\ncat1-mean,{period_text(cat1.frequency, LAST_MONTH)},7\n"
        f"cat1-mean,{period_text(cat1.frequency, THIS_MONTH)},8\n",
        encoding="utf-8",
    )
    with pytest.raises(CommandError, match="Row 3, period: .* has not ended yet"):
        call_command("import_measure_values", path, stdout=open("/dev/null", "w"))
    assert not MeasureValue.objects.exists()


def test_the_admin_enters_no_values(client):
    admin = get_user_model().objects.create_superuser("root", "root@example.nhs.uk", "a-long-admin-password")
    client.force_login(admin)
    assert client.get("/admin/measures/measurevalue/add/").status_code == 403
