"""The public progress page: off by default, turned on and off by admins, anonymous, nothing
personal, small counts hidden, English and Spanish, a flat query count, framable only as its
embed, and wrong links throttled like endorsement links."""

from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from assessments.models import Answer, Question
from evaluations.tests.factories import IndicatorFactory, MeasurementFactory
from initiatives.models import Activity, Initiative
from initiatives.tests.factories import ActivityFactory, FundingFactory, InitiativeFactory, MilestoneFactory
from integration_hub.tests.support import fill_with_demo_data
from plans import services
from plans.models import Plan, Story
from plans.tests.factories import PlanFactory, StoryFactory
from stakeholders.models import Stakeholder
from stakeholders.tests.factories import StakeholderFactory

pytestmark = pytest.mark.django_db


def _fill(plan, times=1):
    """`times` sets of initiatives, milestones, indicators, events and stories in `plan`."""
    organization = plan.organization
    for n in range(times):
        initiative = InitiativeFactory(
            organization=organization, title=f"Welcome circles, round {n} — “café” & <talks>",
            status=Initiative.Status.ACTIVE,
        )  # fmt: skip
        MilestoneFactory(initiative=initiative, title=f"First circle meets {n}")
        FundingFactory(initiative=initiative, source_name=f"Hidden Funder Trust {n}")
        indicator = IndicatorFactory(initiative=initiative, name=f"Newcomers with a library card {n}")
        MeasurementFactory(indicator=indicator, value=Decimal("40"))
        ActivityFactory(initiative=initiative, title=f"Potluck at the park {n}", newcomers=12, receiving=3,
                        unknown=0, notes="Private note: Ana's family could not come")  # fmt: skip
        ActivityFactory(initiative=initiative, title=f"Visit to the Okafor home {n}", kind=Activity.Kind.HOME_VISIT)
        partner = StakeholderFactory(organization=organization, name=f"Councillor Quentin Marsh {n}")
        stories = [
            StoryFactory(organization=organization, initiative=initiative, title=f"Shared garden {n}"),
            StoryFactory(organization=organization, initiative=initiative, title=f"Clinic rides {n}",
                         scope=Story.Scope.OFFICIALS),
        ]  # fmt: skip
        plan.initiatives.add(initiative)
        plan.indicators.add(indicator)
        plan.partners.add(partner)
        plan.stories.add(*stories)


@pytest.fixture
def plan(organization):
    plan = PlanFactory(organization=organization, title="Welcoming Riverside 2026")
    _fill(plan)
    services.version_publish(plan=plan, published_by=None)
    return plan


def _public(plan, embed=False):
    return reverse("plans:public_embed" if embed else "plans:public", args=[plan.public_slug])


def _turn(client, plan, state):
    return client.post(reverse("plans:public_toggle", args=[plan.pk]), {"public": state})


def test_the_page_is_off_until_an_admin_turns_it_on(client, client_as, plan):
    assert plan.is_public is False and plan.public_slug is None
    assert _turn(client_as("editor"), plan, "on").status_code == 403
    plan.refresh_from_db()
    assert plan.is_public is False
    _turn(client_as("admin"), plan, "on")
    plan.refresh_from_db()
    assert plan.is_public and len(plan.public_slug) >= 32
    page = client.get(_public(plan))  # anonymous
    assert page.status_code == 200
    html = page.content.decode()
    assert "Welcoming Riverside 2026" in html
    assert "Welcome circles, round 0 — “café” &amp; &lt;talks&gt;" in html
    assert "First circle meets 0" in html and "Active" in html
    assert "Newcomers with a library card 0" in html and 'value="40"' in html
    assert "Potluck at the park 0" in html and ">12<" in html and "fewer than 5" in html
    assert "Shared garden 0" in html
    kept_inside = ("Clinic rides 0", "Councillor Quentin Marsh", "Hidden Funder Trust", "Private note", ">3<", "Okafor")
    for hidden in kept_inside:
        assert hidden not in html


def test_a_plan_without_a_published_version_cannot_go_public(client_as, organization):
    plan = PlanFactory(organization=organization)
    response = _turn(client_as("admin"), plan, "on")
    plan.refresh_from_db()
    assert plan.is_public is False
    assert "Publish a version first" in client_as("admin").get(response.url).content.decode()


def test_the_staff_page_shows_the_link_and_the_embed_snippet(client_as, plan):
    admin = client_as("admin")
    _turn(admin, plan, "on")
    plan.refresh_from_db()
    html = admin.get(plan.get_absolute_url()).content.decode()
    assert _public(plan) in html
    assert f"&lt;iframe src=&quot;http://testserver{_public(plan, embed=True)}&quot;" in html
    assert "Turn the public page off" in html
    board = client_as("board").get(plan.get_absolute_url()).content.decode()
    assert "Turn the public page off" not in board  # only admins switch it


def test_turning_it_off_answers_404_at_once_and_nothing_caches_it(client, client_as, plan):
    admin = client_as("admin")
    _turn(admin, plan, "on")
    plan.refresh_from_db()
    page = client.get(_public(plan))
    assert page.status_code == 200
    assert "no-store" in page["Cache-Control"] and "private" in page["Cache-Control"]
    _turn(admin, plan, "off")
    assert client.get(_public(plan)).status_code == 404
    assert client.get(_public(plan, embed=True)).status_code == 404
    _turn(admin, plan, "on")  # back on: the same link (and any embed of it) works again
    assert client.get(_public(plan)).status_code == 200


def test_wrong_slugs_answer_404_and_are_throttled(client, settings, plan):
    services.public_page_set(plan=plan, public=True)
    plan.refresh_from_db()
    settings.PUBLIC_PAGE_WRONG_LINKS_PER_IP = 3
    assert client.get(reverse("plans:public", args=["x" * 500])).status_code == 404
    statuses = [client.get(reverse("plans:public", args=[f"guess-{i}"])).status_code for i in range(3)]
    assert statuses == [404, 404, 429]
    assert client.get(_public(plan)).status_code == 429  # even the right link waits: guessing gains nothing


def test_another_plans_slug_does_not_open_an_unpublished_page(client, plan, other_organization):
    other = PlanFactory(organization=other_organization)
    services.version_publish(plan=other, published_by=None)
    services.public_page_set(plan=other, public=True)
    services.public_page_set(plan=other, public=False)
    other.refresh_from_db()
    assert client.get(_public(other)).status_code == 404


def test_spanish_by_query_and_by_browser_with_a_language_switch(client, plan):
    services.public_page_set(plan=plan, public=True)
    plan.refresh_from_db()
    html = client.get(_public(plan) + "?lang=es").content.decode()
    assert '<html lang="es">' in html and "Progreso frente a nuestras metas" in html and "menos de 5" in html
    assert 'href="?lang=en"' in html
    html = client.get(_public(plan), HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert "Progreso frente a nuestras metas" in html
    html = client.get(_public(plan)).content.decode()
    assert "Progress against our targets" in html and 'href="?lang=es"' in html


def test_only_the_embed_may_be_framed(client, client_as, plan, settings):
    services.public_page_set(plan=plan, public=True)
    plan.refresh_from_db()
    embed = client.get(_public(plan, embed=True))
    assert embed.status_code == 200
    assert "X-Frame-Options" not in embed
    ancestors = embed["Content-Security-Policy"].split("frame-ancestors")[1].split(";")[0].split()
    assert ancestors == settings.PUBLIC_PAGE_FRAME_ANCESTORS == ["*"]
    others = [
        client.get(_public(plan)),
        client.get(reverse("plans:public", args=["no-such-page"])),
        client_as("admin").get(plan.get_absolute_url()),
        client_as("admin").get(reverse("plans:index")),
        client.get(reverse("privacy")),
    ]
    for response in others:
        assert response["X-Frame-Options"] == "DENY"
        assert "frame-ancestors 'none'" in response["Content-Security-Policy"]


@pytest.mark.parametrize("embed", [False, True])
def test_the_query_count_stays_flat(client, organization, django_assert_max_num_queries, embed):
    plans = []
    for times in (1, 6):
        plan = PlanFactory(organization=organization)
        _fill(plan, times)
        services.version_publish(plan=plan, published_by=None)
        services.public_page_set(plan=plan, public=True)
        plan.refresh_from_db()
        plans.append(plan)
    with django_assert_max_num_queries(8):
        assert client.get(_public(plans[0], embed)).status_code == 200
    with django_assert_max_num_queries(8):
        page = client.get(_public(plans[1], embed))
    assert page.status_code == 200 and page.content.decode().count("Potluck at the park") == 6


def test_no_personal_data_of_the_demo_appears_on_the_public_page(client, organization, admin_user):
    fill_with_demo_data(organization, admin_user)
    plan = Plan.objects.get(organization=organization)
    assert plan.is_public  # the demo shows the page on
    # The demo's stakeholders keep no contact data: give each some, then publish again so the
    # page's frozen version was built while they had it.
    for n, stakeholder in enumerate(Stakeholder.objects.for_organization(organization)):
        stakeholder.email, stakeholder.phone = f"office{n}.holloway@city.example", f"+1 (937) 555-01{n:02d}"
        stakeholder.save()
    services.version_publish(plan=plan, published_by=admin_user)
    html = "".join(
        client.get(reverse(name, args=[plan.public_slug]) + f"?lang={lang}").content.decode().casefold()
        for name in ("plans:public", "plans:public_embed")
        for lang in ("en", "es")
    )
    assert plan.title.casefold() in html
    staff = [email for email in get_user_model().objects.values_list("email", flat=True) if email]
    stakeholders = Stakeholder.objects.for_organization(organization)
    contacts = [v for pair in stakeholders.values_list("email", "phone") for v in pair if v]
    written = Answer.objects.filter(question__kind__in=Question.TEXT_KINDS).exclude(text="")
    answers = [t for t in written.values_list("text", flat=True) if len(t) >= 6]
    assert staff and contacts and answers  # the scan has something to look for
    found = [value for value in (*staff, *contacts, *answers) if value.casefold() in html]
    assert found == []
    names = [u.get_full_name() for u in get_user_model().objects.all() if len(u.get_full_name()) > 3]
    assert [name for name in names if name.casefold() in html] == []
