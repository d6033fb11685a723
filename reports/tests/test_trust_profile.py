"""load_trust_profile: a TOML trust profile loaded whole or not at all, matched by slug, never deleting."""

import io
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from actions.models import Committee
from actions.tests.factories import ActionFactory
from measures.models import Measure
from pillars.models import Pillar, StrategicGoal
from reports.trust_profile import ProfileRefused, trust_profile_load
from secamb_journey.models import TrustProfile
from themes.models import Theme

pytestmark = pytest.mark.django_db

DEFAULT = Path(settings.BASE_DIR) / "profiles" / "secamb.toml"

SMALL = """\
[trust]
full_name = "Wessex Coast Ambulance Service NHS Trust"
short_name = "WCAS"
ods_code = "R0X"
logo_name = "Wessex Coast Ambulance Service"
logo_descriptor = "NHS Trust"
service_name = "Better Care tracker"
programme_name = "Better Care Programme"
contact_email = "better-care@wcas.example.nhs.uk"
access_email = "tracker-access@wcas.example.nhs.uk"

[home]
introduction = "We are **improving**."
purpose = "To care."
strategy = "To care better."

[[goals]]
slug = "safe-care"
title = "Safe care"
description = "No avoidable harm"

[[goals]]
slug = "good-work"
title = "Good work"
description = "A good place to work"

[[pillars]]
slug = "safer-care"
name = "Safer Care"
goals = ["safe-care"]

[[themes]]
slug = "culture"
short_name = "Culture"
title = "Our culture must change"
pillars = ["safer-care"]

[[committees]]
name = "Quality Committee"
description = "Assures quality."
"""


def load(text: str, **options) -> list[str]:
    return trust_profile_load(text, **options)


def problems_of(text: str) -> list[str]:
    with pytest.raises(ProfileRefused) as refused:
        load(text)
    return refused.value.problems


def test_the_default_profile_is_the_trusts_strategy_word_for_word():
    load(DEFAULT.read_text(encoding="utf-8"))
    profile = TrustProfile.objects.get()
    assert profile.short_name == "SECAmb" and profile.ods_code == "RYD"
    assert "our prime purpose is to respond to the immediate needs of our patients" in profile.purpose
    assert list(StrategicGoal.objects.values_list("title", flat=True)) == [
        "Delivering Modern Healthcare for our patients",
        "A Focus on People",
        "Delivering Quality",
        "System Partnership",
    ]
    assert Theme.objects.get(number=1).title == "SECAmb is not the great place to work that the Trust wants it to be"
    assert Theme.objects.get(number=4).title == "Lack of a ‘Quality’ thread across the organisation"
    responsive = Pillar.objects.get(slug="responsive-care")
    assert responsive.number == 2
    assert set(responsive.goals.values_list("number", flat=True)) == {1, 3}
    assert set(Committee.objects.values_list("name", flat=True)) == {
        "Quality Governance Committee",
        "Executive Management Board",
    }


def test_loading_twice_changes_nothing_and_says_so():
    first = load(SMALL)
    assert "trust profile: new" in first and "goals safe-care: new" in first
    before = TrustProfile.history.count(), list(Pillar.objects.values_list("updated_at", flat=True))
    second = load(SMALL)
    assert all(line.endswith("unchanged") for line in second), second
    assert (TrustProfile.history.count(), list(Pillar.objects.values_list("updated_at", flat=True))) == before


def test_a_dry_run_previews_the_changes_and_writes_nothing():
    load(SMALL)
    changed = SMALL.replace('name = "Safer Care"', 'name = "Safest Care"').replace("To care.", "To care well.")
    preview = load(changed, dry_run=True)
    assert "trust profile: purpose changed" in preview
    assert "pillars safer-care: name changed" in preview
    assert Pillar.objects.get().name == "Safer Care"
    assert TrustProfile.objects.get().purpose == "To care."


def test_a_file_with_problems_is_refused_whole_with_each_problem_at_its_line_and_key():
    bad = (
        SMALL.replace('ods_code = "R0X"', 'ods_code = "r0x!"')
        .replace('title = "Good work"', 'title = "Safe care"')
        .replace('goals = ["safe-care"]', 'goals = ["safe-care", "no-such-goal"]')
        .replace('short_name = "Culture"\n', 'short_name = "Culture"\ncolour = "blue"\n')
        .replace('name = "Quality Committee"\n', "")
    )
    lines = bad.splitlines()

    def line(fragment: str) -> int:
        return next(n for n, text in enumerate(lines, start=1) if fragment in text)

    assert problems_of(bad) == [
        f"line {line('ods_code')}, trust.ods_code: An ODS organisation code is 3 to 5 capital letters or digits, "
        "like RYD.",
        f"line {line('colour')}, themes[0].colour: is not a key of themes (known: slug, short_name, title, pillars)",
        f"line {line('[[committees]]')}, committees[0].name: is missing",  # a missing key: its table's line
    ]
    # Problems that need the file read whole come once the tables are sound: each named, nothing written.
    bad = SMALL.replace('title = "Good work"', 'title = "Safe care"').replace(
        'goals = ["safe-care"]', 'goals = ["safe-care", "no-such-goal"]'
    )
    lines = bad.splitlines()
    second_title = [n for n, text in enumerate(lines, start=1) if text == 'title = "Safe care"'][1]
    assert problems_of(bad) == [
        f"line {second_title}, goals[1].title: 'Safe care' is also goals[0]'s",
        f"line {line('no-such-goal')}, pillars[0].goals: 'no-such-goal' is not a slug of any of goals",
    ]
    assert not TrustProfile.objects.exists() and not StrategicGoal.objects.exists()


def test_the_home_pages_words_are_required_and_named_in_their_own_table():
    without = SMALL.replace('purpose = "To care."\n', "").replace(
        'contact_email = "better-care@wcas.example.nhs.uk"', 'contact_email = "nobody"'
    )
    assert problems_of(without) == [
        "line 12, home.purpose: is missing",  # the table's header line: the key is not there
        "line 9, trust.contact_email: Enter a valid email address.",
    ]


def test_a_syntax_error_is_named_with_its_line():
    assert problems_of(SMALL.replace('short_name = "WCAS"', "short_name = WCAS")) == ["line 3: not TOML: Invalid value"]


def test_a_pillar_left_out_is_kept_with_its_actions_numbered_after_the_files_and_retired(client):
    load(SMALL)
    pillar = Pillar.objects.get(slug="safer-care")
    ActionFactory.create_batch(2, pillar=pillar)
    renamed = SMALL.replace('slug = "safer-care"', 'slug = "kinder-care"').replace('["safer-care"]', '["kinder-care"]')
    # Its name is still the left-out pillar's: refused, as two pillars cannot share a name.
    assert problems_of(renamed) == ["line 29, pillars[0].name: 'Safer Care' is already 'safer-care''s, not in the file"]
    renamed = renamed.replace('name = "Safer Care"', 'name = "Kinder Care"')
    preview = load(renamed)
    assert "pillars safer-care: not in the file, kept, retired from the home page (2 actions use it)" in preview
    assert list(Pillar.objects.values_list("slug", "number", "retired")) == [
        ("kinder-care", 1, False),
        ("safer-care", 2, True),
    ]
    assert pillar.actions.count() == 2
    home = client.get("/").content.decode()
    assert "Kinder Care" in home and "Safer Care" not in home  # the home page shows the current strategy
    load(SMALL.replace("[[themes]]", '[[pillars]]\nslug = "kinder-care"\nname = "Kinder Care"\n\n[[themes]]'))
    assert not Pillar.objects.filter(retired=True).exists()  # named again: back in the strategy


def test_the_files_order_renumbers_goals_even_when_two_swap_places():
    load(SMALL)
    goals = SMALL.split("[[goals]]")
    swapped = goals[0] + "[[goals]]" + goals[2].split("[[pillars]]")[0] + "[[goals]]" + goals[1] + "[[pillars]]"
    swapped += SMALL.split("[[pillars]]", 1)[1]
    load(swapped)
    assert list(StrategicGoal.objects.values_list("slug", flat=True)) == ["good-work", "safe-care"]


def test_measures_are_optional_and_loaded_with_their_links():
    text = SMALL + (
        '\n[[measures]]\nslug = "call-answer"\nname = "999 calls answered in 5 seconds"\nunit = "%"\n'
        'improvement = "increase"\ntarget = 95\npublic = true\npillars = ["safer-care"]\ngoals = ["safe-care"]\n'
    )
    load(text)
    measure = Measure.objects.get(slug="call-answer")
    assert (measure.target, measure.is_public, measure.pillars.get().slug) == (95, True, "safer-care")
    # Said once, in the words every measure import uses (measures.services), at the key's line.
    assert problems_of(text.replace('improvement = "increase"', 'improvement = "upwards"')) == [
        f"line {len(SMALL.splitlines()) + 6}, measures[0].improvement: "
        "Improvement must be increase, decrease or neutral"
    ]


def test_the_command_prints_the_preview_and_refuses_a_bad_file_naming_every_problem(tmp_path):
    path = tmp_path / "trust.toml"
    path.write_text(SMALL, encoding="utf-8")
    out = io.StringIO()
    call_command("load_trust_profile", str(path), "--dry-run", stdout=out)
    assert "goals safe-care: new" in out.getvalue() and "Dry run: nothing written" in out.getvalue()
    assert not TrustProfile.objects.exists()
    path.write_text(SMALL.replace('ods_code = "R0X"', 'ods_code = ""').replace('slug = "good-work"\n', ""))
    with pytest.raises(CommandError) as refused:
        call_command("load_trust_profile", str(path))
    assert "2 problems" in str(refused.value)
    assert "trust.ods_code: This field cannot be blank." in str(refused.value)
    assert "goals[1].slug: is missing" in str(refused.value)
