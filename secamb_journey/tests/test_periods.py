"""Periods are written as people say them, in one function, wherever a person reads or hears them."""

import datetime

import pytest
from django.template import Context, Template

from secamb_journey.periods import period_span, period_words


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


@pytest.mark.parametrize(
    ("first", "last", "words"),
    [
        ("2024-06", "2026-11", "June 2024 to November 2026"),
        ("2023-Q4", "2026-Q3", "October 2023 to September 2026"),
        ("2026-Q3", "2026-Q3", "July to September 2026"),
        ("2026-01-05", "2026-03-02", "the week starting 5 January 2026 to the week starting 2 March 2026"),
    ],
)
def test_a_span_of_periods_says_to_once_between_its_ends(first, last, words):
    assert period_span(first, last) == words
