"""The network roll-up: read-only figures across every affiliate, for network-office staff.

The one place that reads across tenants on purpose; every view using it checks
`permissions.is_network_staff` first (NetworkMixin).
"""

import django_filters
from django.db.models import Count, F, Max, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from evaluations.models import EvaluationReview
from evaluations.selectors import counted_reviews, timeliness_counts
from initiatives.models import Activity, Funding, Idea, Initiative
from initiatives.selectors import funding_sums_by_source
from integration_hub import permissions
from integration_hub.choices import WelcomingStandard
from integration_hub.listing import OrganizationFilterSet, OrganizationListView
from integration_hub.models import Membership, Organization

AFFILIATE = Organization.Kind.AFFILIATE


def affiliates():
    return Organization.objects.filter(kind=AFFILIATE)


def network_initiatives():
    return Initiative.objects.filter(organization__kind=AFFILIATE)


def attach_activity(organizations: list, today) -> list:
    """Each affiliate's members, last login, initiatives by status and review timeliness
    (reviews that fell due, held on time, overdue), set on the rows given: three grouped
    queries for a page of affiliates, with one aggregate pass each, whatever its length."""
    ids = [org.pk for org in organizations]
    status = Initiative.Status
    members = Membership.objects.filter(organization__in=ids).values("organization")
    initiatives = Initiative.objects.filter(organization__in=ids).values("organization")
    # "Held on time" as the board dashboard counts it (evaluations.selectors.counted_reviews).
    reviews = (
        EvaluationReview.objects.filter(initiative__organization__in=ids)
        .filter(counted_reviews(today))
        .values(organization=F("initiative__organization"))
    )
    figures: dict[int, dict] = {pk: {} for pk in ids}
    for row in members.annotate(member_count=Count("pk"), last_login=Max("user__last_login")).order_by():
        figures[row.pop("organization")].update(row)
    for row in initiatives.annotate(
        **{value: Count("pk", filter=Q(status=value)) for value in (status.PLANNED, status.ACTIVE, status.COMPLETED)}
    ).order_by():
        figures[row.pop("organization")].update(row)
    for row in reviews.annotate(**timeliness_counts(prefix="reviews_")).order_by():
        figures[row.pop("organization")].update(row)
    empty = dict.fromkeys(
        (
            "member_count",
            *("planned", "active", "completed"),
            *("reviews_due", "reviews_on_time", "reviews_late", "reviews_overdue"),
        ),
        0,
    )
    for org in organizations:
        for name, value in {**empty, "last_login": None, **figures[org.pk]}.items():
            setattr(org, name, value)
    return organizations


def overview() -> dict:
    initiatives = network_initiatives()
    by_status = dict(initiatives.order_by().values_list("status").annotate(n=Count("id")))
    by_category = dict(initiatives.order_by().values_list("category").annotate(n=Count("id")))
    by_state = (
        affiliates()
        .order_by()
        .values("state")
        .annotate(
            affiliates=Count("id", distinct=True),
            initiative_count=Count("initiatives", distinct=True),
            active_count=Count("initiatives", filter=Q(initiatives__status=Initiative.Status.ACTIVE), distinct=True),
        )
        .order_by("state")
    )
    attendance = Activity.objects.filter(initiative__organization__kind=AFFILIATE).aggregate(
        newcomers=Sum("newcomers", default=0),
        receiving=Sum("receiving", default=0),
        unknown=Sum("unknown", default=0),
        events=Count("id"),
    )
    return {
        "affiliate_count": affiliates().count(),
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


class NetworkMixin:
    """Network-office staff only (any role, in the office or viewing an affiliate); others 404
    (permissions.require_network_staff). Anonymous visitors go on to the login gate."""

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and request.access is not None:
            permissions.require_network_staff(request.access)
        return super().dispatch(request, *args, **kwargs)


def set_state_choices(filterset) -> None:
    """The `state` filter offers the states affiliates are in (the filter adds "Any state")."""
    states = [
        (s, s) for s in affiliates().exclude(state="").order_by("state").values_list("state", flat=True).distinct()
    ]
    filterset.filters["state"].extra["choices"] = states
    filterset.form.fields["state"].choices = states  # django-filter's field puts "Any state" first itself


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


class AffiliateFilter(OrganizationFilterSet):
    state = django_filters.ChoiceFilter(label=_("State"), empty_label=_("Any state"))

    class Meta:
        model = Organization
        fields = ["state"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        set_state_choices(self)


class AffiliateListView(NetworkMixin, OrganizationListView):
    """Network-office staff pick an affiliate to look at (read-only), with its activity;
    paginated, since a network has hundreds of affiliates."""

    model = Organization
    template_name = "integration_hub/affiliate_list.html"
    filterset_class = AffiliateFilter
    search_fields = ("name", "city", "state")
    csv_filename = "network affiliates"
    csv_columns = (
        (_("Affiliate"), "name"),
        (_("City"), "city"),
        (_("State"), "state"),
        (_("Members"), "member_count"),
        (_("Last login"), lambda org: timezone.localtime(org.last_login).date() if org.last_login else ""),
        (_("Planned"), "planned"),
        (_("Active"), "active"),
        (_("Completed"), "completed"),
        (_("Reviews held or past due"), "reviews_due"),
        (_("Reviews held on time"), "reviews_on_time"),
        (_("Overdue reviews"), "reviews_overdue"),
    )

    def get_base_queryset(self):
        return affiliates().order_by("state", "name", "pk")

    def decorate(self, objects):
        return attach_activity(objects, timezone.localdate())
