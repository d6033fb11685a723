"""The project's URLs. The paths are an interface contract (see DESIGN.md): keep them."""

from django.contrib import admin
from django.urls import include, path, re_path

from secamb_journey import two_factor, views
from secamb_journey.accounts import views as accounts_views
from secamb_journey.accounts.forms import SignInForm

urlpatterns = [
    path("", include("reports.urls")),
    path("", include("actions.urls")),  # /actions/ and /committees/
    path("measures/", include("measures.urls")),
    path("", include("reports.urls_measures_public")),
    path(
        "accounts/login/",
        views.SignInView.as_view(authentication_form=SignInForm),
        name="login",
    ),
    # Sign-out (POST): ends the session here, and at the identity provider after a single sign-on.
    path("accounts/logout/", accounts_views.sign_out, name="logout"),
    # Single sign-on: /oidc/authenticate/, /oidc/callback/ (the redirect URI), /accounts/no-role/.
    path("", include("secamb_journey.accounts.urls")),
    path("accounts/two-factor/", two_factor.verify, name="two_factor_verify"),
    path("accounts/two-factor/setup/", two_factor.setup, name="two_factor_setup"),
    path("accessibility/", views.accessibility, name="accessibility"),
    path("words/", views.glossary, name="glossary"),
    path("healthz", views.healthz, name="healthz"),
    # The NHS.UK stylesheet asks for its icons at /assets/...; they are static files under nhsuk/.
    re_path(r"^assets/(?P<path>[\w./-]+)$", views.nhsuk_asset, name="nhsuk_asset"),
    path("admin/", admin.site.urls),
]

handler403 = "secamb_journey.views.permission_denied"
handler404 = "secamb_journey.views.page_not_found"
handler500 = "secamb_journey.views.server_error"
