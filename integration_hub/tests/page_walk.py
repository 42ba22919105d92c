"""One sample of every page kind, for the standards checks (issue 18): the HTML validator
(test_html_valid.py) and axe in a browser (e2e/test_axe_every_page.py).

The access walk's registry (each app's tests/url_cases.py) gives every URL with an object to
view, reached as a role allowed there; the pages outside it (login and password pages, the public
survey, the idea library, the member's own pages, the API docs, the error pages) are added here.
The organisation is filled with the demo data first, so lists, charts and histories have rows.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.tokens import default_token_generator
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from integration_hub.tests.support import client_for, fill_with_demo_data

LANGUAGES = ("en", "es")


@dataclass(frozen=True)
class Sample:
    name: str
    role: str  # a key of `visitors()`
    path: str
    status: int = 200
    post: dict | None = None  # the page as a POST answers it (a form with errors, a new key shown once)


def _registry_samples(organization) -> list[Sample]:
    from integration_hub.tests.test_url_access import CASES

    samples = []
    for name, case in CASES.items():
        if "GET" not in case.methods:
            continue
        path = reverse(name, kwargs=case.make(organization) if case.make else None)
        samples.append(Sample(name, case.role_for_success, path))
    return samples


def _outside_samples(organization, people) -> list[Sample]:
    from assessments.tests.factories import NeedsAssessmentFactory, QuestionFactory, SurveyFactory
    from initiatives.models import Initiative
    from initiatives.tests.factories import IdeaFactory, InitiativeFactory
    from integration_hub.models import Invitation, Role

    survey = SurveyFactory(assessment=NeedsAssessmentFactory(organization=organization, title="Eastside 2026"))
    QuestionFactory(survey=survey)
    token, token_hash = Invitation.new_token()
    Invitation.objects.create(
        organization=organization,
        email="new.colleague@example.org",
        role=Role.EDITOR,
        token_hash=token_hash,
        invited_by=people["admin"],
        expires_at=timezone.now() + Invitation.VALID_FOR,
    )
    idea = IdeaFactory()
    proposed = InitiativeFactory(organization=organization, practice_status=Initiative.PracticeStatus.PROPOSED)
    editor = people["editor"]
    reset = {
        "uidb64": urlsafe_base64_encode(force_bytes(editor.pk)),
        "token": default_token_generator.make_token(editor),
    }
    return [
        Sample("login", "anonymous", reverse("login")),
        Sample("password_reset", "anonymous", reverse("password_reset")),
        Sample("password_reset_done", "anonymous", reverse("password_reset_done")),
        # The first visit swaps the token for a session and redirects; the client follows it.
        Sample("password_reset_confirm", "anonymous", reverse("password_reset_confirm", kwargs=reset)),
        Sample(
            "password_reset_confirm (bad link)",
            "anonymous",
            reverse("password_reset_confirm", kwargs={**reset, "token": "0-0"}),
        ),
        Sample("password_reset_complete", "anonymous", reverse("password_reset_complete")),
        Sample("privacy", "anonymous", reverse("privacy")),
        Sample("invitation_accept", "anonymous", reverse("invitation_accept", args=[token])),
        Sample("assessments:survey_respond", "anonymous", survey.get_public_url()),
        Sample("assessments:survey_thanks", "anonymous", reverse("assessments:survey_thanks", args=[survey.token])),
        Sample("api:docs", "anonymous", reverse("api:docs")),
        Sample("404", "anonymous", "/no-such-page/", status=404),
        Sample("password_change", "editor", reverse("password_change")),
        Sample("password_change_done", "editor", reverse("password_change_done")),
        Sample("profile", "editor", reverse("profile")),
        Sample("api_tokens", "editor", reverse("api_tokens")),
        Sample("two_factor", "editor", reverse("two_factor")),
        Sample("two_factor (on)", "two-factor", reverse("two_factor")),
        Sample("two_factor_verify", "two-factor, before the code", reverse("two_factor_verify")),
        Sample("initiatives:idea_detail", "editor", reverse("initiatives:idea_detail", args=[idea.pk])),
        Sample("403", "board", reverse("initiatives:create"), status=403),
        Sample("no_organization", "no organisation", reverse("no_organization")),
        Sample("network office home", "network office", reverse("home")),
        Sample("initiatives:idea_create", "network office", reverse("initiatives:idea_create")),
        Sample("initiatives:idea_edit", "network office", reverse("initiatives:idea_edit", args=[idea.pk])),
        Sample("initiatives:practice_queue", "network office", reverse("initiatives:practice_queue")),
        Sample(
            "initiatives:practice_publish",
            "network office",
            reverse("initiatives:practice_publish", args=[proposed.pk]),
        ),
        *_preview_samples(organization, survey.assessment),
    ]


def _preview_samples(organization, assessment) -> list[Sample]:
    """An XLSForm preview waiting for "Import" or "Cancel", and the answer to a cancelled one."""
    from assessments import xlsform
    from integration_hub.models import BackgroundJob

    def preview(**result):
        return BackgroundJob.objects.create(
            organization=organization,
            kind=xlsform.READ_JOB,
            status=BackgroundJob.Status.DONE,
            params={"assessment": assessment.pk},
            upload_name="encuesta «2031».xlsx",
            finished_at=timezone.now(),
            result={
                "summary": "2 questions can be imported; nothing is added to the survey until you confirm.",
                "details": [
                    {"title": "These questions will be added:", "items": ["1. Do you rent? (Single choice)", "2. <b>"]},
                    {"title": "Languages of the form:", "items": ["English", "العربية (Arabic)"]},
                ],
                "confirm_url": reverse("assessments:survey_import_choice", args=[assessment.pk, 0]),
                "confirm_label": "Import 2 questions",
                **result,
            },
        )

    waiting, cancelled = preview(), preview(cancelled=True)
    choice = reverse("assessments:survey_import_choice", args=[assessment.pk, cancelled.pk])
    return [
        Sample("job_detail (a preview to confirm)", "editor", reverse("job_detail", args=[waiting.pk])),
        Sample("job_detail (a cancelled preview)", "editor", reverse("job_detail", args=[cancelled.pk])),
        Sample(
            "assessments:survey_import_choice (cancelled)", "editor", choice, status=400, post={"action": "confirm"}
        ),
    ]


def _plan_samples(organization) -> list[Sample]:
    """The plan's pages outside the registry: the public progress page and its embed (the demo
    publishes them), and a stakeholder's private endorsement link, good and wrong."""
    from plans import services
    from plans.models import Plan
    from stakeholders.models import Stakeholder

    plan = Plan.objects.for_organization(organization).filter(is_public=True).first()
    if plan is None:
        return []
    version = plan.versions.order_by("-number").first()
    stakeholder = Stakeholder.objects.for_organization(organization).exclude(endorsements__version=version).first()
    [(_endorsement, token)] = services.endorsements_request(version=version, stakeholders=[stakeholder])
    return [
        Sample("plans:public", "anonymous", reverse("plans:public", args=[plan.public_slug])),
        Sample("plans:public_embed", "anonymous", reverse("plans:public_embed", args=[plan.public_slug])),
        Sample("plans:public (wrong link)", "anonymous", reverse("plans:public", args=["x" * 32]), status=404),
        Sample("plans:endorse", "anonymous", reverse("plans:endorse", args=[token])),
        Sample("plans:endorse (wrong link)", "anonymous", reverse("plans:endorse", args=["y" * 43]), status=404),
    ]


def _demo_samples(organization) -> list[Sample]:
    """The pages whose parts show only with data (answers, supportive stakeholders, kept
    commitments, measurements, partners): again with the demo's fullest object of each kind."""
    from django.db.models import Count

    from assessments.models import Need, NeedsAssessment
    from evaluations.models import EvaluationReview, Indicator
    from initiatives.models import Initiative
    from stakeholders.models import Commitment, Stakeholder

    assessment = (
        NeedsAssessment.objects.for_organization(organization)
        .annotate(n=Count("survey__responses"))
        .order_by("-n")
        .first()
    )
    need = Need.objects.for_organization(organization).order_by("priority", "pk").first()
    supportive = Stakeholder.objects.for_organization(organization).filter(stance__lte=Stakeholder.Stance.SUPPORTIVE)
    kept = Commitment.objects.for_organization(organization).filter(status=Commitment.Status.KEPT).first()
    initiative = (
        Initiative.objects.for_organization(organization).annotate(n=Count("partner_links")).order_by("-n").first()
    )
    indicator = (
        Indicator.objects.for_organization(organization).annotate(n=Count("measurements")).order_by("-n").first()
    )
    review = EvaluationReview.objects.for_organization(organization).exclude(held_on=None).first()
    pages = [
        ("assessments:assessment_detail", "board", assessment),
        ("assessments:results", "board", assessment),
        ("assessments:text_answers", "editor", assessment),
        ("assessments:survey_builder", "editor", assessment),
        ("assessments:need_detail", "board", need),
        ("stakeholders:detail", "editor", supportive.first()),
        ("stakeholders:detail", "editor", kept and kept.stakeholder),
        ("stakeholders:thank_you", "editor", supportive.first()),
        ("initiatives:detail", "editor", initiative),
        ("evaluations:initiative_detail", "editor", initiative),
        ("evaluations:indicator_detail", "editor", indicator),
        ("evaluations:review_detail", "editor", review),
    ]
    return [Sample(f"{name} (demo)", role, reverse(name, args=[obj.pk])) for name, role, obj in pages if obj]


def _posted_samples() -> list[Sample]:
    return [
        Sample("api_tokens (a new key)", "editor", reverse("api_tokens"), post={"name": "Spreadsheet sync"}),
        Sample("stakeholders:create (errors)", "editor", reverse("stakeholders:create"), post={"name": ""}),
        Sample("assessments:need_create (errors)", "editor", reverse("assessments:need_create"), post={"title": ""}),
    ]


def page_samples(organization, people) -> list[Sample]:
    """Every page kind once, after filling `organization` with the demo data."""
    fill_with_demo_data(organization, people["admin"])
    return (
        _registry_samples(organization)
        + _outside_samples(organization, people)
        + _plan_samples(organization)
        + _demo_samples(organization)
        + _posted_samples()
    )


def fetch(client, sample: Sample):
    """The sample's response as its visitor gets it (redirects followed)."""
    if sample.post is not None:
        return client.post(sample.path, sample.post, follow=True)
    return client.get(sample.path, follow=True)


def visitors(people, organization, network_office) -> dict[str, Client]:
    """A logged-in client per role of the samples (network: viewing the affiliate read-only)."""
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.oath import totp

    from integration_hub import two_factor
    from integration_hub.models import Role
    from integration_hub.tests.factories import MembershipFactory, UserFactory

    clients = {"anonymous": Client()}
    for role in ("admin", "editor", "board"):
        clients[role] = client_for(people[role])
    clients["network"] = client_for(people["network"], organization)
    clients["network office"] = client_for(people["network"], network_office)
    clients["no organisation"] = client_for(UserFactory(email="alone@example.org"))
    # A member with two-factor sign-in on: before the code step, and after it.
    user = MembershipFactory(
        organization=organization, role=Role.EDITOR, user=UserFactory(email="two.step@example.org")
    ).user
    device = two_factor.pending_device(user=user)
    code = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits)
    assert two_factor.two_factor_enable(user=user, device=device, code=f"{code:06d}") is not None
    clients["two-factor, before the code"] = client_for(user)
    clients["two-factor"] = client_for(user)
    session = clients["two-factor"].session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return clients
