"""The main pages of a seeded affiliate, for the query-count check and the timings.

`main_pages(tag)` returns (name, who, url) for every main page: home, each list,
each detail, survey results, board dashboard, network roll-up and API lists,
with objects of the tag's first affiliate. `client_for(who, tag)` gives the
client that reads it (admin, board, network staff, API key or anonymous).
"""

from django.db.models import Count
from django.urls import reverse

from assessments.models import Consultation, Need, NeedsAssessment
from evaluations.models import EvaluationReview, Indicator, SharedIndicator
from initiatives.models import Idea, Initiative
from integration_hub.models import Membership, Organization, User
from stakeholders.models import Stakeholder


def affiliate(tag: str) -> Organization:
    return Organization.objects.get(slug=f"{tag}-0001")


def main_pages(tag: str) -> list[tuple[str, str, str]]:
    org = affiliate(tag)
    initiative = Initiative.objects.for_organization(org).order_by("pk").first()
    indicator = Indicator.objects.for_organization(org).order_by("pk").first()
    review = EvaluationReview.objects.for_organization(org).filter(held_on__isnull=False).order_by("pk").first()
    assessment = NeedsAssessment.objects.for_organization(org).order_by("pk").first()
    pk = {
        "initiative": initiative.pk,
        "indicator": indicator.pk,
        "review": review.pk,
        "assessment": assessment.pk,
        "consultation": Consultation.objects.for_organization(org).order_by("pk").first().pk,
        "need": Need.objects.for_organization(org).annotate(n=Count("initiatives")).order_by("-n", "pk").first().pk,
        # The one with the most engagements and commitments: an empty list skips its prefetch query.
        "stakeholder": Stakeholder.objects.for_organization(org)
        .annotate(rows=Count("engagements", distinct=True) + Count("commitments", distinct=True))
        .order_by("-rows", "pk")
        .first()
        .pk,
        "idea": Idea.objects.order_by("pk").first().pk,
    }
    token = assessment.survey.token
    shared = SharedIndicator.objects.filter(retired_on__isnull=True).order_by("pk").first()
    rollup = reverse("network_evaluation")

    def url(name, key=None, **kwargs):
        return reverse(name, kwargs={"pk": pk[key]} if key else kwargs or None)

    return [
        ("home", "admin", url("home")),
        ("needs: assessments", "admin", url("assessments:index")),
        ("needs: assessment", "admin", url("assessments:assessment_detail", "assessment")),
        ("needs: survey builder", "admin", url("assessments:survey_builder", "assessment")),
        ("needs: survey results", "admin", url("assessments:results", "assessment")),
        ("needs: text answers", "admin", url("assessments:text_answers", "assessment")),
        ("needs: public survey", "anonymous", url("assessments:survey_respond", token=token)),
        ("needs: consultations", "admin", url("assessments:consultation_list")),
        ("needs: consultation", "admin", url("assessments:consultation_detail", "consultation")),
        ("needs: needs board", "admin", url("assessments:need_list")),
        ("needs: need", "admin", url("assessments:need_detail", "need")),
        ("stakeholders: list", "admin", url("stakeholders:index")),
        ("stakeholders: stakeholder", "admin", url("stakeholders:detail", "stakeholder")),
        ("stakeholders: grid", "admin", url("stakeholders:grid")),
        ("stakeholders: engagements", "admin", url("stakeholders:engagement_list")),
        ("stakeholders: commitments", "admin", url("stakeholders:commitment_list")),
        # Forms that choose among every stakeholder / initiative (search fields above 300 rows).
        ("stakeholders: log engagement", "admin", url("stakeholders:engagement_create")),
        ("stakeholders: new commitment", "admin", url("stakeholders:commitment_create")),
        ("initiatives: add partner", "admin", url("initiatives:partner_add", "initiative")),
        ("initiatives: list", "admin", url("initiatives:index")),
        ("initiatives: initiative", "admin", url("initiatives:detail", "initiative")),
        ("initiatives: idea library", "admin", url("initiatives:idea_list")),
        ("initiatives: idea", "admin", url("initiatives:idea_detail", "idea")),
        ("evaluation: overview", "admin", url("evaluations:index")),
        ("evaluation: board dashboard", "board", url("evaluations:dashboard")),
        ("evaluation: board report", "board", url("evaluations:report")),
        ("evaluation: initiative", "admin", url("evaluations:initiative_detail", "initiative")),
        ("evaluation: indicator", "admin", url("evaluations:indicator_detail", "indicator")),
        ("evaluation: review", "admin", url("evaluations:review_detail", "review")),
        ("evaluation: reminder log", "admin", url("evaluations:reminder_log")),
        ("members", "admin", url("member_list")),
        ("activity", "admin", url("activity")),
        ("network: roll-up", "network", url("network_overview")),
        ("network: affiliates", "network", url("affiliate_list")),
        ("network: initiatives", "network", url("network_initiatives")),
        ("network: evaluation roll-up", "network", url("network_evaluation")),
        ("network: roll-up, needs CSV", "network", f"{rollup}?table=needs&format=csv"),
        ("network: roll-up, responses CSV", "network", f"{rollup}?table=responses&format=csv"),
        ("network: roll-up, one category", "network", f"{rollup}?category=education&start=2020-01-01"),
        ("network: map", "network", url("network_map")),
        (
            "network: map, shared indicator",
            "network",
            f"{url('network_map')}?measure=shared-{shared.pk if shared else 0}",
        ),
        ("network: shared indicators", "network", url("shared_indicator_list")),
        ("network: practices to review", "network", url("initiatives:practice_queue")),
        ("api: needs", "api", "/api/needs/"),
        ("api: initiatives", "api", "/api/initiatives/"),
        ("api: stakeholders", "api", "/api/stakeholders/"),
    ]


def client_for(who: str, tag: str):
    from django.test import Client

    from bench._common import logged_in_client
    from integration_hub.tests.support import api_client_for

    org = affiliate(tag)
    if who == "anonymous":
        return Client()
    if who == "api":
        return api_client_for(Membership.objects.get(organization=org, user__email=f"admin@{org.slug}.example"))
    if who == "network":
        network = Organization.objects.get(slug=f"{tag}-network")
        return logged_in_client(User.objects.get(email=f"network@{tag}-network.example"), network)
    return logged_in_client(User.objects.get(email=f"{who}@{org.slug}.example"), org)
