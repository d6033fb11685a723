"""The project's URLs. The paths are an interface contract (see DESIGN.md): keep them."""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path, re_path

from actions.forms import SignInForm
from secamb_journey import two_factor, views

urlpatterns = [
    path("", include("reports.urls")),
    path("actions/", include("actions.urls")),
    path(
        "accounts/login/",
        views.SignInView.as_view(authentication_form=SignInForm),
        name="login",
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/two-factor/", two_factor.verify, name="two_factor_verify"),
    path("accounts/two-factor/setup/", two_factor.setup, name="two_factor_setup"),
    path("accessibility/", views.accessibility, name="accessibility"),
    path("healthz", views.healthz, name="healthz"),
    # The NHS.UK stylesheet asks for its icons at /assets/...; they are static files under nhsuk/.
    re_path(r"^assets/(?P<path>[\w./-]+)$", views.nhsuk_asset, name="nhsuk_asset"),
    path("admin/", admin.site.urls),
]

handler403 = "secamb_journey.views.permission_denied"
handler404 = "secamb_journey.views.page_not_found"
handler500 = "secamb_journey.views.server_error"
