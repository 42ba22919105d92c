"""Demo data: one community integration plan for the Riverside affiliate, published once and
endorsed by two of its stakeholders (the others not asked yet)."""

from datetime import date

from assessments.models import Need
from evaluations.models import Indicator
from initiatives.models import Initiative
from integration_hub.models import Role
from stakeholders.models import Stakeholder

from . import services
from .models import Plan, Story

STORIES = [
    ("Tomatoes over the fence", "A retired teacher and a family who arrived last spring now share one garden; "
     "she learns Spanish words for every vegetable, they learn her grandmother's pie.", "A gardener", Story.Scope.PUBLIC),
    ("A ride to the clinic", "When the bus line was cut, a neighbour started driving two newcomer mothers to the "
     "clinic on Tuesdays. Now four families share the rides.", "A neighbour", Story.Scope.OFFICIALS),
    ("First day at work", "A new hire was shown around the plant by a colleague who had been new in town twenty "
     "years ago.", "A colleague", Story.Scope.INTERNAL),
]  # fmt: skip

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
    circle = picks["initiatives"][0] if picks["initiatives"] else None
    if circle is not None:
        for title, text, told_as, scope in STORIES:
            picks.setdefault("stories", []).append(
                services.story_save(
                    story=Story(
                        organization=organization, initiative=circle, title=title, text=text, pseudonym=told_as,
                        consent_by=Story.ConsentBy.BOTH, consent_on=today, scope=scope,
                    )
                )
            )  # fmt: skip
        picks["stories"] = [s for s in picks["stories"] if s.scope >= Story.Scope.OFFICIALS]
    services.plan_save(plan=plan, picks=picks)
    version = services.version_publish(plan=plan, published_by=people.get(Role.ADMIN), today=today)
    services.public_page_set(plan=plan, public=True)
    asked = services.endorsements_request(version=version, stakeholders=picks["partners"][: ENDORSERS + 1])
    for endorsement, _token in asked[:ENDORSERS]:
        services.endorsement_answer(
            endorsement=endorsement,
            endorse=True,
            name=endorsement.stakeholder.name,
            title=endorsement.stakeholder.role_title,
            statement="We are proud to stand behind this plan.",
        )
