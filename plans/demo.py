"""Demo data: one community integration plan for the Riverside affiliate, published once and
endorsed by two of its stakeholders (the others not asked yet)."""

from datetime import date

from assessments.models import Need
from evaluations.models import Indicator
from initiatives.models import Initiative
from integration_hub.models import Role
from stakeholders.models import Stakeholder

from . import services
from .models import Plan

DEMO_AFFILIATE = "riverside"
ENDORSERS = 2


def seed(organization, people, today):
    if organization.slug != DEMO_AFFILIATE or Plan.objects.for_organization(organization).exists():
        return
    city = organization.city or "our city"
    plan = Plan(
        organization=organization,
        title=f"A welcoming {city}: community integration plan",
        community=f"The City of {city} and its neighbourhoods",
        period_start=date(today.year, 1, 1),
        period_end=date(today.year + 2, 12, 31),
        vision=(
            f"{city} is a place where newcomers and long-standing residents know each other, "
            "share the same services and shape the city's decisions together."
        ),
        how_we_listened=(
            "A two-sided survey of newcomers and long-standing residents, in English and Spanish, "
            "and listening sessions at the library and the Islamic Center."
        ),
        how_we_work=(
            "A task force of city staff, the library, faith leaders and newcomer leaders meets every "
            "quarter, reviews the indicators and reports to the City Council once a year."
        ),
    )
    picks = {
        "needs": list(Need.objects.for_organization(organization).order_by("priority", "title")[:4]),
        "initiatives": list(
            Initiative.objects.for_organization(organization).exclude(status=Initiative.Status.CANCELLED)
        ),
        "indicators": list(Indicator.objects.for_organization(organization)),
        "partners": list(
            Stakeholder.objects.for_organization(organization).filter(stance__lte=Stakeholder.Stance.SUPPORTIVE)
        ),
    }
    services.plan_save(plan=plan, picks=picks)
    version = services.version_publish(plan=plan, published_by=people.get(Role.ADMIN), today=today)
    asked = services.endorsements_request(version=version, stakeholders=picks["partners"][: ENDORSERS + 1])
    for endorsement, _token in asked[:ENDORSERS]:
        services.endorsement_answer(
            endorsement=endorsement,
            endorse=True,
            name=endorsement.stakeholder.name,
            title=endorsement.stakeholder.role_title,
            statement="We are proud to stand behind this plan.",
        )
