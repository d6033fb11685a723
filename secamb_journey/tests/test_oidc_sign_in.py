"""Single sign-on through a real OpenID Connect provider on loopback, through the whole redirect flow in
Django's test client: accounts and roles from the provider, and every refusal giving a clear page and
no session.
"""

import base64
import json

import pytest
import requests
from django.contrib.auth import SESSION_KEY, get_user_model
from django.test import Client

from actions.tests.factories import UserFactory
from secamb_journey.accounts.models import ProviderIdentity
from secamb_journey.roles import Role, user_roles
from secamb_journey.tests.conftest import CLIENT_ID, configure_single_sign_on
from secamb_journey.tests.oidc_provider import LoopbackProvider, path_and_query, query_of

pytestmark = pytest.mark.django_db

User = get_user_model()


def start(client: Client, next_url: str = "") -> str:
    """Press "Sign in with your NHS account": the provider's authorisation URL we are sent to."""
    response = client.get("/oidc/authenticate/" + (f"?next={next_url}" if next_url else ""))
    assert response.status_code == 302, response.content[:300]
    return response["Location"]


def sign_in(client: Client, provider: LoopbackProvider, sub: str, next_url: str = ""):
    """The whole flow: to the provider, sign in there as `sub`, back to our callback."""
    back = provider.authorize(start(client, next_url), sub=sub)
    return client.get(path_and_query(back))


def signed_in(client: Client) -> bool:
    return SESSION_KEY in client.session


def roles_of(user) -> set[Role]:
    user = User.objects.get(pk=user.pk)
    return set(user_roles(user))


# --- The sign-in page ----------------------------------------------------------------------------


def test_the_sign_in_page_offers_sign_in_with_your_nhs_account_when_it_is_set_up(client, sso):
    page = client.get("/accounts/login/?next=/dashboard/").content.decode()
    assert "Sign in with your NHS account" in page
    assert 'href="/oidc/authenticate/?next=%2Fdashboard%2F"' in page
    assert 'name="password"' in page  # local passwords stay, unless switched off


def test_without_single_sign_on_the_sign_in_page_offers_passwords_alone_and_its_urls_are_404(client):
    page = client.get("/accounts/login/").content.decode()
    assert "Sign in with your NHS account" not in page
    assert 'name="password"' in page
    assert client.get("/oidc/authenticate/").status_code == 404
    assert client.get("/oidc/callback/?code=x&state=y").status_code == 404


# --- The flow ------------------------------------------------------------------------------------


def test_the_authorisation_request_uses_the_code_flow_with_pkce_state_and_nonce(client, sso):
    url = start(client)
    assert url.startswith(f"{sso.issuer}/oauth2/authorize?")
    query = query_of(url)
    assert query["response_type"] == "code"
    assert query["client_id"] == CLIENT_ID
    assert query["redirect_uri"] == "http://testserver/oidc/callback/"
    assert query["scope"] == "openid profile email"
    assert query["code_challenge_method"] == "S256"
    assert len(query["code_challenge"]) == 43 and len(query["state"]) == 32 and len(query["nonce"]) == 32
    # A second start gets fresh values.
    assert query_of(start(client))["state"] != query["state"]


def test_the_token_request_sends_the_pkce_verifier_that_matches_the_challenge(client, sso, monkeypatch):
    from mozilla_django_oidc.utils import generate_code_challenge

    sent = {}
    original = requests.post

    def spy(url, data=None, **kwargs):
        sent.update(data or {})
        return original(url, data=data, **kwargs)

    monkeypatch.setattr("mozilla_django_oidc.auth.requests.post", spy)
    sso.set_user("pkce-person", groups=["ij-owners"])
    url = start(client)
    client.get(path_and_query(sso.authorize(url, sub="pkce-person")))
    assert signed_in(client)
    assert generate_code_challenge(sent["code_verifier"], "S256") == query_of(url)["code_challenge"]
    assert sent["redirect_uri"] == "http://testserver/oidc/callback/"


def test_first_sign_in_creates_the_account_with_the_role_from_its_group(client, sso):
    sso.set_user(
        "a1b2-lead",
        name="Jo Clarke",
        email="jo.clarke@nhs.net",
        preferred_username="jo.clarke@nhs.net",
        groups=["ij-leads", "all-staff"],
    )
    response = sign_in(client, sso, "a1b2-lead", next_url="/actions/")
    assert response.status_code == 302 and response["Location"] == "/actions/"
    assert signed_in(client)
    identity = ProviderIdentity.objects.select_related("user").get(subject="a1b2-lead")
    assert identity.issuer == sso.issuer
    user = identity.user
    assert (user.first_name, user.last_name, user.email) == ("Jo", "Clarke", "jo.clarke@nhs.net")
    assert roles_of(user) == {Role.LEAD}
    assert not user.has_usable_password()
    assert identity.groups == ["ij-leads", "all-staff"]
    assert client.get("/actions/").status_code == 200


def test_a_next_address_on_another_site_is_ignored(client, sso):
    sso.set_user("redirected", groups=["ij-owners"])
    response = sign_in(client, sso, "redirected", next_url="https://evil.example.com/")
    assert response.status_code == 302 and response["Location"] == "/actions/mine/"


@pytest.mark.parametrize(
    ("group", "landing"),
    [("ij-leads", "/actions/queue/"), ("ij-board", "/dashboard/"), ("ij-owners", "/actions/mine/")],
)
def test_without_a_next_address_each_role_lands_on_its_own_work(client, sso, group, landing):
    # The same landing as after a password sign-in (secamb_journey.landing), not one fixed page.
    sso.set_user(f"lands-{group}", groups=[group])
    response = sign_in(client, sso, f"lands-{group}")
    assert response.status_code == 302 and response["Location"] == landing


def test_a_changed_group_at_the_provider_changes_the_role_at_the_next_sign_in(client, sso):
    sso.set_user("mover", name="Sam Mover", groups=["ij-owners"])
    sign_in(client, sso, "mover")
    user = ProviderIdentity.objects.get(subject="mover").user
    assert roles_of(user) == {Role.OWNER}
    assert Client().get("/dashboard/").status_code == 302

    sso.set_user("mover", name="Sam Mover", groups=["ij-board"])
    again = Client()
    sign_in(again, sso, "mover")
    assert ProviderIdentity.objects.get(subject="mover").user_id == user.pk  # the same account
    assert roles_of(user) == {Role.BOARD}
    assert again.get("/dashboard/").status_code == 200
    assert again.get("/actions/new/").status_code == 403


def test_the_admin_group_makes_an_administrator_and_leaving_it_unmakes_one(client, sso):
    sso.set_user("it-admin", name="Ada Min", groups=["ij-admins"])
    sign_in(client, sso, "it-admin")
    user = User.objects.get(provider_identity__subject="it-admin")
    assert user.is_staff and user.is_superuser
    assert client.get("/admin/").status_code == 200

    sso.set_user("it-admin", name="Ada Min", groups=["ij-owners"])
    sign_in(Client(), sso, "it-admin")
    user.refresh_from_db()
    assert not user.is_staff and not user.is_superuser
    assert roles_of(user) == {Role.OWNER}


def test_accounts_are_matched_on_the_providers_subject_never_on_an_email_address(client, sso):
    local = UserFactory(username="p.shah", email="priya.shah@nhs.net", roles=[Role.LEAD])
    sso.set_user("subject-1", name="Priya Shah", email="priya.shah@nhs.net", groups=["ij-owners"])
    sign_in(client, sso, "subject-1")
    first = User.objects.get(provider_identity__subject="subject-1")
    assert first.pk != local.pk  # a matching address gives no one another person's account
    # The address passed to someone else at the provider: a new person, a new account.
    sso.set_user("subject-2", name="Priya Shah", email="priya.shah@nhs.net", groups=["ij-owners"])
    sign_in(Client(), sso, "subject-2")
    second = User.objects.get(provider_identity__subject="subject-2")
    assert len({local.pk, first.pk, second.pk}) == 3
    assert roles_of(local) == {Role.LEAD}


def test_someone_with_no_mapped_group_lands_on_a_page_saying_whom_to_ask(client, sso, settings):
    settings.ACCESS_REQUEST_CONTACT = "the PMO at pmo@secamb.nhs.uk"
    sso.set_user("newcomer", name="New Starter", groups=["all-staff"])
    response = sign_in(client, sso, "newcomer", next_url="/actions/")
    assert response["Location"] == "/accounts/no-role/"
    page = client.get("/accounts/no-role/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "You do not have a role on this service yet" in text
    assert "the PMO at pmo@secamb.nhs.uk" in text
    assert client.get("/actions/").status_code == 403


def test_a_lead_signing_in_through_the_provider_is_not_asked_for_our_second_factor(client, sso, settings):
    settings.OTP_REQUIRED_FOR_PRIVILEGED = True
    sso.set_user("sso-lead", name="Lee Lead", groups=["ij-leads"])
    sign_in(client, sso, "sso-lead")
    assert client.get("/actions/").status_code == 200
    # The same rule still holds for a password: a lead signing in with one is sent to set up an app.
    UserFactory(username="pw-lead", password="a-long-password-1", roles=[Role.LEAD])  # noqa: S106
    password = Client()
    password.post("/accounts/login/", {"username": "pw-lead", "password": "a-long-password-1"})
    assert password.get("/actions/")["Location"].startswith("/accounts/two-factor/setup/")


def test_signing_out_ends_the_session_and_goes_to_the_providers_end_session_endpoint(client, sso):
    sso.set_user("leaver-later", name="Out Going", groups=["ij-owners"])
    sign_in(client, sso, "leaver-later")
    id_token = client.session["oidc_id_token"]
    response = client.post("/accounts/logout/")
    assert response.status_code == 302
    assert response["Location"].startswith(f"{sso.issuer}/oauth2/end_session?")
    query = query_of(response["Location"])
    assert query["id_token_hint"] == id_token
    assert query["post_logout_redirect_uri"] == "http://testserver/"
    assert not signed_in(client)
    assert client.get("/actions/mine/").status_code == 302


def test_a_session_from_the_provider_ends_after_the_maximum_length(client, sso, settings):
    from secamb_journey.accounts.signin import SIGNED_IN_AT_SESSION_KEY

    sso.set_user("long-shift", groups=["ij-owners"])
    sign_in(client, sso, "long-shift")
    assert client.get("/actions/mine/").status_code == 200
    session = client.session
    session[SIGNED_IN_AT_SESSION_KEY] -= settings.OIDC_SESSION_MAX_HOURS * 3600 + 1
    session.save()
    assert client.get("/actions/mine/")["Location"].startswith("/accounts/login/")
    assert not signed_in(client)


# --- Refusals: each a clear page, and no session ---------------------------------------------------


def assert_refused(client, response, status: int, words: str, *, caplog=None, why: str = ""):
    """`why`: what the log says, so a refusal for one reason is not passing as another."""
    assert response.status_code == status, response.content[:500]
    if why:
        assert why in caplog.text
    text = response.content.decode()
    assert "You have not been signed in" in text
    assert words in text
    assert not signed_in(client)


def _tamper(monkeypatch, change):
    """Stand between us and the provider's token endpoint, changing the ID token it returns."""
    from secamb_journey.accounts.backends import IdentityProviderBackend

    original = IdentityProviderBackend.get_token

    def get_token(self, payload):
        answer = original(self, payload)
        answer["id_token"] = change(answer["id_token"])
        return answer

    monkeypatch.setattr(IdentityProviderBackend, "get_token", get_token)


def _b64(data: dict) -> str:
    return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()


def _unb64(part: str) -> dict:
    return json.loads(base64.urlsafe_b64decode(part + "=" * (-len(part) % 4)))


def test_a_tampered_id_token_is_refused(client, sso, monkeypatch, caplog):
    sso.set_user("tamper", groups=["ij-owners"])

    def promote(token):
        header, payload, signature = token.split(".")
        claims = _unb64(payload)
        claims["groups"] = ["ij-admins"]
        return f"{header}.{_b64(claims)}.{signature}"

    _tamper(monkeypatch, promote)
    response = sign_in(client, sso, "tamper")
    assert_refused(
        client, response, 400, "We could not confirm your sign-in", caplog=caplog, why="Signature verification failed"
    )
    assert not User.objects.filter(is_superuser=True).exists()
    assert not ProviderIdentity.objects.exists()


def test_an_unsigned_id_token_is_refused(client, sso, monkeypatch, caplog):
    sso.set_user("unsigned", groups=["ij-owners"])

    def strip_signature(token):
        _header, payload, _signature = token.split(".")
        return f"{_b64({'alg': 'none', 'typ': 'JWT'})}.{payload}."

    _tamper(monkeypatch, strip_signature)
    assert_refused(
        client,
        sign_in(client, sso, "unsigned"),
        400,
        "We could not confirm your sign-in",
        caplog=caplog,
        why="alg 'none'",
    )


def test_an_expired_id_token_is_refused(client, settings, caplog):
    # A provider whose tokens expired ten minutes before they were issued: beyond any clock skew.
    stale = LoopbackProvider(token_max_age=-600).start()
    try:
        configure_single_sign_on(settings, stale)
        stale.set_user("late", groups=["ij-owners"])
        response = sign_in(client, stale, "late")
        assert_refused(client, response, 400, "has expired", caplog=caplog, why="ID token expired")
        assert not ProviderIdentity.objects.exists()
    finally:
        stale.stop()


def test_an_id_token_issued_to_another_application_is_refused(client, sso, monkeypatch, caplog):
    sso.set_user("substitute", groups=["ij-admins"])
    url = start(client)
    nonce = query_of(url)["nonce"]
    # A genuine token, signed by the provider with the same nonce, but for another application.
    other = url.replace(f"client_id={CLIENT_ID}", "client_id=some-other-app")
    code = query_of(sso.authorize(other, sub="substitute"))["code"]
    foreign = requests.post(
        f"{sso.issuer}/oauth2/token",
        data={
            "grant_type": "authorization_code",
            "code": code,
            "redirect_uri": "http://testserver/oidc/callback/",
            "client_id": "some-other-app",
            "client_secret": "x",
        },
        timeout=5,
    ).json()["id_token"]
    assert _unb64(foreign.split(".")[1])["nonce"] == nonce
    assert _unb64(foreign.split(".")[1])["aud"] == ["some-other-app"]
    _tamper(monkeypatch, lambda token: foreign)
    response = client.get(path_and_query(sso.authorize(url, sub="substitute")))
    assert_refused(client, response, 400, "We could not confirm your sign-in", caplog=caplog, why="another audience")
    assert not ProviderIdentity.objects.exists()


def test_a_replayed_callback_is_refused(client, sso):
    sso.set_user("replay", groups=["ij-owners"])
    back = path_and_query(sso.authorize(start(client), sub="replay"))
    assert client.get(back).status_code == 302
    assert signed_in(client)
    # The same callback again, in the person's browser: the state is used up, so it is ignored, and
    # the person stays signed in (a used state is no more theirs than a forged one).
    again = client.get(back)
    assert again.status_code == 400
    assert "already been used" in again.content.decode()
    assert signed_in(client)
    # And in an attacker's browser, which never started a sign-in.
    attacker = Client()
    assert_refused(attacker, attacker.get(back), 400, "already been used")


def test_a_sign_in_that_comes_back_too_late_is_refused(client, sso):
    from secamb_journey.accounts.views import STATE_MAX_AGE_SECONDS

    sso.set_user("slow", groups=["ij-owners"])
    url = start(client)
    session = client.session
    session["oidc_states"][query_of(url)["state"]]["added_on"] -= STATE_MAX_AGE_SECONDS + 1
    session.save()
    assert_refused(client, client.get(path_and_query(sso.authorize(url, sub="slow"))), 400, "has expired")
    assert not ProviderIdentity.objects.exists()


def test_a_callback_with_a_state_this_browser_never_issued_is_refused(client, sso):
    sso.set_user("forged", groups=["ij-owners"])
    start(client)  # this browser has a state of its own
    other = Client()
    back = path_and_query(sso.authorize(start(other), sub="forged"))
    assert_refused(client, client.get(back), 400, "already been used")
    assert not ProviderIdentity.objects.exists()


def test_a_provider_that_refuses_the_person_gives_a_clear_page(client, sso):
    back = sso.authorize(start(client), deny=True)
    assert query_of(back)["error"] == "access_denied"
    assert_refused(client, client.get(path_and_query(back)), 400, "did not let you sign in")


def test_a_provider_that_is_down_gives_a_clear_page(client, settings):
    down = LoopbackProvider().start()
    configure_single_sign_on(settings, down)
    down.stop()
    assert_refused(client, client.get("/oidc/authenticate/"), 502, "could not reach the NHS sign-in service")


def test_a_provider_that_goes_down_during_the_sign_in_gives_a_clear_page(client, settings):
    flaky = LoopbackProvider().start()
    try:
        configure_single_sign_on(settings, flaky)
        flaky.set_user("mid-way", groups=["ij-owners"])
        back = flaky.authorize(start(client), sub="mid-way")
    finally:
        flaky.stop()
    assert_refused(client, client.get(path_and_query(back)), 502, "could not reach the NHS sign-in service")
    assert not ProviderIdentity.objects.exists()


def refused(provider: LoopbackProvider, authorization_url: str) -> str:
    """The provider's answer when the person refuses (or is refused), with the state of the request, as
    RFC 6749 4.1.2.1 requires (the loopback provider leaves it out of its error answers)."""
    back = provider.authorize(authorization_url, deny=True)
    assert query_of(back)["error"] == "access_denied"
    return f"{path_and_query(back)}&state={query_of(authorization_url)['state']}"


def test_a_failed_sign_in_ends_any_session_the_browser_already_had(client, sso):
    sso.set_user("first", groups=["ij-owners"])
    sign_in(client, sso, "first")
    assert signed_in(client)
    assert_refused(client, client.get(refused(sso, start(client))), 400, "did not let you sign in")


# --- A callback that answers no sign-in of this browser's never touches its session (issue 28, 7) ----


def signed_in_through_the_provider(client, sso, sub="stays") -> str:
    sso.set_user(sub, groups=["ij-owners"])
    sign_in(client, sso, sub)
    assert signed_in(client)
    return client.session[SESSION_KEY]


@pytest.mark.parametrize(
    "query",
    [
        "error=access_denied",
        "error=access_denied&state=never-issued",
        "error=login_required&state=",
        "code=anything&state=never-issued",
        "",
    ],
)
def test_a_link_to_the_callback_without_this_browsers_state_leaves_a_signed_in_person_signed_in(
    client, sso, query, caplog
):
    before = signed_in_through_the_provider(client, sso)
    session_before = dict(client.session.items())
    response = client.get(f"/oidc/callback/?{query}")
    assert response.status_code == 400
    page = response.content.decode()
    assert "This sign-in link was ignored" in page
    assert "you are still signed in" in page
    assert "not one this browser" in caplog.text
    assert client.session[SESSION_KEY] == before
    assert dict(client.session.items()) == session_before  # nothing in the session changed
    assert client.get("/actions/mine/").status_code == 200


def test_a_link_carrying_another_browsers_real_state_leaves_a_signed_in_person_signed_in(client, sso):
    before = signed_in_through_the_provider(client, sso)
    attacker = Client()
    # A genuine refusal of the attacker's own sign-in, with its genuine state.
    response = client.get(refused(sso, start(attacker)))
    assert response.status_code == 400
    assert client.session[SESSION_KEY] == before


def test_a_signed_in_person_with_a_sign_in_of_their_own_pending_keeps_it_when_a_forged_link_comes(client, sso):
    signed_in_through_the_provider(client, sso)
    own = start(client)
    client.get("/oidc/callback/?error=access_denied&state=forged")
    assert query_of(own)["state"] in client.session["oidc_states"]  # their own sign-in can still finish


def test_a_signed_out_browser_following_the_link_gets_the_page_with_the_sign_in_button(client, sso):
    own = start(client)
    response = client.get("/oidc/callback/?error=access_denied")
    assert_refused(client, response, 400, "did not let you sign in")
    assert "Go to the sign-in page" in response.content.decode()
    assert query_of(own)["state"] in client.session["oidc_states"]  # nothing in the session was used up


def test_the_persons_own_refused_sign_in_still_ends_their_session(client, sso):
    """The state matches a sign-in this browser started: handled as before (the failed sign-in ends any
    session, as test_a_failed_sign_in_ends_any_session_the_browser_already_had shows for the provider's
    own refusal), and the state is used up."""
    signed_in_through_the_provider(client, sso)
    url = start(client)
    assert_refused(client, client.get(refused(sso, url)), 400, "did not let you sign in")
    assert query_of(url)["state"] not in client.session.get("oidc_states", {})
