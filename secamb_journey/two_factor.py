"""The second factor at sign-in: a time-based one-time password (TOTP) from an authenticator app, with
one-off backup codes for a lost phone (django-otp).

Optional for everyone: any signed-in person may set up an app at /accounts/two-factor/setup/, and
from then on enters a code from it after their password. When OTP_REQUIRED_FOR_PRIVILEGED is on,
improvement leads and administrators must: they cannot reach any page after their password until
they have set up an app (first sign-in) or entered a code from it (every sign-in after).

Which step (if any) a person owes is decided once, when they sign in (the user_logged_in signal),
and kept in their session, so ordinary requests cost no extra query; SecondFactorRequiredMiddleware
sends anyone who owes a step to it, and back to where they were going afterwards.
"""

import base64
import secrets
from urllib.parse import urlencode

import qrcode
import qrcode.image.svg
from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.signals import user_logged_in
from django.contrib.auth.views import redirect_to_login
from django.db import transaction
from django.dispatch import receiver
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods
from django_otp import login as otp_login
from django_otp import match_token, user_has_device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from secamb_journey import enrolment
from secamb_journey.accounts.signin import user_signed_in_via_identity_provider
from secamb_journey.forms import NHSFormMixin
from secamb_journey.landing import landing_url

BACKUP_CODE_COUNT = 10
APP_DEVICE_NAME = "Authenticator app"
BACKUP_DEVICE_NAME = "Backup codes"
# The session key holding the step this person owes: VERIFY, SETUP or NONE.
STEP_SESSION_KEY = "secamb_second_factor_step"
VERIFY, SETUP, NONE = "verify", "setup", ""


def is_privileged(user) -> bool:
    """Improvement leads (who sign actions off as assured) and administrators (who manage accounts)."""
    return user.is_superuser or user.is_staff or user.has_perm("actions.assure_action")


def second_factor_required(user) -> bool:
    return bool(settings.OTP_REQUIRED_FOR_PRIVILEGED) and user.is_authenticated and is_privileged(user)


def enrolment_needs_code(request) -> bool:
    """Whether this signed-in person must give an enrolment code before setting up an app."""
    if request.session.get(enrolment.SESSION_KEY) or user_signed_in_via_identity_provider(request):
        return False
    return second_factor_required(request.user)


def second_factor_step(user) -> str:
    """VERIFY for anyone with an app set up (whether they had to or chose to); SETUP for a privileged
    person without one when it is required; NONE otherwise.
    """
    if user_has_device(user):
        return VERIFY
    return SETUP if second_factor_required(user) else NONE


def _step_for_session(request, user) -> str:
    # A sign-in through the identity provider (single sign-on) had its second factor there.
    if user_signed_in_via_identity_provider(request):
        return NONE
    return second_factor_step(user)


@receiver(user_logged_in, dispatch_uid="secamb_second_factor_step")
def _decide_step_at_sign_in(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        request.session[STEP_SESSION_KEY] = _step_for_session(request, user)


def _exempt_prefixes() -> tuple[str, ...]:
    # What a half-signed-in person may still reach: the second-factor pages themselves, signing in
    # and out, static files and icons, and the health check that load balancers call.
    return (
        reverse("two_factor_verify"),
        reverse("login"),
        reverse("logout"),
        "/" + settings.STATIC_URL.lstrip("/"),
        "/assets/",
        reverse("healthz"),
    )


class SecondFactorRequiredMiddleware:
    """After OTPMiddleware. For a signed-in person who owes a step and has not given a code yet, every
    page but the exempt ones redirects to the step. No query unless a step is owed.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.path_info.startswith(_exempt_prefixes()) and request.user.is_authenticated:
            step = request.session.get(STEP_SESSION_KEY)
            if step is None:  # a session from before this was deployed: decide now, once
                step = request.session[STEP_SESSION_KEY] = _step_for_session(request, request.user)
            if step and not request.user.is_verified():
                view = "two_factor_verify" if step == VERIFY else "two_factor_setup"
                return redirect(f"{reverse(view)}?{urlencode({'next': request.get_full_path()})}")
        return self.get_response(request)


# --- Forms ---------------------------------------------------------------------------------------


class _TokenField(forms.CharField):
    def __init__(self, **kwargs):
        super().__init__(
            label="Code",
            max_length=16,
            strip=True,
            widget=forms.TextInput(
                attrs={"autocomplete": "one-time-code", "spellcheck": "false", "class": "nhsuk-input--width-10"}
            ),
            error_messages={"required": "Enter the code from your authenticator app"},
            **kwargs,
        )

    def to_python(self, value):
        # People type codes with spaces ("123 456"), as some apps show them.
        return "".join(str(super().to_python(value)).split())


class SecondFactorForm(NHSFormMixin, forms.Form):
    title = "Enter the code from your authenticator app"
    submit_text = "Continue"

    token = _TokenField(help_text="The 6-digit code your app shows now, or one of your backup codes.")


class SetUpAppForm(NHSFormMixin, forms.Form):
    title = "Set up an authenticator app"
    submit_text = "Confirm the code"

    token = _TokenField(help_text="The 6-digit code the app shows after you add the account.")


class EnrolmentCodeForm(NHSFormMixin, forms.Form):
    title = "Enter your enrolment code"
    submit_text = "Continue"

    enrolment_code = forms.CharField(
        label="Enrolment code",
        max_length=40,
        help_text="The code an administrator gave you, for example ABCD-EFGH-JKLM.",
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
        error_messages={"required": "Enter the enrolment code an administrator gave you"},
    )


# --- Views ---------------------------------------------------------------------------------------


def _next_url(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return target
    return landing_url(request.user)


def _qr_code_data_uri(text: str) -> str:
    """The QR code as an SVG data URI: an <img src> the CSP allows (img-src data:), no inline markup."""
    image = qrcode.make(text, image_factory=qrcode.image.svg.SvgPathImage, box_size=12, border=2)
    return "data:image/svg+xml;base64," + base64.b64encode(image.to_string()).decode("ascii")


def _spaced(key: str) -> str:
    return " ".join(key[i : i + 4] for i in range(0, len(key), 4))


@sensitive_post_parameters("token")
@never_cache
@require_http_methods(["GET", "POST"])
def verify(request):
    """The code after the password, for a person who has an app set up."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not user_has_device(request.user):
        # The app was removed (by an administrator, for a lost phone) since this person signed in.
        request.session[STEP_SESSION_KEY] = step = second_factor_step(request.user)
        if step == SETUP:
            return redirect(f"{reverse('two_factor_setup')}?{urlencode({'next': _next_url(request)})}")
        return redirect(_next_url(request))
    if request.user.is_verified():
        return redirect(_next_url(request))
    form = SecondFactorForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        device = match_token(request.user, form.cleaned_data["token"])
        if device is not None:
            otp_login(request, device)
            return redirect(_next_url(request))
        form.add_error(
            "token",
            "The code is not right. Enter the code your app shows now (it changes every 30 seconds), "
            "or one of your backup codes. After several wrong codes, wait a minute before trying again.",
        )
    return render(request, "registration/two_factor_verify.html", {"form": form, "next": _next_url(request)})


@sensitive_post_parameters("token", "enrolment_code")
@never_cache
@require_http_methods(["GET", "POST"])
def setup(request):
    """Add an authenticator app: scan the QR code (or type the key), then confirm with a code from it.
    Confirming also creates the backup codes, shown once.
    """
    user = request.user
    if not user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if user_has_device(user):
        if not user.is_verified():
            return redirect(f"{reverse('two_factor_verify')}?{urlencode({'next': _next_url(request)})}")
        return render(request, "registration/two_factor_setup.html", {"already_set_up": True})
    if enrolment_needs_code(request):
        # Before any key exists: the password alone must not be enough to enrol an app (issue 18).
        return _enrolment_code_step(request)
    # One unconfirmed device a person, kept across page loads, so the QR code they scanned stays valid.
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=APP_DEVICE_NAME, confirmed=False)
    form = SetUpAppForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        if device.verify_token(form.cleaned_data["token"]):
            codes = _confirm_app_and_make_backup_codes(user, device)
            otp_login(request, device)
            request.session[STEP_SESSION_KEY] = VERIFY
            messages.success(request, "Your authenticator app is set up. You will need a code from it to sign in.")
            return render(
                request, "registration/two_factor_backup_codes.html", {"codes": codes, "next": _next_url(request)}
            )
        form.add_error(
            "token",
            "The code is not right. Check the app shows the account for this service, "
            "and enter the code it shows now (it changes every 30 seconds).",
        )
    key = base64.b32encode(device.bin_key).decode("ascii")
    return render(
        request,
        "registration/two_factor_setup.html",
        {
            "form": form,
            "qr_code": _qr_code_data_uri(device.config_url),
            "secret_key": _spaced(key),
            "next": _next_url(request),
        },
    )


def _enrolment_code_step(request):
    form = EnrolmentCodeForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        if enrolment.enrolment_code_redeem(user=request.user, code=form.cleaned_data["enrolment_code"]):
            request.session[enrolment.SESSION_KEY] = True
            return redirect(f"{reverse('two_factor_setup')}?{urlencode({'next': _next_url(request)})}")
        form.add_error(
            "enrolment_code",
            "The enrolment code is not right, or it has expired or been used. Check it, or ask an administrator "
            "for a new one (after several wrong codes it stops working).",
        )
    return render(request, "registration/two_factor_enrolment_code.html", {"form": form, "next": _next_url(request)})


def _confirm_app_and_make_backup_codes(user, device: TOTPDevice) -> list[str]:
    with transaction.atomic():
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        TOTPDevice.objects.filter(user=user, confirmed=False).delete()
        StaticDevice.objects.filter(user=user, name=BACKUP_DEVICE_NAME).delete()
        backup = StaticDevice.objects.create(user=user, name=BACKUP_DEVICE_NAME, confirmed=True)
        codes = [secrets.token_hex(4) for _ in range(BACKUP_CODE_COUNT)]
        StaticToken.objects.bulk_create([StaticToken(device=backup, token=code) for code in codes])
    return codes
