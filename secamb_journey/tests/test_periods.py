"""Periods are written as people say them, in one function, wherever a person reads or hears them."""

import datetime

import pytest
from django.template import Context, Template

from secamb_journey.periods import period_words


@pytest.mark.parametrize(
    ("value", "frequency", "words", "short"),
    [
        ("2026-11", "monthly", "November 2026", "Nov 2026"),
        ("2026-Q3", "quarterly", "July to September 2026", "Jul to Sep 2026"),
        ("2026-01-05", "weekly", "the week starting 5 January 2026", "5 Jan 2026"),
        (datetime.date(2026, 11, 1), "monthly", "November 2026", "Nov 2026"),
        (datetime.date(2026, 7, 1), "quarterly", "July to September 2026", "Jul to Sep 2026"),
        (datetime.date(2026, 1, 5), "weekly", "the week starting 5 January 2026", "5 Jan 2026"),
    ],
)
def test_a_period_is_written_as_people_say_it(value, frequency, words, short):
    assert period_words(value, frequency) == words
    assert period_words(value, frequency, short=True) == short


def test_anything_that_is_not_a_period_comes_back_as_it_came():
    assert period_words("2026-13") == "2026-13" and period_words("soon") == "soon" and period_words(None) == ""


def test_the_template_filter_is_the_same_function():
    html = Template("{% load nhsuk %}{{ a|period_words }}; {{ b|period_words:'quarterly' }}").render(
        Context({"a": "2026-11", "b": datetime.date(2026, 7, 1)})
    )
    assert html == "November 2026; July to September 2026"
