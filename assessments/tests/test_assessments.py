import datetime

import pytest
from django.urls import reverse

from assessments import demo, selectors
from assessments.models import Consultation, Need, NeedsAssessment, Response
from assessments.services import survey_for
from assessments.tests.factories import (
    ConsultationFactory,
    NeedFactory,
    NeedsAssessmentFactory,
    QuestionFactory,
    ResponseFactory,
)
from integration_hub.dashboard import home_overview
from integration_hub.models import Role

pytestmark = pytest.mark.django_db


def test_assessment_list_searches_filters_and_exports(editor_client, organization, other_organization):
    NeedsAssessmentFactory(organization=organization, title="East Side survey", status="collecting")
    NeedsAssessmentFactory(
        organization=organization, title="Parish listening", area_served="North End", status="closed"
    )
    NeedsAssessmentFactory(organization=other_organization, title="East Side elsewhere")
    url = reverse("assessments:index")

    titles = [a.title for a in editor_client.get(url, {"q": "east"}).context["object_list"]]
    assert titles == ["East Side survey"]
    titles = [a.title for a in editor_client.get(url, {"status": "closed"}).context["object_list"]]
    assert titles == ["Parish listening"]
    body = b"".join(editor_client.get(url, {"format": "csv", "q": "east"}).streaming_content).decode("utf-8-sig")
    assert body.splitlines()[0] == "Title,Area served,Start,End,Status,Owner,Responses"
    assert "East Side survey" in body and "elsewhere" not in body and "Parish" not in body


def test_assessment_list_queries_do_not_grow_with_rows(editor_client, organization, django_assert_max_num_queries):
    for _ in range(12):
        ResponseFactory.create_batch(2, survey__assessment=NeedsAssessmentFactory(organization=organization))
    with django_assert_max_num_queries(14):
        response = editor_client.get(reverse("assessments:index"))
    assert response.context["object_list"][0].response_count == 2


def test_period_end_before_start_is_refused_and_keeps_input(editor_client):
    data = {"title": "Backwards", "status": "draft", "period_start": "2026-05-01", "period_end": "2026-04-01"}
    response = editor_client.post(reverse("assessments:assessment_create"), data)
    assert response.status_code == 200
    assert "The end of the period cannot be before its start." in response.content.decode()
    assert 'value="Backwards"' in response.content.decode()
    assert not NeedsAssessment.objects.exists()


def test_owner_from_another_organization_is_refused(editor_client, outsider):
    data = {"title": "Forged", "status": "draft", "owner": outsider.pk}
    response = editor_client.post(reverse("assessments:assessment_create"), data)
    assert "owner" in response.context["form"].errors
    assert not NeedsAssessment.objects.exists()


def test_closing_an_assessment_closes_its_public_link(editor_client, client, organization):
    assessment = NeedsAssessmentFactory(organization=organization, status="collecting")
    editor_client.post(reverse("assessments:assessment_status", kwargs={"pk": assessment.pk}), {"status": "closed"})
    assessment.refresh_from_db()
    assert assessment.status == "closed"
    survey = survey_for(assessment)
    assert client.get(reverse("assessments:survey_respond", kwargs={"token": survey.token})).status_code == 404


def test_unknown_status_is_refused(editor_client, organization):
    assessment = NeedsAssessmentFactory(organization=organization, status="draft")
    response = editor_client.post(
        reverse("assessments:assessment_status", kwargs={"pk": assessment.pk}), {"status": "deleted"}, follow=True
    )
    assert "Unknown status." in response.content.decode()
    assessment.refresh_from_db()
    assert assessment.status == "draft"


def test_consultation_records_participants_by_side(editor_client, organization):
    data = {
        "title": "Coffee and chat at the bakery",
        "kind": "coffee_and_chat",
        "held_on": "2026-02-10",
        "newcomer_participants": "9",
        "resident_participants": "4",
        "languages": "Spanish, English",
        "key_points": "Bus times\n- Childcare",
    }
    editor_client.post(reverse("assessments:consultation_create"), data)
    consultation = Consultation.objects.get()
    assert consultation.organization == organization
    assert consultation.total_participants == 13
    assert consultation.key_point_list == ["Bus times", "Childcare"]


def test_consultation_rejects_negative_counts(editor_client):
    data = {"title": "x", "kind": "focus_group", "held_on": "2026-02-10", "newcomer_participants": "-1"}
    data["resident_participants"] = "0"
    response = editor_client.post(reverse("assessments:consultation_create"), data)
    assert response.status_code == 200 and "newcomer_participants" in response.context["form"].errors
    assert not Consultation.objects.exists()


def test_consultation_list_queries_do_not_grow(editor_client, organization, django_assert_max_num_queries):
    ConsultationFactory.create_batch(
        15, organization=organization, assessment=NeedsAssessmentFactory(organization=organization)
    )
    with django_assert_max_num_queries(12):
        editor_client.get(reverse("assessments:consultation_list"))


def test_need_links_evidence_of_its_own_organization_only(editor_client, organization, other_organization):
    question = QuestionFactory(survey__assessment__organization=organization)
    consultation = ConsultationFactory(organization=organization)
    foreign_question = QuestionFactory(survey__assessment__organization=other_organization)
    data = {"title": "Evening classes", "category": "education", "priority": "1", "status": "identified"}

    response = editor_client.post(
        reverse("assessments:need_create"), data | {"evidence_questions": [foreign_question.pk]}
    )
    assert "evidence_questions" in response.context["form"].errors
    assert not Need.objects.exists()

    data |= {"evidence_questions": [question.pk], "evidence_consultations": [consultation.pk]}
    editor_client.post(reverse("assessments:need_create"), data)
    need = Need.objects.get()
    assert list(need.evidence_questions.all()) == [question]
    assert list(need.evidence_consultations.all()) == [consultation]


def test_need_board_groups_by_priority_with_evidence_counts(editor_client, organization, django_assert_max_num_queries):
    question = QuestionFactory(survey__assessment__organization=organization)
    for i in range(9):
        need = NeedFactory(organization=organization, priority=1 + i % 3)
        need.evidence_questions.add(question)
        need.evidence_consultations.add(ConsultationFactory(organization=organization))
    with django_assert_max_num_queries(10):
        response = editor_client.get(reverse("assessments:need_list"))
    board = response.context["board"]
    assert [len(needs) for _priority, needs in board] == [3, 3, 3]
    first = board[0][1][0]
    assert (first.question_evidence, first.consultation_evidence, first.initiative_count) == (1, 1, 0)
    assert "High priority" in response.content.decode()


def test_need_detail_has_a_place_for_initiatives(editor_client, organization):
    need = NeedFactory(organization=organization)
    response = editor_client.get(reverse("assessments:need_detail", kwargs={"pk": need.pk}))
    assert response.context["initiatives"] == []
    assert "No initiative addresses this need yet." in response.content.decode()


def test_step_summary_and_attention_items(organization):
    today = datetime.date(2026, 6, 1)
    late = NeedsAssessmentFactory(organization=organization, status="collecting", period_end=datetime.date(2026, 5, 1))
    ResponseFactory.create_batch(3, survey__assessment=late)
    NeedFactory(organization=organization, priority=1, status="identified")
    summary = selectors.step_summary(organization)
    # 3 responses in all: a count of people under 5 is hidden here as on the results page.
    assert summary.figures == [("Assessments", 1), ("Survey responses", "fewer than 5"), ("Needs identified", 1)]
    texts = [item.text for item in selectors.attention_items(organization, today)]
    assert any("still collecting answers after its end date" in t for t in texts)
    # The unaddressed need comes from step 3, which knows the initiatives addressing it.
    texts = [item.text for item in home_overview(organization, today)[1]]
    assert any("high-priority need is not addressed by any initiative" in t for t in texts)


def test_demo_seed_is_bilingual_two_sided_and_idempotent(organization, people):
    team = {Role.ADMIN: people["admin"], Role.EDITOR: people["editor"], Role.BOARD: people["board"]}
    demo.seed(organization, team, datetime.date(2026, 4, 1))
    demo.seed(organization, team, datetime.date(2026, 4, 1))
    assessment = NeedsAssessment.objects.get(organization=organization)
    assert all(q.text.get("es") for q in assessment.survey.questions.all())
    responses = Response.objects.filter(survey__assessment=assessment)
    assert responses.count() == demo.RESPONSES
    assert responses.filter(side="newcomer").count() > 50 and responses.filter(side="resident").count() > 50
    assert Consultation.objects.filter(organization=organization).count() == 2
    assert Need.objects.filter(organization=organization).count() == 6


def test_a_draft_offers_opening_but_not_closing_and_closing_stands_apart_once_collecting(client_as, organization):
    client = client_as("editor")
    draft = NeedsAssessmentFactory(organization=organization, status=NeedsAssessment.Status.DRAFT)
    html = client.get(draft.get_absolute_url()).content.decode()
    assert "Open for answers" in html and "Close assessment" not in html

    collecting = NeedsAssessmentFactory(organization=organization, status=NeedsAssessment.Status.COLLECTING)
    html = client.get(collecting.get_absolute_url()).content.decode()
    everyday, _, apart = html.partition("Stop answers and analyse")[2].partition("</form>")
    assert "Close assessment" not in everyday and "Close assessment" in apart
