"""Each object's page names its neighbours in the four steps, with links, and only its own organisation's."""

import datetime as dt
from decimal import Decimal

from django.urls import reverse

from evaluations.tests.factories import (
    EvaluationReviewFactory,
    IndicatorFactory,
    InitiativeFactory,
    MeasurementFactory,
    ReviewScheduleFactory,
)
from initiatives.models import InitiativePartner
from initiatives.tests.factories import NeedFactory, PartnerFactory, StakeholderFactory


def test_an_initiative_page_links_its_indicators_reviews_and_evaluation_page(client_as, organization):
    initiative = InitiativeFactory(organization=organization, title="Municipal ID card")
    on_track = IndicatorFactory(initiative=initiative, name="ID cards issued to newcomers")
    MeasurementFactory(indicator=on_track, date=dt.date(2025, 7, 1), value=Decimal("60"))
    never = IndicatorFactory(initiative=initiative, name="ID cards issued to long-time residents")
    schedule = ReviewScheduleFactory(initiative=initiative)
    overdue = EvaluationReviewFactory(schedule=schedule, due_date=dt.date(2025, 4, 15))
    EvaluationReviewFactory(schedule=schedule, due_date=dt.date(2099, 4, 15))
    elsewhere = IndicatorFactory(name="Another affiliate's indicator")  # another organisation's

    html = client_as("board").get(initiative.get_absolute_url()).content.decode()

    assert f'href="{on_track.get_absolute_url()}">ID cards issued to newcomers</a>' in html
    assert f'href="{never.get_absolute_url()}">ID cards issued to long-time residents</a>' in html
    assert "No data yet" in html and "On track" in html
    assert f'href="{overdue.get_absolute_url()}">Next review</a>' in html and "overdue since 15 Apr 2025" in html
    assert f'href="{reverse("evaluations:initiative_detail", args=[initiative.pk])}">Evaluation page</a>' in html
    assert elsewhere.name not in html


def test_an_initiative_without_indicators_says_so_and_still_links_its_evaluation_page(client_as, organization):
    initiative = InitiativeFactory(organization=organization)
    html = client_as("editor").get(initiative.get_absolute_url()).content.decode()
    assert "No indicators yet: say what will show that this initiative works." in html
    assert reverse("evaluations:initiative_detail", args=[initiative.pk]) in html


def test_the_needs_an_initiative_addresses_are_links(client_as, organization):
    need = NeedFactory(organization=organization, title="Evening English classes")
    initiative = InitiativeFactory(organization=organization)
    initiative.needs.add(need)
    html = client_as("editor").get(initiative.get_absolute_url()).content.decode()
    assert f'<a href="{need.get_absolute_url()}">Evening English classes</a>' in html


def test_the_evaluation_and_indicator_pages_link_back_to_the_initiative(client_as, organization):
    initiative = InitiativeFactory(organization=organization, title="Events where both sides meet")
    indicator = IndicatorFactory(initiative=initiative)
    client = client_as("board")
    evaluation = client.get(reverse("evaluations:initiative_detail", args=[initiative.pk])).content.decode()
    assert f'<a href="{initiative.get_absolute_url()}">' in evaluation
    page = client.get(indicator.get_absolute_url()).content.decode()
    assert f'measures <a href="{initiative.get_absolute_url()}">Events where both sides meet</a>' in page


def test_a_stakeholder_page_lists_the_initiatives_they_partner_in(client_as, organization):
    stakeholder = StakeholderFactory(organization=organization, name="Helen Park")
    hosting = InitiativeFactory(organization=organization, title="Multilingual library collections")
    PartnerFactory(initiative=hosting, stakeholder=stakeholder, role=InitiativePartner.Role.HOST)
    InitiativeFactory(organization=organization, title="Not theirs")
    html = client_as("board").get(stakeholder.get_absolute_url()).content.decode()
    assert f'href="{hosting.get_absolute_url()}">Multilingual library collections</a>' in html
    assert "· Host" in html
    assert "Not theirs" not in html

    lonely = StakeholderFactory(organization=organization)
    html = client_as("board").get(lonely.get_absolute_url()).content.decode()
    assert "Not a partner in any initiative yet." in html


def test_the_initiative_page_query_count_does_not_grow_with_indicators(
    client_as, organization, django_assert_max_num_queries
):
    initiative = InitiativeFactory(organization=organization)
    client = client_as("editor")
    IndicatorFactory(initiative=initiative)
    with django_assert_max_num_queries(60) as few:
        client.get(initiative.get_absolute_url())
    for _ in range(12):
        MeasurementFactory(indicator=IndicatorFactory(initiative=initiative))
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(initiative.get_absolute_url())
