"""Browser journeys: a fresh page with short timeouts, an Inspector per journey, the idea library."""

import importlib

import pytest

from e2e.helpers import DESKTOP, SCREENSHOTS, Inspector


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    report = yield
    setattr(item, f"e2e_{report.when}", report)
    return report


@pytest.fixture
def page(page, request):
    """pytest-playwright's page at desktop size, failing within seconds, not 30 s; on failure, say where it was."""
    page.set_default_timeout(15_000)  # a loaded 2-core CI machine; a passing step takes no longer
    page.set_viewport_size(DESKTOP)
    yield page
    report = getattr(request.node, "e2e_call", None)
    if report is not None and report.failed and not page.is_closed():
        try:
            where = page.url
            tree = page.locator("main").aria_snapshot(timeout=2_000) if page.locator("main").count() else ""
        except Exception as error:  # noqa: BLE001 - best effort, the test already failed
            where, tree = page.url, f"(no snapshot: {error})"
        report.sections.append(("page at failure", f"{where}\n{tree[:6000]}"))


@pytest.fixture
def inspector(request):
    journey = request.node.originalname.removeprefix("test_")
    for old in SCREENSHOTS.glob(f"{journey}-*.png"):
        old.unlink()
    return Inspector(journey=journey)


@pytest.fixture
def idea_library(db):
    """The built-in ideas: a data migration adds them, but a transactional test's flush removes them."""
    from django.apps import apps

    migration = importlib.import_module("initiatives.migrations.0003_seed_idea_library")
    migration.seed(apps, None)


@pytest.fixture
def four_steps(organization, editor_user):
    """What journeys 1–4 leave behind, made with factories and services for the journeys that read it."""
    from datetime import timedelta
    from decimal import Decimal

    from assessments.models import RespondentSide
    from assessments.tests.factories import NeedFactory, NeedsAssessmentFactory, ResponseFactory, SurveyFactory
    from evaluations import services as evaluation_services
    from evaluations.tests.factories import IndicatorFactory, MeasurementFactory
    from initiatives.tests.factories import (
        ActivityFactory,
        FundingFactory,
        InitiativeFactory,
        MilestoneFactory,
        PartnerFactory,
        TaskFactory,
    )
    from integration_hub.timezones import local_date
    from stakeholders.tests.factories import StakeholderFactory

    today = local_date(organization.time_zone)  # the organisation's day, not UTC's: the pages use it
    assessment = NeedsAssessmentFactory(organization=organization, title="Eastside needs 2026")
    survey = SurveyFactory(assessment=assessment)
    ResponseFactory(survey=survey, side=RespondentSide.NEWCOMER)
    ResponseFactory(survey=survey, side=RespondentSide.RESIDENT)
    need = NeedFactory(organization=organization, title="Access to bank accounts")
    tom, *_ = (
        StakeholderFactory(organization=organization, name=name)
        for name in ("Tom Brennan", "Rosa Delgado", "Helen Park")
    )
    initiative = InitiativeFactory(organization=organization, title="Municipal ID card for all residents")
    initiative.needs.add(need)
    PartnerFactory(initiative=initiative, stakeholder=tom)
    TaskFactory(milestone=MilestoneFactory(initiative=initiative, title="Council resolution passed"), done=True)
    FundingFactory(initiative=initiative, source_name="City of Dayton", pledged=Decimal("2500"))
    ActivityFactory(initiative=initiative, title="Enrolment day at the library", newcomers=14, receiving=11)
    indicator = IndicatorFactory(
        initiative=initiative,
        name="Bank accounts opened by newcomers",
        baseline_value=Decimal("0"),
        baseline_date=today - timedelta(days=90),
        target_value=Decimal("100"),
        target_date=today + timedelta(days=90),
    )
    MeasurementFactory(indicator=indicator, date=today - timedelta(days=30), value=Decimal("20"))
    MeasurementFactory(indicator=indicator, date=today, value=Decimal("60"))
    evaluation_services.schedule_save(
        initiative=initiative,
        every=3,
        period="months",
        start_date=today + timedelta(days=3),
        reminder_lead_days=7,
        reviewers=[editor_user],
        today=today,
    )
    return initiative
