from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model, password_validation
from django.utils.translation import gettext_lazy as _

from integration_hub import choosers
from integration_hub.inputs import InputRulesMixin
from integration_hub.models import Invitation, Membership, Organization


def scope_choice_fields(fields, organization) -> None:
    """Limit every related-row choice to the organisation: tenant rows by their
    queryset's `for_organization`, people to the organisation's members. A choice among
    many rows becomes a search field (integration_hub.choosers)."""
    for field in fields.values():
        queryset = getattr(field, "queryset", None)
        scoped = None if queryset is None else choosers.scope(queryset, organization)
        if scoped is not None:
            field.queryset = scoped
            choosers.use_search_widget(field)


class OrganizationFormMixin(InputRulesMixin):
    """Forms built by OrganizationMixin views get `organization=`; choices of
    related rows are scoped to it, so a forged id of another tenant is invalid."""

    submit_label = _("Save")

    def __init__(self, *args, organization=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.organization = organization
        scope_choice_fields(self.fields, organization)
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", self.submit_label))


class InvitationForm(OrganizationFormMixin, forms.ModelForm):
    submit_label = _("Send invitation")

    class Meta:
        model = Invitation
        fields = ["email", "role"]
        help_texts = {
            "email": _("They receive a link to set their password and join."),
            "role": _("Admins manage members; staff edit data; board members read dashboards."),
        }

    def clean_email(self):
        email = self.cleaned_data["email"].lower()
        if Membership.objects.filter(organization=self.organization, user__email=email).exists():
            raise forms.ValidationError(_("%(email)s is already a member."), params={"email": email})
        return email


class MembershipRoleForm(InputRulesMixin, forms.ModelForm):
    class Meta:
        model = Membership
        fields = ["role"]


class AcceptInvitationForm(InputRulesMixin, forms.Form):
    first_name = forms.CharField(label=_("First name"), max_length=150)
    last_name = forms.CharField(label=_("Last name"), max_length=150, required=False)
    password1 = forms.CharField(label=_("Password"), widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))
    password2 = forms.CharField(
        label=_("Password again"), widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )

    def __init__(self, *args, email: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.email = email
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", _("Join")))

    def clean(self):
        cleaned = super().clean()
        p1, p2 = cleaned.get("password1"), cleaned.get("password2")
        if p1 and p2 and p1 != p2:
            self.add_error("password2", _("The two passwords differ."))
        if p1:
            user = get_user_model()(email=self.email, first_name=cleaned.get("first_name", ""))
            try:
                password_validation.validate_password(p1, user)
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return cleaned


class ProfileForm(InputRulesMixin, forms.ModelForm):
    class Meta:
        model = get_user_model()
        fields = ["first_name", "last_name", "language", "reminder_emails"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["language"].choices = [("", _("My organisation's language")), *settings.LANGUAGES]
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", _("Save")))


class OrganizationSettingsForm(InputRulesMixin, forms.ModelForm):
    # Wider than the column so "Ohio" gets the helpful message below, not a length error.
    state = forms.CharField(label=_("State"), max_length=20, required=False, help_text=_("Two-letter code, e.g. OH."))

    class Meta:
        model = Organization
        fields = ["name", "city", "state", "time_zone", "language", "retention_months", "require_two_factor"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["language"].required = False  # a post without it keeps the language it had
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", _("Save settings")))

    def clean_language(self):
        return self.cleaned_data.get("language") or self.instance.language or settings.LANGUAGE_CODE

    def clean_state(self):
        state = self.cleaned_data["state"].strip().upper()
        if state and (len(state) != 2 or not state.isalpha()):
            raise forms.ValidationError(_("Use the two-letter state code, e.g. OH."))
        return state


class ErasureRequestForm(InputRulesMixin, forms.Form):
    typed_name = forms.CharField(
        label=_("Type the organisation's name to confirm"),
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )

    def __init__(self, *args, organization, **kwargs):
        super().__init__(*args, **kwargs)
        self.organization = organization
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", _("Schedule the erasure"), css_class="btn-danger"))

    def clean_typed_name(self):
        typed = self.cleaned_data["typed_name"].strip()
        if typed != self.organization.name:
            raise forms.ValidationError(
                _("That does not match. Type %(name)s exactly as shown."), params={"name": self.organization.name}
            )
        return typed


class TwoFactorCodeForm(forms.Form):
    code = forms.CharField(
        label=_("Code"),
        max_length=64,
        help_text=_("The 6 digits your authenticator app shows now, or one of your recovery codes."),
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "autofocus": True, "spellcheck": "false"}),
    )


class TwoFactorDisableForm(forms.Form):
    password_or_code = forms.CharField(
        label=_("Your password or a current code"),
        max_length=128,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
