"""Shared data for the staff-workflow tests: an action the `owner` persona owns, and one ready for assurance."""

import pytest

from actions.choices import Status
from actions.tests.factories import ActionFactory, EvidenceFactory, ProgressUpdateFactory


@pytest.fixture
def action(owner, board):
    """MD-010: owned by the owner persona, the board persona its executive lead, not started."""
    return ActionFactory(
        reference="MD-010", title="Check medicines on every vehicle", owner=owner, executive_lead=board
    )


@pytest.fixture
def evidence(action):
    return EvidenceFactory(action=action)


@pytest.fixture
def complete_action(owner, board):
    """WN-020: owned by the owner persona, complete with evidence, awaiting assurance."""
    action = ActionFactory(
        reference="WN-020", action_type="warning_notice", owner=owner, executive_lead=board, title="Safeguarding"
    )
    EvidenceFactory(action=action)
    ProgressUpdateFactory(action=action, status=Status.COMPLETE, percent_complete=100)
    action.status, action.percent_complete = Status.COMPLETE, 100
    action.save()
    return action
