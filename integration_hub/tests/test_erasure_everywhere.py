"""After an erasure nothing of the organisation is left anywhere in the database but the record
that it happened: every table and column is scanned, history tables, admin log, sessions and
login attempts included, so a model added later cannot be forgotten."""

import datetime as dt
from datetime import timedelta
from decimal import Decimal

import pytest
from axes.models import AccessAttempt
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.contrib.sessions.models import Session
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from assessments.models import Answer, Consultation, Need, NeedsAssessment, Question, RespondentSide, Response, Survey
from evaluations import caching
from evaluations import services as evaluation_services
from evaluations.models import EvaluationReview, Indicator, Measurement, Reminder, ReviewSchedule
from initiatives import services as initiative_services
from initiatives.models import Activity, Idea, Initiative, InitiativePartner, Milestone, Task
from integration_hub import services
from integration_hub.exports import exportable_models
from integration_hub.middleware import SESSION_KEY
from integration_hub.models import AuditEvent, ErasureRequest, Membership, Role, User
from integration_hub.tests.factories import MembershipFactory, OrganizationFactory, UserFactory
from integration_hub.tests.support import client_for, database_scan, fill_with_demo_data
from stakeholders import services as stakeholder_services
from stakeholders.models import Commitment, Engagement, Stakeholder

pytestmark = pytest.mark.django_db

# Strings found nowhere else: after the erasure, no column of any table may contain one.
SECRET = {
    "admin_first": "Wilhelmina",
    "admin_last": "Quorraxë-Lindqvist",
    "admin_email": "w.quorrax@zephyrine-mail.example",
    "editor_email": "t.oyelaran-vask@zephyrine-mail.example",
    "board_last": "Brzęczyszczykiewicz-Hollo",
    "stakeholder": "Councillor Ingrid Vasquez-Tjelmeland",
    "stakeholder_email": "ingrid.vt@cityhall-qx.example",
    "stakeholder_phone": "+1 (937) 555-0142 ext. 8831",
    "stakeholder_notes": "Prefers Tuesday calls; cousin runs the Zorblatt bakery",
    "stakeholder_notes_old": "Met at the Quillfeather library fundraiser",
    "deleted_stakeholder": "Pastor Emeric Dunhollow-Sarabi",
    "promise": "Open the Vexbridge parish hall for ESL nights",
    "engagement": "Long talk about the Marrowgate clinic interpreters",
    "initiative": "Kestrelwood welcome dinners",
    "milestone": "Book the Ombrevale community kitchen",
    "deleted_milestone": "Order Thistlemoor banners",
    "task": "Call the Fennimore caterer",
    "need": "Night-shift childcare near Halvorsen plant",
    "consultation": "Mothers from Quetzaltenango spoke about Brightwater school",
    "answer": "My landlord on Greystoke Avenue keeps our deposit",
    "measurement": "Counted at the Pellucid Street clinic",
    "review": "Board asked about Yarrowfield attendance",
    "token": "Tallyspreadsheet-Vorn",
    "invitation": "newcomer.volunteer@orchardine-qx.example",
    "audit": "Exported for the Dravenmoor grant report",
    "org_name": "Zephyrine Welcome Collective",
    "org_slug": "zephyrine-welcome",
}


def _as(user, instance):
    instance._history_user = user  # who simple-history records as the author of the next save
    return instance


@pytest.fixture
def affiliate(other_organization, outsider):
    """A realistic affiliate: several members (one also in another affiliate, one who once was),
    every step's demo data, and records with distinctive text edited and deleted so their history
    has "+", "~" and "-" rows."""
    organization = OrganizationFactory(name=SECRET["org_name"], slug=SECRET["org_slug"])
    admin = UserFactory(first_name=SECRET["admin_first"], last_name=SECRET["admin_last"], email=SECRET["admin_email"])
    editor = UserFactory(email=SECRET["editor_email"])
    board = UserFactory(last_name=SECRET["board_last"])
    shared = UserFactory(email="sam.both@lakeshore.example")
    for user, role in ((admin, Role.ADMIN), (editor, Role.EDITOR), (board, Role.BOARD), (shared, Role.EDITOR)):
        MembershipFactory(organization=organization, user=user, role=role)
    MembershipFactory(organization=other_organization, user=shared, role=Role.BOARD)
    # The editor once worked for the other affiliate too and edited there before leaving it.
    former = MembershipFactory(organization=other_organization, user=editor, role=Role.EDITOR)
    theirs = Stakeholder.objects.create(organization=other_organization, name="Lakeshore alderman")
    _as(editor, theirs).notes = "Edited by a member who later left"
    theirs.save()
    services.membership_remove(membership=former)

    fill_with_demo_data(organization, admin)
    fill_with_demo_data(other_organization, outsider)

    stakeholder = stakeholder_services.stakeholder_create(
        organization=organization,
        created_by=admin,
        name=SECRET["stakeholder"],
        email=SECRET["stakeholder_email"],
        phone=SECRET["stakeholder_phone"],
        notes=SECRET["stakeholder_notes_old"],
    )
    stakeholder_services.stakeholder_update(
        stakeholder=_as(editor, stakeholder), changed_by=editor, notes=SECRET["stakeholder_notes"], stance=1
    )
    gone = Stakeholder.objects.create(organization=organization, name=SECRET["deleted_stakeholder"])
    Commitment.objects.create(
        stakeholder=gone, promise=SECRET["promise"], made_on=dt.date(2026, 1, 5), due_date=dt.date(2031, 6, 30)
    )
    _as(admin, gone).delete()
    Commitment.objects.create(stakeholder=stakeholder, promise=SECRET["promise"], made_on=dt.date(2026, 2, 1))
    engagement = Engagement.objects.create(
        organization=organization, date=dt.date(2026, 3, 3), kind=Engagement.Kind.COFFEE, summary="Coffee"
    )
    engagement.stakeholders.set([stakeholder])
    engagement.staff.set([admin, shared])
    _as(shared, engagement).summary = SECRET["engagement"]
    engagement.save()

    initiative = Initiative.objects.create(organization=organization, title=SECRET["initiative"])
    InitiativePartner.objects.create(initiative=initiative, stakeholder=stakeholder)
    milestone = Milestone.objects.create(initiative=initiative, title=SECRET["milestone"], due_date=dt.date(2040, 1, 1))
    Task.objects.create(milestone=milestone, title=SECRET["task"], owner=editor)
    dropped = Milestone.objects.create(
        initiative=initiative, title=SECRET["deleted_milestone"], due_date=dt.date.today()
    )
    Task.objects.create(milestone=dropped, title=SECRET["task"])
    _as(editor, dropped).delete()
    Activity.objects.create(initiative=initiative, date=dt.date(2026, 4, 4), title="Dinner", notes=SECRET["review"])
    initiative_services.initiative_propose_practice(initiative=initiative, note="Worked well")
    initiative_services.practice_publish(
        initiative=initiative,
        idea=Idea(title="Welcome dinners", category="connected_communities", welcoming_standard="connected_communities",
                  audience="program", description="Neighbours cook together."),
    )  # fmt: skip

    need = Need.objects.create(organization=organization, title=SECRET["need"], category=Need.Category.LANGUAGE)
    initiative.needs.add(need)
    Consultation.objects.create(
        organization=organization, title="Listening session", held_on=dt.date(2026, 5, 5),
        kind=Consultation.Kind.LISTENING_SESSION, notes=SECRET["consultation"],
    )  # fmt: skip
    assessment = NeedsAssessment.objects.create(organization=organization, title="Spring survey")
    survey = Survey.objects.create(assessment=assessment, title={"en": "Spring"})
    question = Question.objects.create(survey=survey, position=1, kind=Question.Kind.LONG_TEXT, text={"en": "Housing?"})
    for side in (RespondentSide.NEWCOMER, RespondentSide.RESIDENT):
        response = Response.objects.create(survey=survey, side=side, submitted_on=dt.date(2026, 5, 6))
        Answer.objects.create(response=response, question=question, text=SECRET["answer"])

    indicator = Indicator.objects.create(
        initiative=initiative, name="Families at dinners", baseline_value=Decimal("0"), baseline_date=dt.date(2026, 1, 1),
        target_value=Decimal("40"), target_date=dt.date(2031, 12, 31),
    )  # fmt: skip
    Measurement.objects.create(
        indicator=indicator,
        date=dt.date(2026, 6, 1),
        value=Decimal("12"),
        note=SECRET["measurement"],
        entered_by=editor,
    )
    schedule = ReviewSchedule.objects.create(initiative=initiative, every=3, start_date=dt.date(2026, 1, 15))
    review = EvaluationReview.objects.create(
        initiative=initiative, schedule=schedule, due_date=dt.date(2026, 4, 15), remind_from=dt.date(2026, 4, 8),
        findings=SECRET["review"],
    )  # fmt: skip
    Reminder.objects.create(review=review, kind=Reminder.Kind.OVERDUE, period=dt.date(2026, 4, 16), recipient=admin)
    Reminder.objects.create(review=review, kind=Reminder.Kind.OVERDUE, period=dt.date(2026, 4, 16), recipient=shared)
    evaluation_services.calendar_feed_reset(organization=organization, user=admin)

    admin_membership = Membership.objects.get(organization=organization, user=admin)
    services.api_token_create(membership=admin_membership, name=SECRET["token"])
    services.invitation_create(organization=organization, email=SECRET["invitation"], role=Role.BOARD, invited_by=admin)
    services.audit_record(organization=organization, action=AuditEvent.Action.FULL_EXPORT, actor=admin,
                          summary=SECRET["audit"])  # fmt: skip
    LogEntry.objects.create(
        user=shared, content_type=ContentType.objects.get_for_model(Stakeholder), object_id=str(stakeholder.pk),
        object_repr=SECRET["stakeholder"], action_flag=CHANGE, change_message=SECRET["stakeholder_notes"],
    )  # fmt: skip

    # Logged in, working in the affiliate; and a few wrong passwords for the admin.
    client_for(admin, organization)
    client_for(shared, organization)
    for _ in range(2):
        Client().post(reverse("login"), {"username": SECRET["admin_email"], "password": "not-it"})
    return {"organization": organization, "admin": admin, "editor": editor, "board": board, "shared": shared}


def _other_rows(organization):
    live = {model._meta.label: model.objects.for_organization(organization).count() for model in exportable_models()}
    history = {
        "stakeholders": Stakeholder.history.filter(organization=organization).count(),
        "engagements": Engagement.history.filter(organization=organization).count(),
        "initiatives": Initiative.history.filter(organization=organization).count(),
        "milestones": Milestone.history.filter(initiative__organization=organization).count(),
        "measurements": Measurement.history.filter(indicator__initiative__organization=organization).count(),
    }
    return live, history


def _erase(organization, admin):
    erasure = services.erasure_request(organization=organization, requested_by=admin, typed_name=organization.name)
    assert services.erasure_run_due(now=erasure.scheduled_for + timedelta(minutes=1)) == [erasure]
    erasure.refresh_from_db()
    return erasure


def test_nothing_of_an_erased_organisation_is_left_in_any_table_or_column(
    affiliate, other_organization, django_capture_on_commit_callbacks
):
    organization, admin = affiliate["organization"], affiliate["admin"]
    assert database_scan(texts=list(SECRET.values()), organization_id=organization.pk)  # the scan finds them before
    assert Stakeholder.history.filter(history_type="-", name=SECRET["deleted_stakeholder"]).exists()
    other_before = _other_rows(other_organization)

    with django_capture_on_commit_callbacks(execute=True):
        erasure = _erase(organization, admin)

    left = database_scan(texts=list(SECRET.values()), organization_id=organization.pk)
    # Only the record that it happened keeps the name.
    assert left == {("integration_hub_erasurerequest", "organization_name", SECRET["org_name"])}
    assert erasure.completed_at and erasure.deleted_counts["stakeholders.HistoricalStakeholder"] >= 4
    assert erasure.deleted_counts["axes.AccessAttempt"] == 1 and erasure.deleted_counts["sessions.Session"] == 1
    assert _other_rows(other_organization) == other_before


def test_accounts_that_belonged_only_there_leave_no_session_login_attempt_or_authorship(affiliate, other_organization):
    organization, shared, editor = affiliate["organization"], affiliate["shared"], affiliate["editor"]
    gone = [affiliate[key].pk for key in ("admin", "editor", "board")]
    theirs = Stakeholder.objects.get(name="Lakeshore alderman")
    assert theirs.history.filter(history_user=editor).exists()
    assert AccessAttempt.objects.filter(username=SECRET["admin_email"]).exists()

    _erase(organization, affiliate["admin"])

    assert not User.objects.filter(pk__in=gone).exists()
    assert not AccessAttempt.objects.filter(username__iexact=SECRET["admin_email"]).exists()
    sessions = [session.get_decoded() for session in Session.objects.all()]
    assert not [s for s in sessions if s.get("_auth_user_id") in {str(pk) for pk in gone}]
    # The member who stays keeps their session, without the erased organisation in it.
    (kept,) = [s for s in sessions if s.get("_auth_user_id") == str(shared.pk)]
    assert SESSION_KEY not in kept
    # The other affiliate's history stays, but no longer says who the deleted person was;
    # the record of their former membership there goes with the account.
    assert theirs.history.count() == 2 and not theirs.history.filter(history_user_id__in=gone).exists()
    assert not Membership.history.filter(user_id__in=gone).exists()
    assert Membership.objects.filter(user=shared, organization=other_organization).exists()


def test_a_published_practice_stays_in_the_library_without_the_erased_organisation(affiliate):
    _erase(affiliate["organization"], affiliate["admin"])
    idea = Idea.objects.get(title="Welcome dinners")
    assert idea.credited_organization_id is None and idea.published_from_id is None


def test_the_board_dashboard_cache_holds_nothing_of_an_erased_organisation(
    affiliate, django_capture_on_commit_callbacks
):
    organization = affiliate["organization"]
    today = timezone.localdate()
    caching.dashboard_body(organization, today)
    body_key = caching._key(organization.pk, organization.board_version, "en", today)
    assert cache.get(body_key)

    with django_capture_on_commit_callbacks(execute=True):
        _erase(organization, affiliate["admin"])

    assert cache.get(body_key) is None and cache.get(caching._stored_key(organization.pk)) is None


def test_a_second_run_finds_nothing_more_to_erase(affiliate, other_organization):
    _erase(affiliate["organization"], affiliate["admin"])
    before = _other_rows(other_organization)
    assert services.erasure_run_due(now=timezone.now() + timedelta(days=30)) == []
    assert services.personal_data_purge() == {}
    assert _other_rows(other_organization) == before
    assert ErasureRequest.objects.filter(organization_name=SECRET["org_name"], completed_at__isnull=False).count() == 1
