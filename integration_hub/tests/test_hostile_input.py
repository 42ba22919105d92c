"""Each input that once ended in a server error (issue 14), with realistic shapes:
affiliates with several members, long and odd text, dates at the ends of the calendar.
The walk over every URL is test_hostile_walk.py; these pin each case by name."""

import datetime as dt

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from assessments.models import Question, Response
from assessments.tests.factories import NeedsAssessmentFactory, QuestionFactory
from evaluations.models import CalendarFeed, Measurement, ReviewSchedule
from evaluations.tests.factories import IndicatorFactory
from initiatives.models import Initiative, Milestone
from initiatives.tests.factories import IdeaFactory, InitiativeFactory
from integration_hub.middleware import SESSION_KEY
from integration_hub.models import ApiToken, Invitation, Membership, Organization, Role
from integration_hub.tests.factories import MembershipFactory
from integration_hub.tests.support import api_client_for, fill_with_demo_data
from stakeholders.models import Stakeholder
from stakeholders.tests.factories import StakeholderFactory

pytestmark = pytest.mark.django_db

LIST_PAGES = [
    "assessments:need_list",
    "assessments:consultation_list",
    "stakeholders:index",
    "stakeholders:engagement_list",
    "stakeholders:commitment_list",
    "initiatives:index",
    "initiatives:idea_list",
]


def _upload(text, name="values.csv"):
    return SimpleUploadedFile(name, text.encode(), content_type="text/csv")


# --- network staff and the organisation switch ----------------------------------------------


@pytest.fixture
def affiliates_with_several_members(organization, other_organization, people):
    for org in (organization, other_organization):
        for role in (Role.ADMIN, Role.EDITOR, Role.EDITOR, Role.BOARD):
            MembershipFactory(organization=org, role=role)
    return organization, other_organization


def test_network_staff_open_an_affiliate_that_has_several_members(client_as, affiliates_with_several_members):
    network = client_as("network")
    for affiliate in affiliates_with_several_members:
        assert Membership.objects.filter(organization=affiliate).count() >= 4
        response = network.post(reverse("organization_switch"), {"organization": affiliate.pk})
        assert response.status_code == 302
        assert network.session[SESSION_KEY] == affiliate.pk


def test_network_staff_still_switch_back_to_the_network_office(client_as, network_office):
    network = client_as("network")
    assert network.post(reverse("organization_switch"), {"organization": network_office.pk}).status_code == 302
    assert network.session[SESSION_KEY] == network_office.pk


@pytest.mark.parametrize("value", ["abc", "²", "1e309", "9" * 30, "", "-1"])
def test_an_organization_that_is_not_an_id_is_a_404(client_as, value):
    assert client_as("editor").post(reverse("organization_switch"), {"organization": value}).status_code == 404


# --- NUL characters ----------------------------------------------------------------------------


@pytest.mark.parametrize("name", LIST_PAGES)
def test_a_nul_in_a_search_is_refused_on_every_list_page(client_as, name):
    response = client_as("editor").get(reverse(name), {"q": "bank\x00"})
    assert response.status_code == 400
    assert "NUL character" in response.content.decode()


def test_a_nul_in_the_text_answers_search_is_refused(client_as, organization):
    assessment = NeedsAssessmentFactory(organization=organization)
    response = client_as("editor").get(reverse("assessments:text_answers", args=[assessment.pk]), {"q": "\x00"})
    assert response.status_code == 400


def test_the_csv_export_of_a_search_with_a_nul_is_refused_before_it_starts(client_as, organization):
    StakeholderFactory(organization=organization, name="Heritage Savings Bank")
    response = client_as("editor").get(reverse("stakeholders:index"), {"q": "\x00", "format": "csv"})
    assert response.status_code == 400 and not response.streaming


def test_the_public_survey_refuses_a_nul_in_its_address_and_in_an_answer(client, organization):
    assert client.get("/needs/s/%00/").status_code == 400
    question = QuestionFactory(survey__assessment__organization=organization, kind=Question.Kind.LONG_TEXT)
    survey = question.survey
    survey.assessment.status = "collecting"
    survey.assessment.save()
    url = reverse("assessments:survey_respond", args=[survey.token])
    response = client.post(url, {"side": "newcomer", f"q{question.pk}": "We need\x00 buses"})
    assert response.status_code == 400
    assert Response.objects.count() == 0


def test_a_measurement_csv_note_with_a_nul_names_its_line_and_stores_nothing(editor_client, organization):
    initiative = InitiativeFactory(organization=organization)
    IndicatorFactory(initiative=initiative, name="ID cards issued", baseline_date=dt.date(2024, 1, 1))
    text = "indicator,date,value,note\nID cards issued,2025-02-01,12,fine\nID cards issued,2025-03-01,3,bad\x00note\n"
    url = reverse("evaluations:measurement_import", args=[initiative.pk])
    response = editor_client.post(url, {"file": _upload(text)}, follow=True)
    assert response.status_code == 200
    assert "Line 3: The request contains a NUL character" in response.content.decode()
    assert not Measurement.objects.exists()


def test_the_api_key_form_refuses_a_nul(editor_client):
    response = editor_client.post(reverse("api_tokens"), {"name": "sheet\x00"})
    assert response.status_code == 400
    assert not ApiToken.objects.exists()


# --- long search strings -----------------------------------------------------------------------


@pytest.mark.parametrize("name", LIST_PAGES)
def test_a_search_of_100_000_characters_answers_the_page(client_as, organization, admin_user, name):
    fill_with_demo_data(organization, admin_user)  # SQLite only evaluates a LIKE against a row
    response = client_as("editor").get(reverse(name), {"q": "ñ" * 100_000})
    assert response.status_code == 200


def test_a_long_search_still_finds_by_its_first_characters(client_as, organization):
    StakeholderFactory(organization=organization, name="Heritage Savings Bank")
    response = client_as("editor").get(reverse("stakeholders:index"), {"q": "Heritage" + "x" * 100_000})
    assert response.status_code == 200
    assert list(response.context["object_list"]) == []  # the term is cut, not dropped
    response = client_as("editor").get(reverse("stakeholders:index"), {"q": "Heritage " * 30_000})
    assert [s.name for s in response.context["object_list"]] == []


def test_a_long_api_search_answers_the_page(organization, editor_user):
    api = api_client_for(Membership.objects.get(user=editor_user))
    response = api.get(reverse("api:initiative-list"), {"search": "x" * 100_000})
    assert response.status_code == 200


# --- digits that are not ASCII -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "param"),
    [
        ("stakeholders:commitment_create", "stakeholder"),
        ("stakeholders:engagement_create", "stakeholder"),
        ("assessments:consultation_create", "assessment"),
        ("initiatives:create", "idea"),
    ],
)
@pytest.mark.parametrize("value", ["²", "٣", "9" * 30, "1e309"])
def test_a_query_id_that_is_not_ascii_digits_is_ignored(client_as, name, param, value):
    response = client_as("editor").get(reverse(name), {param: value})
    assert response.status_code == 200


def test_a_query_id_still_prefills_the_form(client_as, organization):
    idea = IdeaFactory()
    response = client_as("editor").get(reverse("initiatives:create"), {"idea": str(idea.pk)})
    assert response.context["form"].initial["title"] == idea.title


@pytest.mark.parametrize("value", ["²", "0", "201", "9" * 30, "abc"])
def test_an_api_page_size_out_of_range_is_a_json_400(organization, editor_user, value):
    api = api_client_for(Membership.objects.get(user=editor_user))
    response = api.get(reverse("api:initiative-list"), {"page_size": value})
    assert response.status_code == 400
    assert "page_size" in response.json()


# --- dates at the ends of the calendar -------------------------------------------------------


@pytest.mark.parametrize("end", ["0001-01-01", "9999-12-31", "1900-01-01"])
def test_the_board_report_takes_any_end_date(client_as, end):
    assert client_as("board").get(reverse("evaluations:report"), {"end": end, "start": "0001-01-01"}).status_code == 200


@pytest.mark.parametrize("day", ["9999-12-31", "0001-01-01", "1899-12-31", "2201-01-01"])
def test_a_review_schedule_far_outside_the_calendar_is_refused_with_a_message(
    editor_client, organization, editor_user, day
):
    initiative = InitiativeFactory(organization=organization)
    data = {"every": "3", "period": "months", "start_date": day, "reviewers": [editor_user.pk], "reminder_lead_days": 7}
    response = editor_client.post(reverse("evaluations:schedule_edit", args=[initiative.pk]), data)
    assert response.status_code == 200
    assert "Enter a date between 1900-01-01 and 2200-12-31." in response.content.decode()
    assert not ReviewSchedule.objects.exists()


def test_a_review_schedule_at_the_end_of_the_range_is_accepted(editor_client, organization, editor_user):
    initiative = InitiativeFactory(organization=organization)
    data = {"every": "1", "period": "months", "start_date": "2200-01-01", "reviewers": [editor_user.pk]}
    data["reminder_lead_days"] = 7
    response = editor_client.post(reverse("evaluations:schedule_edit", args=[initiative.pk]), data)
    assert response.status_code == 302


def test_a_milestone_due_in_9999_is_refused(editor_client, organization):
    initiative = InitiativeFactory(organization=organization)
    response = editor_client.post(
        reverse("initiatives:milestone_add", args=[initiative.pk]), {"title": "Far away", "due_date": "9999-12-31"}
    )
    assert "Enter a date between 1900-01-01 and 2200-12-31." in response.content.decode()
    assert not Milestone.objects.exists()


def test_a_milestone_saved_in_9999_before_the_rule_does_not_break_its_leads_feed(
    client_as, client, organization, editor_user
):
    led = Initiative.objects.create(organization=organization, title="City ID", lead=editor_user)
    Milestone.objects.create(initiative=led, title="Far away", due_date=dt.date(9999, 12, 31))
    Milestone.objects.create(initiative=led, title="Soon", due_date=timezone.localdate() + dt.timedelta(days=3))
    response = client_as("editor").post(reverse("evaluations:calendar"))
    assert CalendarFeed.objects.count() == 1
    url = response.context["feed_url"]
    feed = client.get(url)
    assert feed.status_code == 200
    body = feed.content.decode()
    assert "Soon" in body and "Far away" not in body


def test_the_api_refuses_a_date_outside_the_range(organization, editor_user):
    api = api_client_for(Membership.objects.get(user=editor_user))
    body = {"title": "Library card drive", "status": "planned", "start_date": "9999-12-31"}
    response = api.post(reverse("api:initiative-list"), body, format="json")
    assert response.status_code == 400
    assert response.json()["start_date"] == ["Enter a date between 1900-01-01 and 2200-12-31."]
    assert not Initiative.objects.exists()


# --- deeply nested JSON ------------------------------------------------------------------------


def test_deeply_nested_json_to_the_api_is_a_400(organization, editor_user):
    api = api_client_for(Membership.objects.get(user=editor_user))
    response = api.post(reverse("api:initiative-list"), "[" * 100_000, content_type="application/json")
    assert response.status_code == 400
    assert "nested too deeply" in response.json()["detail"]
    assert not Initiative.objects.exists()


# --- line breaks in one-line fields ------------------------------------------------------------


def test_an_organisation_name_with_a_line_break_is_refused(client_as, organization):
    data = {"name": "Riverside\r\nBcc: x", "time_zone": "America/Chicago", "retention_months": 24}
    response = client_as("admin").post(reverse("organization_settings"), data)
    assert "Keep this on one line" in response.content.decode()
    organization.refresh_from_db()
    assert organization.name == "Riverside Immigrant Services"


def test_an_invitation_from_an_organisation_whose_name_has_a_line_break_is_sent(
    client_as, organization, django_capture_on_commit_callbacks
):
    # A name saved before the rule (or through the admin site).
    Organization.objects.filter(pk=organization.pk).update(name="Riverside\r\nBcc: x@evil.example")
    with django_capture_on_commit_callbacks(execute=True):
        response = client_as("admin").post(reverse("member_list"), {"email": "new@riverside.example", "role": "editor"})
    assert response.status_code == 302
    assert Invitation.objects.filter(email="new@riverside.example").exists()
    assert len(mail.outbox) == 1
    assert mail.outbox[0].subject == "You are invited to join Riverside Bcc: x@evil.example on Integration Hub"
    assert mail.outbox[0].bcc == []


def test_the_api_refuses_a_line_break_in_a_one_line_field_but_not_in_a_text(organization, editor_user):
    api = api_client_for(Membership.objects.get(user=editor_user))
    response = api.post(reverse("api:initiative-list"), {"title": "Two\nlines", "status": "planned"}, format="json")
    assert response.status_code == 400
    assert response.json()["title"] == ["Keep this on one line: remove the line breaks."]
    body = {"title": "One line", "status": "planned", "summary": "First line.\r\nSecond line."}
    assert api.post(reverse("api:initiative-list"), body, format="json").status_code == 201


def test_a_stakeholder_form_keeps_line_breaks_in_notes_but_not_in_the_name(editor_client, organization):
    data = {"name": "Rev. Alma\nCastillo", "sector": "faith", "influence": "2", "stance": "2", "speaks_for": "both"}
    response = editor_client.post(reverse("stakeholders:create"), data)
    assert "Keep this on one line" in response.content.decode()
    data["name"], data["notes"] = "Rev. Alma Castillo", "Met at the fair.\r\nFollow up in May."
    assert editor_client.post(reverse("stakeholders:create"), data).status_code == 302
    assert Stakeholder.objects.get().notes == "Met at the fair.\r\nFollow up in May."


# --- CSV: huge cells and unterminated quotes ---------------------------------------------------


def test_a_measurement_csv_cell_over_the_csv_limit_is_reported_by_line(editor_client, organization):
    initiative = InitiativeFactory(organization=organization)
    IndicatorFactory(initiative=initiative, name="ID cards issued", baseline_date=dt.date(2024, 1, 1))
    text = "indicator,date,value,note\nID cards issued,2025-02-01,12,fine\nID cards issued,2025-03-01,3," + (
        "n" * 140_000
    )
    response = editor_client.post(
        reverse("evaluations:measurement_import", args=[initiative.pk]), {"file": _upload(text)}, follow=True
    )
    assert response.status_code == 200
    assert "Line 3: a cell is longer than 131072 characters." in response.content.decode()
    assert not Measurement.objects.exists()


def test_a_stakeholder_csv_with_an_unterminated_quote_names_the_line_and_imports_nothing(editor_client):
    lines = ["name,affiliation"] + [f"Person {i},Library" for i in range(100)]
    lines[3] = '"Person 3,Library'
    text = "\n".join(lines) + "\n"
    response = editor_client.post(reverse("stakeholders:import"), {"file": _upload(text, "people.csv")}, follow=True)
    assert "line 4: a quote (&quot;) opened on this line is never closed" in response.content.decode()
    assert not Stakeholder.objects.exists()


def test_a_quote_closed_on_a_later_line_is_one_cell_with_its_line_numbers(organization):
    from stakeholders.services import parse_stakeholder_csv

    text = 'name,notes\nAlma,"Met twice,\nonce at the fair"\nBo,\n,empty name\n'
    rows, result = parse_stakeholder_csv(organization=organization, upload=_upload(text, "people.csv"))
    assert [line for line, _data in rows] == [2, 4]
    assert result.errors == ["line 5: the name is empty."]


def test_a_measurement_csv_with_an_unterminated_quote_names_the_line(editor_client, organization):
    initiative = InitiativeFactory(organization=organization)
    IndicatorFactory(initiative=initiative, name="ID cards issued", baseline_date=dt.date(2024, 1, 1))
    rows = [f"ID cards issued,2025-02-{day:02d},{day}," for day in range(1, 28)]
    rows[4] = 'ID cards issued,2025-02-05,5,"oops'
    text = "indicator,date,value,note\n" + "\n".join(rows) + "\n"
    response = editor_client.post(
        reverse("evaluations:measurement_import", args=[initiative.pk]), {"file": _upload(text)}, follow=True
    )
    assert "Line 6: a quote (&quot;) opened on this line is never closed" in response.content.decode()
    assert not Measurement.objects.exists()


# --- email addresses in any case ---------------------------------------------------------------


@pytest.mark.parametrize("typed", ["Staff@riverside.example", "STAFF@RIVERSIDE.EXAMPLE", "staff@Riverside.example"])
def test_login_matches_the_email_in_any_case(client, editor_user, typed):
    response = client.post(reverse("login"), {"username": typed, "password": "correct-horse-battery"})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(editor_user.pk)


def test_failed_logins_in_any_case_count_against_one_lockout(client, editor_user, settings):
    variants = ["Staff@riverside.example", "STAFF@riverside.example", "staff@RIVERSIDE.example"]
    for attempt in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("login"), {"username": variants[attempt % 3], "password": "wrong"})
    # Locked for every spelling, the right password included.
    response = client.post(reverse("login"), {"username": editor_user.email, "password": "correct-horse-battery"})
    assert response.status_code == 429


def test_an_invitation_to_a_capitalised_address_joins_the_existing_account(
    client_as, organization, outsider, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client_as("admin").post(reverse("member_list"), {"email": "Admin@Lakeshore.example", "role": "board"})
    invitation = Invitation.objects.get()
    assert invitation.email == "admin@lakeshore.example"
    token = mail.outbox[0].body.split("/invitation/")[1].split("/")[0]
    response = client_as("outsider").post(reverse("invitation_accept", args=[token]))
    assert response.status_code == 302
    assert Membership.objects.filter(user=outsider, organization=organization, role=Role.BOARD).exists()


def test_a_100_000_character_login_is_refused_like_any_wrong_one(client):
    response = client.post(reverse("login"), {"username": "x" * 100_000 + "@example.org", "password": "x"})
    assert response.status_code == 200
    assert "Please enter a correct email address and password" in response.content.decode()
