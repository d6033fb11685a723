"""Evidence is need-to-know: the action's owner, its executive lead, improvement leads and board
members may download it; any other owner may not, and is not shown the files."""

import pytest

from actions.tests.factories import ActionFactory, EvidenceFactory, UserFactory
from secamb_journey.roles import Role


def _download(client, evidence):
    return client.get(f"/actions/{evidence.action.reference}/evidence/{evidence.pk}/")


def test_another_owner_may_not_download_an_actions_evidence(client_for, other_owner, evidence):
    response = _download(client_for(other_owner), evidence)
    assert response.status_code == 403
    assert b"Evidence of completion" not in b"".join(getattr(response, "streaming_content", [response.content]))


def test_another_owner_sees_the_action_but_not_its_files(client_for, other_owner, evidence):
    page = client_for(other_owner).get(f"/actions/{evidence.action.reference}/").content.decode()
    assert "You cannot see this action's evidence." in page
    assert evidence.original_name not in page


@pytest.mark.django_db
def test_an_executive_lead_who_is_otherwise_an_owner_may_download_their_actions_evidence(client_for):
    executive = UserFactory(username="exec", roles=[Role.OWNER])
    evidence = EvidenceFactory(action=ActionFactory(executive_lead=executive))
    response = _download(client_for(executive), evidence)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"Evidence of completion.\n"


@pytest.mark.parametrize("persona", ["owner", "lead", "board"])
def test_the_owner_leads_and_board_members_may_download_it(request, client_for, persona, evidence):
    response = _download(client_for(request.getfixturevalue(persona)), evidence)
    assert b"".join(response.streaming_content) == b"Evidence of completion.\n"


def test_evidence_missing_from_storage_is_a_clear_not_found_and_logged(client_for, lead, evidence, caplog):
    """On any backend (the local disk, or a blob gone from object storage): a 404 page, never a 500."""
    evidence.file.storage.delete(evidence.file.name)
    with caplog.at_level("ERROR", logger="actions.views.register"):
        response = _download(client_for(lead), evidence)
    assert response.status_code == 404
    assert f"Evidence file {evidence.file.name} for {evidence.action.reference} is missing from storage" in caplog.text
