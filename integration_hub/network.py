"""The network roll-up: read-only figures across every affiliate, for network-office staff.

The one place that reads across tenants on purpose; every view using it checks
`permissions.is_network_staff` first (NetworkMixin).

The core knows affiliates and their members; what the steps hold (initiatives by status,
review timeliness, the network's initiatives and funding) each step registers here in its
AppConfig.ready(), as neighbours.py does for object pages, so the core imports no step:
- `register_activity(names, provider)`: `provider(organization_ids, today)` gives rows
  `{"organization": id, name: value, ...}` for the affiliate list (an affiliate without a row
  shows 0 for each of `names`);
- `register_overview(provider)`: `provider()` gives figures for the network overview page.
"""

from collections.abc import Callable, Iterable
from datetime import date

import django_filters
from django.db.models import Count, Max
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from integration_hub import permissions
from integration_hub.listing import OrganizationFilterSet, OrganizationListView
from integration_hub.models import Membership, Organization

AFFILIATE = Organization.Kind.AFFILIATE

ActivityProvider = Callable[[list[int], date], Iterable[dict]]
OverviewProvider = Callable[[], dict]
_ACTIVITY: list[tuple[tuple[str, ...], ActivityProvider]] = []
_OVERVIEW: list[OverviewProvider] = []


def register_activity(names: tuple[str, ...], provider: ActivityProvider) -> None:
    if all(registered is not provider for _names, registered in _ACTIVITY):
        _ACTIVITY.append((names, provider))


def register_overview(provider: OverviewProvider) -> None:
    if provider not in _OVERVIEW:
        _OVERVIEW.append(provider)


def affiliates():
    return Organization.objects.filter(kind=AFFILIATE)


def attach_activity(organizations: list, today: date) -> list:
    """Each affiliate's members and last login, and what the steps registered (initiatives by
    status, review timeliness), set on the rows given: one grouped query per provider for a page
    of affiliates, with one aggregate pass each, whatever its length."""
    ids = [org.pk for org in organizations]
    members = Membership.objects.filter(organization__in=ids).values("organization")
    figures: dict[int, dict] = {pk: {} for pk in ids}
    rows = [members.annotate(member_count=Count("pk"), last_login=Max("user__last_login")).order_by()]
    rows += [provider(ids, today) for _names, provider in _ACTIVITY]
    for group in rows:
        for row in group:
            figures[row.pop("organization")].update(row)
    empty = dict.fromkeys(("member_count", *(name for names, _provider in _ACTIVITY for name in names)), 0)
    for org in organizations:
        for name, value in {**empty, "last_login": None, **figures[org.pk]}.items():
            setattr(org, name, value)
    return organizations


def overview() -> dict:
    figures = {"affiliate_count": affiliates().count()}
    for provider in _OVERVIEW:
        figures.update(provider())
    return figures


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
