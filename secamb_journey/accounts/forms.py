"""The sign-in form (the username and password route; single sign-on has no form here)."""

from django.contrib.auth.forms import AuthenticationForm

from secamb_journey.forms import NHSFormMixin


class SignInForm(NHSFormMixin, AuthenticationForm):
    title = "Sign in"
    submit_text = "Sign in"

    error_messages = {
        "invalid_login": (
            "The username or password is not right. Check them and try again; both may be case-sensitive."
        ),
        "inactive": "This account has been switched off. Ask the service administrator to switch it back on.",
    }

    def __init__(self, request=None, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        self.fields["username"].error_messages["required"] = "Enter your username"
        self.fields["password"].error_messages["required"] = "Enter your password"
        # NHSFormMixin removed the browser's maxlength; the autofocus Django adds moves screen readers
        # past the heading, so it goes too.
        self.fields["username"].widget.attrs.pop("autofocus", None)
