"""Single sign-on URLs. The callback's address is what the provider has registered: keep it."""

from django.urls import path

from secamb_journey.accounts import views

urlpatterns = [
    path("oidc/authenticate/", views.sign_in_start, name="oidc_sign_in"),
    path("oidc/callback/", views.callback, name="oidc_callback"),
    path("accounts/no-role/", views.no_role, name="no_role"),
]
