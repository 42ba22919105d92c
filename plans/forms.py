from crispy_forms.helper import FormHelper
from django import forms
from django.utils.translation import gettext_lazy as _

from initiatives.forms import DateInput
from integration_hub.forms import OrganizationFormMixin
from integration_hub.inputs import InputRulesMixin
from stakeholders.models import Stakeholder

from .models import Plan, Story
from .selectors import stakeholders_not_asked
from .services import STATEMENT_MAX


class PlanForm(OrganizationFormMixin, forms.ModelForm):
    """The plan's own words and what goes in it. The pick lists are scoped to the organisation
    (OrganizationFormMixin), so another affiliate's need or partner is an invalid choice."""

    class Meta:
        model = Plan
        fields = [
            "title", "community", "period_start", "period_end", "vision", "how_we_listened", "how_we_work",
            "needs", "initiatives", "indicators", "partners", "stories",
        ]  # fmt: skip
        widgets = {
            "period_start": DateInput,
            "period_end": DateInput,
            "vision": forms.Textarea(attrs={"rows": 3}),
            "how_we_listened": forms.Textarea(attrs={"rows": 3}),
            "how_we_work": forms.Textarea(attrs={"rows": 3}),
            "needs": forms.CheckboxSelectMultiple,
            "initiatives": forms.CheckboxSelectMultiple,
            "indicators": forms.CheckboxSelectMultiple,
            "partners": forms.CheckboxSelectMultiple,
            "stories": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Only stories whose consent reaches officials may go into a plan.
        self.fields["stories"].queryset = self.fields["stories"].queryset.filter(scope__gte=Story.Scope.OFFICIALS)

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("period_start"), cleaned.get("period_end")
        if start and end and end < start:
            self.add_error("period_end", _("The plan's period cannot end before it starts."))
        return cleaned


class EndorsementRequestForm(OrganizationFormMixin, forms.Form):
    submit_label = _("Create the private links")

    stakeholders = forms.ModelMultipleChoiceField(
        label=_("Ask these stakeholders"), queryset=Stakeholder.objects.none(), widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, version, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["stakeholders"].queryset = stakeholders_not_asked(version)


class EndorsementForm(InputRulesMixin, forms.Form):
    """The public answer: endorse with name and title (and a statement), or decline."""

    signed_name = forms.CharField(label=_("Your name"), max_length=200, required=False)
    signed_title = forms.CharField(label=_("Your title"), max_length=200, required=False)
    statement = forms.CharField(
        label=_("Statement (optional)"), max_length=STATEMENT_MAX, required=False, widget=forms.Textarea({"rows": 3})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False

    def clean(self):
        cleaned = super().clean()
        if self.data.get("answer") == "endorse" and not cleaned.get("signed_name", "").strip():
            self.add_error("signed_name", _("Write your name to endorse the plan."))
        return cleaned


class StoryForm(OrganizationFormMixin, forms.ModelForm):
    class Meta:
        model = Story
        fields = ["title", "text", "pseudonym", "initiative", "consent_by", "consent_on", "scope"]
        widgets = {"consent_on": DateInput, "text": forms.Textarea(attrs={"rows": 5})}
