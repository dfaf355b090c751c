from django import forms
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm, SetPasswordForm

from safeguarding.core.forms import GovukFormMixin, Form


class SignInForm(GovukFormMixin, AuthenticationForm):
    error_messages = {
        "invalid_login": "Enter a correct e-mail address and password. Both are case sensitive.",
        "inactive": "This account is no longer active.",
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"] = forms.EmailField(label="E-mail address", widget=forms.EmailInput(
            attrs={"autocomplete": "email"}))
        self.fields["password"].widget = forms.PasswordInput(attrs={"autocomplete": "current-password"})


class TokenForm(Form):
    code = forms.CharField(label="Code from your authenticator app", max_length=8,
                           help_text="The 6-digit code, for example 123456",
                           widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric",
                                                         "class": "govuk-input--width-5"}))


class RecoveryCodeForm(Form):
    code = forms.CharField(label="Recovery code", max_length=20,
                           help_text="One of the codes you saved when you set up two-factor sign-in, for example "
                                     "k3mq 7xpa. Each code works once.",
                           widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false",
                                                         "class": "govuk-input--width-10"}))


class ResetRequestForm(GovukFormMixin, PasswordResetForm):
    pass


class NewPasswordForm(GovukFormMixin, SetPasswordForm):
    pass
