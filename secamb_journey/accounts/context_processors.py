"""Which ways of signing in this service offers, for the sign-in page."""

from urllib.parse import urlencode

from django.conf import settings
from django.urls import reverse


def sign_in(request):
    options = {"nhs_account": settings.OIDC_ENABLED, "passwords": settings.LOCAL_LOGIN_ENABLED}
    if settings.OIDC_ENABLED:
        # Carries the page the person was going to; the sign-in view checks it is one of ours.
        next_url = request.GET.get("next", "")
        options["nhs_account_url"] = reverse("oidc_sign_in") + (f"?{urlencode({'next': next_url})}" if next_url else "")
    return {"sign_in_options": options}
