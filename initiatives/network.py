"""Step 3 in the network roll-up (integration_hub.network): initiatives across every affiliate.

Registered in InitiativesConfig.ready(): each affiliate's initiatives by status on the affiliate
list, and the network overview's initiative, attendance, funding and practice figures. The
network's list of initiatives is step 3's page, served under /network/initiatives/.
"""

from datetime import date

import django_filters
from django import forms
from django.db.models import Count, Q, Sum
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView

from initiatives import network_map
from initiatives.models import Activity, Funding, Idea, Initiative
from initiatives.selectors import funding_sums_by_source
from integration_hub.choices import WelcomingStandard
from integration_hub.listing import OrganizationFilterSet, OrganizationListView
from integration_hub.network import AFFILIATE, NetworkMixin, affiliates, set_state_choices
from integration_hub.tenancy import OrganizationMixin

STATUS_COUNTS = (Initiative.Status.PLANNED, Initiative.Status.ACTIVE, Initiative.Status.COMPLETED)


def network_initiatives():
    return Initiative.objects.filter(organization__kind=AFFILIATE)


def initiatives_by_status(organization_ids: list[int], _today: date):
    """The affiliate list's columns planned, active and completed, for these affiliates."""
    return (
        Initiative.objects.filter(organization__in=organization_ids)
        .values("organization")
        .annotate(**{value: Count("pk", filter=Q(status=value)) for value in STATUS_COUNTS})
        .order_by()
    )


def overview_figures() -> dict:
    initiatives = network_initiatives()
    by_status = dict(initiatives.order_by().values_list("status").annotate(n=Count("id")))
    by_category = dict(initiatives.order_by().values_list("category").annotate(n=Count("id")))
    # The map's own reading (one truth): the same figures as its table for "initiatives" and "active".
    by_state = [
        {**row, "initiative_count": row["values"]["initiatives"], "active_count": row["values"]["active"]}
        for row in network_map.by_state(("initiatives", "active"), available=network_map.MEASURES)
    ]
    attendance = Activity.objects.filter(initiative__organization__kind=AFFILIATE).aggregate(
        newcomers=Sum("newcomers", default=0),
        receiving=Sum("receiving", default=0),
        unknown=Sum("unknown", default=0),
        events=Count("id"),
    )
    return {
        "initiative_count": sum(by_status.values()),
        "by_status": [(value, label, by_status.get(value, 0)) for value, label in Initiative.Status.choices],
        "by_category": [(value, label, by_category.get(value, 0)) for value, label in WelcomingStandard.choices],
        "uncategorised": by_category.get("", 0),
        "by_state": list(by_state),
        "attendance": attendance,
        "funding": funding_sums_by_source(Funding.objects.filter(initiative__organization__kind=AFFILIATE)),
        "practices_published": Idea.objects.filter(credited_organization__isnull=False).count(),
        "practices_proposed": initiatives.filter(practice_status=Initiative.PracticeStatus.PROPOSED).count(),
    }


class NetworkInitiativeFilter(OrganizationFilterSet):
    state = django_filters.ChoiceFilter(field_name="organization__state", label=_("State"), empty_label=_("Any state"))
    organization = django_filters.ModelChoiceFilter(
        queryset=affiliates(), label=_("Affiliate"), empty_label=_("Any affiliate")
    )
    status = django_filters.ChoiceFilter(choices=Initiative.Status.choices, empty_label=_("Any status"))
    category = django_filters.ChoiceFilter(
        choices=WelcomingStandard.choices, label=_("Category"), empty_label=_("Any category")
    )
    idea = django_filters.ModelChoiceFilter(queryset=Idea.objects.all(), empty_label=_("Any idea"))

    class Meta:
        model = Initiative
        fields = ["state", "organization", "status", "category", "idea"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Across the network: the choices are every affiliate's, not one organisation's.
        self.filters["organization"].queryset = affiliates()
        self.form.fields["organization"].queryset = affiliates()
        set_state_choices(self)


class NetworkInitiativeListView(NetworkMixin, OrganizationListView):
    model = Initiative
    template_name = "integration_hub/network_initiatives.html"
    filterset_class = NetworkInitiativeFilter
    search_fields = ("title", "summary", "organization__name")
    csv_columns = (
        (_("Affiliate"), "organization.name"),
        (_("State"), "organization.state"),
        (_("Initiative"), "title"),
        (_("Status"), "get_status_display"),
        (_("Welcoming Standard category"), "get_category_display"),
        (_("Idea"), "idea.title"),
        (_("Start"), "start_date"),
        (_("End"), "end_date"),
    )

    def get_base_queryset(self):
        return network_initiatives().select_related("organization", "idea").order_by("organization__name", "title")


class NetworkMapForm(forms.Form):
    """The map's choices, read from the query string; anything unknown is refused by name and the
    map shows its default instead."""

    measure = forms.ChoiceField(label=_("Show"), required=False)
    state = forms.ChoiceField(label=_("State"), required=False)
    status = forms.ChoiceField(label=_("Initiative status"), required=False)
    category = forms.ChoiceField(label=_("Category"), required=False)

    def __init__(self, *args, measures, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["measure"].choices = [(m.key, m.label) for m in measures.values()]
        states = affiliates().exclude(state="").order_by("state").values_list("state", flat=True).distinct()
        self.fields["state"].choices = [("", _("Any state")), *((s, s) for s in states)]
        self.fields["status"].choices = [("", _("Any status")), *Initiative.Status.choices]
        self.fields["category"].choices = [("", _("Any category")), *WelcomingStandard.choices]
        for field in self.fields.values():
            field.widget.attrs["class"] = "form-select"


class NetworkMapView(OrganizationMixin, NetworkMixin, TemplateView):
    template_name = "initiatives/network_map.html"

    def get_context_data(self, **kwargs):
        measures = network_map.measures()
        form = NetworkMapForm(self.request.GET, measures=measures)
        choices = form.cleaned_data if form.is_valid() else {}
        figures = network_map.network_map(
            choices.get("measure") or "initiatives",
            state=choices.get("state", ""),
            status=choices.get("status", ""),
            category=choices.get("category", ""),
            available=measures,
        )
        return super().get_context_data(form=form, map=figures, **kwargs)
