"""Reads for plans. `plan_contents` assembles a plan from the steps' own selectors, live, as plain
JSON-ready values: the plan page renders it, and publishing stores it as the version's snapshot,
so the live page and a frozen version are the same template over the same shape."""

import hashlib
from collections import defaultdict
from datetime import date

from django.conf import settings
from django.db.models import Exists, OuterRef, Prefetch
from django.utils import timezone, translation
from django.utils.formats import date_format, number_format

from assessments import selectors as assessment_selectors
from assessments.models import Consultation, Need, Question
from assessments.suppression import count_display
from evaluations import selectors as evaluation_selectors
from evaluations.models import Indicator, ReviewSchedule
from initiatives import selectors as initiative_selectors
from initiatives.models import Activity, Funding, Initiative, InitiativePartner, Milestone
from integration_hub.choices import WelcomingStandard
from stakeholders.letters import LetterStory
from stakeholders.models import Commitment, Stakeholder

from .models import Endorsement, Plan, PlanVersion, Story

LANGUAGES = tuple(code for code, _name in settings.LANGUAGES)
UPCOMING_REVIEWS = 6
PUBLIC_EVENTS = 12  # the latest events on the public page: enough to read on a phone


def _day(value: date | None) -> str:
    return date_format(value, "j M Y") if value else ""


def _money(value) -> str:
    return "$" + number_format(value, 2, use_l10n=True, force_grouping=True)


def _number(value) -> str:
    if value is None:
        return ""
    return number_format(
        value.normalize() if hasattr(value, "normalize") else value, use_l10n=True, force_grouping=True
    )


def plan_list(organization):
    return Plan.objects.for_organization(organization).prefetch_related("versions")


def plan_detail(organization, pk):
    return Plan.objects.for_organization(organization).get(pk=pk)


# --- the plan's contents ---------------------------------------------------------------------


def _survey_evidence(needs, language: str) -> dict[int, list[dict]]:
    """{need id: [survey figure tables]}: each survey's results for the questions a need cites, by
    side, from assessments.selectors.survey_results, so hidden cells stay hidden exactly as on
    the results page. Free-text questions show no answers here, only that they were asked."""
    cited = defaultdict(list)  # survey -> question ids
    by_need = defaultdict(list)
    surveys = {}
    for need in needs:
        for question in need.evidence_questions.all():
            surveys[question.survey_id] = question.survey
            cited[question.survey_id].append(question.pk)
            by_need[need.pk].append(question.pk)
    tables = {}
    for survey_id, question_ids in cited.items():
        survey = surveys[survey_id]
        questions = [q for q in assessment_selectors.survey_questions(survey) if q.pk in set(question_ids)]
        results = assessment_selectors.survey_results(survey, questions)
        columns = [str(label) for _column, label in results.columns]
        for result in results.questions:
            question = result.question
            rows = []
            if not question.is_text:
                labels = [c.label_in(language) for c in question.choices.all()] if question.is_choice else None
                for index, row in enumerate(result.rows):
                    rows.append(
                        {
                            "label": labels[index] if labels and index < len(labels) else row.label,
                            "cells": [
                                {"display": row.cells[col].display, "percent": row.cells[col].percent}
                                for col, _label in results.columns
                            ],
                        }
                    )
            tables[question.pk] = {
                "survey": survey.assessment.title,
                "question": question.text_in(language),
                "columns": columns,
                "respondents": [result.respondents[col].display for col, _label in results.columns],
                "rows": rows,
                "means": ([result.mean_display(col) for col, _label in results.columns] if question.is_numeric else []),
            }
    return {need_id: [tables[qid] for qid in qids if qid in tables] for need_id, qids in by_need.items()}


def _needs(plan, language: str) -> list[dict]:
    needs = list(
        plan.needs.order_by("priority", "title").prefetch_related(
            Prefetch("evidence_questions", queryset=Question.objects.select_related("survey__assessment")),
            Prefetch("evidence_consultations", queryset=Consultation.objects.order_by("held_on", "pk")),
        )
    )
    figures = _survey_evidence(needs, language)
    return [
        {
            "title": need.title,
            "category": str(need.get_category_display()),
            "priority": str(need.get_priority_display()),
            "description": need.description,
            "surveys": figures.get(need.pk, []),
            "consultations": [
                {
                    "title": c.title,
                    "kind": str(c.get_kind_display()),
                    "date": _day(c.held_on),
                    "newcomers": c.newcomer_participants,
                    "residents": c.resident_participants,
                    "key_points": c.key_point_list,
                }
                for c in need.evidence_consultations.all()
            ],
        }
        for need in needs
    ]


def _initiatives(plan) -> list[dict]:
    """The plan's initiatives by Welcoming Standard category, in the standard's order."""
    initiatives = list(
        plan.initiatives.order_by("title", "pk").prefetch_related(
            Prefetch("milestones", queryset=Milestone.objects.order_by("due_date", "pk")),
            "budget_lines",
            Prefetch("funding", queryset=Funding.objects.order_by("date", "pk")),
        )
    )
    groups = defaultdict(list)
    for initiative in initiatives:
        funding = list(initiative.funding.all())
        summary = initiative_selectors.funding_summary(initiative.budget_lines.all(), funding)
        groups[initiative.category].append(
            {
                "title": initiative.title,
                "status": str(initiative.get_status_display()),
                "status_value": initiative.status,
                "summary": initiative.summary,
                "goals": initiative.goal_list,
                "start": _day(initiative.start_date),
                "end": _day(initiative.end_date),
                "milestones": [{"title": m.title, "due": _day(m.due_date)} for m in initiative.milestones.all()],
                "budget": _money(summary.budget),
                "pledged": _money(summary.pledged),
                "gap": _money(summary.gap),
                "funders": [
                    {"name": f.source_name, "kind": str(f.get_source_kind_display()), "pledged": _money(f.pledged)}
                    for f in funding
                ],
            }
        )
    order = [value for value, _label in WelcomingStandard.choices] + [""]
    labels = dict(WelcomingStandard.choices)
    return [{"category": str(labels.get(key, "")), "initiatives": groups[key]} for key in order if groups.get(key)]


def _indicators(plan) -> list[dict]:
    rows = evaluation_selectors.indicator_progress_rows(plan.indicators.order_by("initiative__title", "name"))
    return [
        {
            "name": indicator.name,
            "initiative": indicator.initiative.title,
            "unit": str(indicator.get_unit_display()),
            "baseline": _number(indicator.baseline_value),
            "baseline_date": _day(indicator.baseline_date),
            "target": _number(indicator.target_value),
            "target_date": _day(indicator.target_date),
            "latest": _number(progress.latest_value),
            "latest_date": _day(progress.latest_date),
            "percent": progress.percent,
            "status": str(progress.status_label),
            "status_value": progress.status,
        }
        for indicator, progress in rows
    ]


def _reviews(plan, today: date) -> dict:
    """The review calendar of the plan's initiatives and of those its indicators belong to."""
    initiative_ids = set(plan.initiatives.values_list("pk", flat=True)) | set(
        plan.indicators.values_list("initiative_id", flat=True)
    )
    schedules = ReviewSchedule.objects.filter(initiative_id__in=initiative_ids).select_related("initiative")
    upcoming = evaluation_selectors.upcoming_reviews(plan.organization, today).filter(initiative_id__in=initiative_ids)[
        :UPCOMING_REVIEWS
    ]
    return {
        "schedules": [
            {"initiative": s.initiative.title, "every": str(s), "from": _day(s.start_date)}
            for s in sorted(schedules, key=lambda s: s.initiative.title)
        ],
        "upcoming": [{"initiative": r.initiative.title, "due": _day(r.due_date)} for r in upcoming],
    }


def _partners(plan) -> list[dict]:
    partners = plan.partners.order_by("name", "pk").prefetch_related(
        Prefetch("commitments", queryset=Commitment.objects.order_by("made_on", "pk"))
    )
    return [
        {
            "name": s.name,
            "role": s.role_title,
            "affiliation": s.affiliation,
            "sector": str(s.get_sector_display()),
            "commitments": [
                {"promise": c.promise, "status": str(c.get_status_display()), "due": _day(c.due_date)}
                for c in s.commitments.all()
            ],
        }
        for s in partners
    ]


def plan_contents(plan: Plan, language: str, today: date | None = None) -> dict:
    """Everything the plan shows, in `language`, read now from the steps."""
    today = today or timezone.localdate()
    with translation.override(language):
        return {
            "title": plan.title,
            "organization": plan.organization.name,
            "community": plan.community,
            "period": f"{_day(plan.period_start)} – {_day(plan.period_end)}",
            "vision": plan.vision,
            "how_we_listened": plan.how_we_listened,
            "how_we_work": plan.how_we_work,
            "needs": _needs(plan, language),
            "categories": _initiatives(plan),
            "indicators": _indicators(plan),
            "reviews": _reviews(plan, today),
            "partners": _partners(plan),
            "as_of": _day(today),
        }


def plan_snapshot(plan: Plan, today: date | None = None) -> dict:
    return {language: plan_contents(plan, language, today) for language in LANGUAGES}


# --- versions and endorsements -----------------------------------------------------------------


def version_detail(organization, plan_pk: int, number: int) -> PlanVersion:
    return PlanVersion.objects.for_organization(organization).select_related("plan").get(plan_id=plan_pk, number=number)


def latest_version(plan: Plan) -> PlanVersion | None:
    return plan.versions.order_by("-number").first()


def endorsements_for(version: PlanVersion) -> list[Endorsement]:
    return list(version.endorsements.select_related("stakeholder").order_by("stakeholder__name", "pk"))


def endorsement_counts(endorsements) -> dict[str, int]:
    counts = {"endorsed": 0, "declined": 0, "waiting": 0}
    for endorsement in endorsements:
        counts[endorsement.decision or "waiting"] += 1
    return counts


def stakeholders_not_asked(version: PlanVersion):
    return (
        Stakeholder.objects.for_organization(version.plan.organization)
        .exclude(endorsements__version=version)
        .order_by("name", "pk")
    )


def pickable(organization) -> dict:
    """The querysets a plan may pick from: this organisation's rows only."""
    return {
        "needs": Need.objects.for_organization(organization),
        "initiatives": Initiative.objects.for_organization(organization),
        "indicators": Indicator.objects.for_organization(organization),
        "partners": Stakeholder.objects.for_organization(organization),
        "stories": Story.objects.for_organization(organization).filter(scope__gte=Story.Scope.OFFICIALS),
    }


def story_list(organization):
    return Story.objects.for_organization(organization).select_related("initiative")


def plan_stories(plan: Plan, scope=Story.Scope.OFFICIALS) -> list[Story]:
    """The plan's stories whose consent reaches `scope`, read live (never frozen in a version),
    so a withdrawn or narrowed consent takes them out of every version at once."""
    return list(plan.stories.filter(scope__gte=scope).select_related("initiative").order_by("-consent_on", "pk"))


def letter_stories(*, stakeholder, organization, limit: int) -> list[LetterStory]:
    """Stories a thank-you letter may tell: consent reaching officials at least, those of the
    initiatives this stakeholder is a partner in first, then the newest."""
    own = Exists(InitiativePartner.objects.filter(initiative=OuterRef("initiative"), stakeholder=stakeholder))
    stories = (
        Story.objects.for_organization(organization)
        .filter(scope__gte=Story.Scope.OFFICIALS)
        .select_related("initiative")
        .annotate(own=own)
        .order_by("-own", "-consent_on", "-pk")[:limit]
    )
    return [
        LetterStory(title=s.title, text=s.text, told_as=s.pseudonym, initiative=s.initiative.title) for s in stories
    ]


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def endorsement_by_token(token: str) -> Endorsement | None:
    if not token or len(token) > 100:
        return None
    return (
        Endorsement.objects.select_related("version__plan__organization", "stakeholder")
        .filter(token_hash=hash_token(token))
        .first()
    )


# --- the public progress page --------------------------------------------------------------------


def public_plan(slug: str) -> Plan | None:
    """The plan whose public page this slug opens, while the page is on; None otherwise."""
    if not slug or len(slug) > 64:
        return None
    return Plan.objects.select_related("organization").filter(public_slug=slug, is_public=True).first()


def public_events(plan: Plan, limit: int = PUBLIC_EVENTS) -> list[dict]:
    """The latest activities of the plan's initiatives, with attendance by side only: counts of
    people, each small one shown as "fewer than 5" (no total shown, so nothing to work back from).
    Titles, kinds and dates only: notes are free text and stay inside. Home visits stay inside
    too: one household, a date and a count could point at a family."""
    activities = (
        Activity.objects.filter(initiative__plans=plan)
        .exclude(kind=Activity.Kind.HOME_VISIT)
        .select_related("initiative")
        .order_by("-date", "-pk")[:limit]
    )
    return [
        {
            "title": a.title,
            "kind": str(a.get_kind_display()),
            "date": _day(a.date),
            "initiative": a.initiative.title,
            "newcomers": count_display(a.newcomers),
            "receiving": count_display(a.receiving),
            "unknown": count_display(a.unknown),
        }
        for a in activities
    ]
