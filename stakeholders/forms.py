from datetime import timedelta

import django_filters
from crispy_forms.layout import Div, Field, Layout
from django import forms
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from integration_hub.forms import OrganizationFormMixin
from integration_hub.inputs import InputRulesMixin
from integration_hub.listing import OrganizationFilterSet
from stakeholders.models import Commitment, Engagement, Stakeholder
from stakeholders.services import MAX_IMPORT_BYTES, duplicate_key

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class StakeholderForm(OrganizationFormMixin, forms.ModelForm):
    class Meta:
        model = Stakeholder
        fields = [
            "name", "role_title", "affiliation", "sector", "influence", "stance", "speaks_for",
            "email", "phone", "tags", "notes",
        ]  # fmt: skip
        widgets = {"notes": forms.Textarea(attrs={"rows": 4})}
        help_texts = {
            "name": _("A person (Mayor Jane Ortiz) or a body (Rotary Club of Dayton)."),
            "notes": _("What matters to them. No personal details about clients."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper.layout = Layout(
            "name",
            Div(Div("role_title", css_class="col-md-6"), Div("affiliation", css_class="col-md-6"), css_class="row"),
            Div(Div("sector", css_class="col-md-6"), Div("speaks_for", css_class="col-md-6"), css_class="row"),
            Div(Div("influence", css_class="col-md-6"), Div("stance", css_class="col-md-6"), css_class="row"),
            Div(Div("email", css_class="col-md-6"), Div("phone", css_class="col-md-6"), css_class="row"),
            "tags",
            "notes",
        )

    def clean_tags(self):
        tags, seen = [], set()
        for tag in self.cleaned_data["tags"].split(","):
            tag = " ".join(tag.split())
            if tag and tag.casefold() not in seen:
                seen.add(tag.casefold())
                tags.append(tag)
        return ", ".join(tags)

    def clean(self):
        cleaned = super().clean()
        name, affiliation = cleaned.get("name"), cleaned.get("affiliation", "")
        if name:
            key = duplicate_key(name, affiliation or "")
            others = Stakeholder.objects.for_organization(self.organization).exclude(pk=self.instance.pk)
            if any(
                duplicate_key(n, a) == key
                for n, a in others.filter(name__iexact=name.strip()).values_list("name", "affiliation")
            ):
                self.add_error(
                    "name",
                    _("%(name)s of %(affiliation)s is already in your list.")
                    % {"name": name, "affiliation": affiliation or _("no organisation")},
                )
        return cleaned


class EngagementForm(OrganizationFormMixin, forms.ModelForm):
    MAX_DAYS_AHEAD = 365

    class Meta:
        model = Engagement
        fields = ["date", "kind", "stakeholders", "staff", "summary", "feedback", "follow_up_date"]
        widgets = {
            "date": DATE,
            "follow_up_date": DATE,
            "stakeholders": forms.CheckboxSelectMultiple,
            "staff": forms.CheckboxSelectMultiple,
            "summary": forms.Textarea(attrs={"rows": 3}),
            "feedback": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {"staff": _("Members of your organisation who took part.")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["stakeholders"].queryset = self.fields["stakeholders"].queryset.order_by("name")
        if not self.fields["stakeholders"].queryset.exists():
            self.fields["stakeholders"].help_text = _("No stakeholders yet: add them first, then log the engagement.")
        self.fields["staff"].queryset = self.fields["staff"].queryset.order_by("first_name", "last_name", "email")
        self.helper.layout = Layout(
            Div(Div("date", css_class="col-md-6"), Div("kind", css_class="col-md-6"), css_class="row"),
            Div(
                Div(Field("stakeholders", wrapper_class="checkbox-scroll"), css_class="col-md-7"),
                Div(Field("staff", wrapper_class="checkbox-scroll"), css_class="col-md-5"),
                css_class="row",
            ),
            "summary",
            "feedback",
            "follow_up_date",
        )

    def clean_date(self):
        date = self.cleaned_data["date"]
        if date > timezone.localdate() + timedelta(days=self.MAX_DAYS_AHEAD):
            raise forms.ValidationError(
                _("%(date)s is more than a year ahead. Log engagements that happened or are booked; check the year.")
                % {"date": date_format(date, "j M Y")}
            )
        return date

    def clean(self):
        cleaned = super().clean()
        date, follow_up = cleaned.get("date"), cleaned.get("follow_up_date")
        if date and follow_up and follow_up < date:
            # A field error also keeps the model's check constraint from repeating it.
            self.add_error("follow_up_date", _("The follow-up date cannot be before the engagement."))
        return cleaned


class CommitmentForm(OrganizationFormMixin, forms.ModelForm):
    class Meta:
        model = Commitment
        fields = ["stakeholder", "promise", "made_on", "due_date", "status", "evidence"]
        widgets = {"made_on": DATE, "due_date": DATE, "evidence": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["stakeholder"].queryset = self.fields["stakeholder"].queryset.order_by("name")
        self.helper.layout = Layout(
            "stakeholder",
            "promise",
            Div(
                Div("made_on", css_class="col-md-4"),
                Div("due_date", css_class="col-md-4"),
                Div("status", css_class="col-md-4"),
                css_class="row",
            ),  # fmt: skip
            "evidence",
        )

    def clean(self):
        cleaned = super().clean()
        made_on, due = cleaned.get("made_on"), cleaned.get("due_date")
        if made_on and due and due < made_on:
            self.add_error("due_date", _("The due date cannot be before the day the commitment was made."))
        return cleaned


class CommitmentStatusForm(InputRulesMixin, forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=Commitment.Status.choices)
    evidence = forms.CharField(label=_("Evidence note"), required=False, max_length=2000)


class ImportForm(InputRulesMixin, forms.Form):
    file = forms.FileField(
        label=_("CSV file"),
        help_text=_("A .csv file of at most 5 MB, first line naming the columns (see the template)."),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_IMPORT_BYTES:
            raise forms.ValidationError(
                _("The file is %(size).1f MB; the limit is 5 MB. Split it into smaller files.")
                % {"size": upload.size / 1024 / 1024}
            )
        if not upload.name.lower().endswith(".csv"):
            raise forms.ValidationError(_("Please upload a .csv file (in a spreadsheet: File → Save as → CSV)."))
        return upload


class StakeholderFilter(OrganizationFilterSet):
    sector = django_filters.ChoiceFilter(choices=Stakeholder.Sector.choices, empty_label=_("Any sector"))
    stance = django_filters.ChoiceFilter(choices=Stakeholder.Stance.choices, empty_label=_("Any stance"))
    influence = django_filters.ChoiceFilter(choices=Stakeholder.Influence.choices, empty_label=_("Any influence"))

    class Meta:
        model = Stakeholder
        fields = ["sector", "stance", "influence"]


class EngagementFilter(OrganizationFilterSet):
    kind = django_filters.ChoiceFilter(choices=Engagement.Kind.choices, empty_label=_("Any kind"))
    stakeholders = django_filters.ModelChoiceFilter(
        queryset=Stakeholder.objects.order_by("name"), label=_("Stakeholder"), empty_label=_("Anyone")
    )
    date_from = django_filters.DateFilter(
        field_name="date", lookup_expr="gte", label=_("From"), widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = django_filters.DateFilter(
        field_name="date", lookup_expr="lte", label=_("To"), widget=forms.DateInput(attrs={"type": "date"})
    )

    class Meta:
        model = Engagement
        fields = ["kind", "stakeholders", "date_from", "date_to"]


class CommitmentFilter(OrganizationFilterSet):
    status = django_filters.ChoiceFilter(choices=Commitment.Status.choices, empty_label=_("Any status"))
    stakeholder = django_filters.ModelChoiceFilter(
        queryset=Stakeholder.objects.order_by("name"), label=_("Stakeholder"), empty_label=_("Anyone")
    )
    overdue = django_filters.BooleanFilter(
        label=_("Overdue only"),
        method="filter_overdue",
        widget=forms.Select(choices=[("", _("All")), ("true", _("Overdue only"))]),
    )

    class Meta:
        model = Commitment
        fields = ["status", "stakeholder", "overdue"]

    def filter_overdue(self, queryset, name, value):
        return queryset.overdue(timezone.localdate()) if value else queryset
