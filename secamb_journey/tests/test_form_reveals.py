"""Fields needed only under one choice appear under that choice (the NHS.UK conditional reveal, in the page
without JavaScript) and never say "(optional)"."""

import re

import pytest
from django.template import Context, Template

from actions.forms.governance import CommitteeDecisionForm, RevisionDecisionForm
from actions.models import Decision
from measures.forms import MeasureValueForm
from measures.models import Frequency
from measures.tests.factories import MeasureFactory


def render(form):
    return Template("{% load crispy_forms_tags %}{% crispy form %}").render(Context({"form": form}))


def conditional_block(html, choice_id):
    """The conditional block under a choice (its HTML): it follows the choice's own item, before any other."""
    choice = re.search(rf'<input[^>]*\bid="{choice_id}"[^>]*>', html).end()
    start = html.index(f'id="conditional-{choice_id}"')
    assert "<input" not in html[choice:start], "the block is not right under its choice"
    end = html.index("</fieldset>", start) if "</fieldset>" in html[start:] else len(html)
    return html[start:end]


@pytest.mark.django_db
def test_refusal_reason_is_under_refuse_and_not_optional():
    html = render(RevisionDecisionForm())
    block = conditional_block(html, "id_decision-2")
    assert 'id="id_refusal_reason"' in block
    assert html.count('id="id_refusal_reason"') == 1
    assert "Why is it refused?</label>" in html
    assert "(optional)" not in html and "(if " not in html


@pytest.mark.django_db
def test_committee_decision_reveals_the_reason_under_returned_and_the_review_date_under_ratified():
    html = render(CommitteeDecisionForm())
    ratified = html.index('id="conditional-id_decision"')
    returned = html.index('id="conditional-id_decision-2"')
    assert ratified < html.index('id="id_review_due_day"') < returned < html.index('id="id_reason"')
    assert "(optional)" not in html and "(if " not in html
    # The error for a missing reason is on the field under "Returned", said with the form's other errors.
    form = CommitteeDecisionForm(data={"decision": Decision.RETURNED})
    assert form.errors["reason"] == ["Enter why the committee returned the action"]
    assert "minute_reference" in form.errors


@pytest.mark.django_db
def test_recalculation_reason_is_under_its_checkbox():
    form = MeasureValueForm(measure=MeasureFactory(frequency=Frequency.MONTHLY))
    html = render(form)
    assert 'id="id_reason"' in conditional_block(html, "id_rebase")
    assert "Reason for recalculating</label>" in html
    assert "Reason for recalculating (optional)" not in html and "(needed" not in html
