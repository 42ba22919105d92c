from django import forms
from django.utils.formats import date_format
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from integration_hub.forms import OrganizationFormMixin

from .models import (
    NO_NEGATIVE_COUNT,
    Activity,
    BudgetLine,
    Funding,
    Idea,
    Initiative,
    InitiativePartner,
    Milestone,
    Task,
)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


OWNER_NOT_MEMBER = _("The owner must be a member of your organisation.")


class RowForm(OrganizationFormMixin, forms.ModelForm):
    """A row under an initiative (milestone, task, budget line, funding, activity):
    the same form adds it ("Add milestone") and edits it ("Save")."""

    add_label = OrganizationFormMixin.submit_label

    @property
    def submit_label(self):
        return OrganizationFormMixin.submit_label if self.instance.pk else self.add_label


class InitiativeForm(OrganizationFormMixin, forms.ModelForm):
    class Meta:
        model = Initiative
        fields = [
            "title", "idea", "category", "summary", "goals", "objectives", "needs",
            "lead", "status", "start_date", "end_date", "locations",
        ]  # fmt: skip
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 3}),
            "goals": forms.Textarea(attrs={"rows": 3}),
            "objectives": forms.Textarea(attrs={"rows": 3}),
            "needs": forms.CheckboxSelectMultiple,
            "start_date": DateInput,
            "end_date": DateInput,
        }
        help_texts = {
            "category": _("The Welcoming Standard category your city reports in."),
            "needs": _("Needs from your needs assessment (step 1) that this initiative answers."),
        }
        error_messages = {"lead": {"invalid_choice": _("The lead must be a member of your organisation.")}}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.fields["needs"].queryset.exists():
            self.fields["needs"].help_text = _("No needs recorded yet: add them under step 1, then link them here.")

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start_date"), cleaned.get("end_date")
        if start and end and end < start:
            self.add_error(
                "end_date",
                _("The end date (%(end)s) is before the start date (%(start)s).")
                % {"end": date_format(end), "start": date_format(start)},
            )
        return cleaned


class PartnerForm(RowForm):
    add_label = _("Add partner")

    class Meta:
        model = InitiativePartner
        fields = ["stakeholder", "role"]

    def __init__(self, *args, initiative, **kwargs):
        super().__init__(*args, **kwargs)
        self.initiative = initiative

    def clean_stakeholder(self):
        stakeholder = self.cleaned_data["stakeholder"]
        if InitiativePartner.objects.filter(initiative=self.initiative, stakeholder=stakeholder).exists():
            raise forms.ValidationError(_("%(name)s is already a partner."), params={"name": stakeholder})
        return stakeholder


class PartnerRoleForm(RowForm):
    """A partner's role changes; the stakeholder stays (remove and add to swap partners)."""

    class Meta:
        model = InitiativePartner
        fields = ["role"]


class MilestoneForm(RowForm):
    add_label = _("Add milestone")

    class Meta:
        model = Milestone
        fields = ["title", "due_date"]
        widgets = {"due_date": DateInput}


class TaskForm(RowForm):
    add_label = _("Add task")

    class Meta:
        model = Task
        fields = ["title", "owner", "due_date"]
        widgets = {"due_date": DateInput}
        error_messages = {"owner": {"invalid_choice": OWNER_NOT_MEMBER}}


class TaskEditForm(TaskForm):
    """Editing a task also moves it to another milestone of the same initiative."""

    class Meta(TaskForm.Meta):
        fields = ["title", "milestone", "owner", "due_date", "done"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["milestone"].label = capfirst(Milestone._meta.get_field("title").verbose_name)
        self.fields["milestone"].queryset = self.fields["milestone"].queryset.filter(
            initiative_id=self.instance.milestone.initiative_id
        )
        self.fields["milestone"].error_messages["invalid_choice"] = _("Choose one of this initiative's milestones.")


class BudgetLineForm(RowForm):
    add_label = _("Add budget line")

    class Meta:
        model = BudgetLine
        fields = ["item", "amount"]


class FundingForm(RowForm):
    add_label = _("Add funding")
    confirm_over_pledge = forms.BooleanField(
        label=_("Yes, more was received than pledged"),
        required=False,
        help_text=_("Only needed when the amount received is more than the amount pledged."),
    )

    class Meta:
        model = Funding
        fields = ["source_kind", "source_name", "pledged", "received", "date"]
        widgets = {"date": DateInput}

    def clean(self):
        cleaned = super().clean()
        pledged, received = cleaned.get("pledged"), cleaned.get("received")
        over_pledge = pledged is not None and received is not None and received > pledged
        if over_pledge and not cleaned.get("confirm_over_pledge"):
            self.add_error(
                "confirm_over_pledge",
                _(
                    "Received ($%(received)s) is more than pledged ($%(pledged)s). "
                    "Check the amounts, or tick this box if the source really gave more."
                )
                % {"received": received, "pledged": pledged},
            )
        return cleaned


class ActivityForm(RowForm):
    add_label = _("Add activity")

    class Meta:
        model = Activity
        fields = ["date", "kind", "title", "newcomers", "receiving", "unknown", "volunteers", "notes"]
        widgets = {"date": DateInput, "notes": forms.Textarea(attrs={"rows": 3})}
        help_texts = {
            "newcomers": _("Counts only: never names or immigration status."),
            "unknown": _("People whose side you did not note."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("newcomers", "receiving", "unknown", "volunteers"):
            # One message in words instead of "Ensure this value is greater than or equal to 0."
            self.fields[name].validators = [NO_NEGATIVE_COUNT]


class ProposePracticeForm(OrganizationFormMixin, forms.ModelForm):
    submit_label = _("Propose to the network")

    class Meta:
        model = Initiative
        fields = ["practice_note"]
        widgets = {"practice_note": forms.Textarea(attrs={"rows": 5})}
        help_texts = {
            "practice_note": _(
                "What worked and what another affiliate would need to repeat it. No names of clients, please."
            )
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["practice_note"].required = True


class IdeaForm(OrganizationFormMixin, forms.ModelForm):
    class Meta:
        model = Idea
        fields = ["title", "category", "welcoming_standard", "audience", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}


class PublishPracticeForm(IdeaForm):
    submit_label = _("Publish to the library")
