"""Writes for step 1: assessments, the survey builder and public submissions."""

import hashlib
import re
import secrets
import uuid
from dataclasses import dataclass, field

from dateutil.relativedelta import relativedelta
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import F, Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from assessments import selectors
from assessments.languages import DEFAULT_LANGUAGE, LANGUAGE_CODES, PUBLIC_WORDS, catalogue_words
from assessments.models import (
    Answer,
    Channel,
    Choice,
    Kiosk,
    NeedsAssessment,
    PublicWording,
    Question,
    Response,
    Survey,
)
from integration_hub import invalidation
from integration_hub.models import AuditEvent
from integration_hub.services import audit_record


@transaction.atomic
def assessment_create(*, organization, title: str, **fields) -> NeedsAssessment:
    """Create an assessment together with its (empty) survey."""
    assessment = NeedsAssessment.objects.create(organization=organization, title=title, **fields)
    Survey.objects.create(assessment=assessment, title={"en": title})
    return assessment


def survey_for(assessment: NeedsAssessment) -> Survey:
    """The assessment's survey, created on first use (assessments made outside the app)."""
    survey, _created = Survey.objects.get_or_create(assessment=assessment, defaults={"title": {"en": assessment.title}})
    return survey


@transaction.atomic
def assessment_set_status(*, assessment: NeedsAssessment, status: str) -> NeedsAssessment:
    """Move an assessment to `status`; opening and closing the public link follows it."""
    if status not in NeedsAssessment.Status.values:
        raise ValidationError(_("Unknown status."))
    assessment.status = status
    # The retention clock starts when an assessment closes; reopening stops it.
    assessment.closed_on = timezone.localdate() if status == NeedsAssessment.Status.CLOSED else None
    assessment.save(update_fields=["status", "closed_on", "updated_at"])
    return assessment


SURVEY_TEXTS = ("title", "intro", "purpose", "contact", "results_shared")


@transaction.atomic
def survey_update(*, survey: Survey, **texts: dict) -> Survey:
    """Save the texts respondents read (SURVEY_TEXTS, each {"en": ..., "es": ...}); others stay."""
    unknown = texts.keys() - set(SURVEY_TEXTS)
    if unknown:
        raise TypeError(f"survey_update() got unknown texts: {sorted(unknown)}")
    for name, value in texts.items():
        setattr(survey, name, value)
    survey.save(update_fields=list(texts))
    return survey


@transaction.atomic
def survey_set_languages(*, survey: Survey, codes) -> Survey:
    """Offer the survey in these languages (English always). Wording already entered in a language
    that is dropped is kept, so adding it back brings it back."""
    unknown = set(codes) - set(LANGUAGE_CODES)
    if unknown:
        raise ValidationError(_("Unknown language: %(codes)s.") % {"codes": ", ".join(sorted(unknown))})
    survey.languages = [code for code in LANGUAGE_CODES if code == DEFAULT_LANGUAGE or code in set(codes)]
    survey.save(update_fields=["languages"])
    return survey


def _placeholders(text: str) -> set[str]:
    return set(re.findall(r"{(\w+)}", text))


@transaction.atomic
def public_wording_save(*, organization, language: str, words: dict[str, str]) -> int:
    """Store an organisation's own words for the public page in one language: a non-empty text
    replaces the catalogue's, an empty one (or the catalogue's own) removes the correction.
    Returns how many corrections the language has now."""
    if language not in LANGUAGE_CODES:
        raise ValidationError(_("Unknown language: %(codes)s.") % {"codes": language})
    catalogue = catalogue_words(language)
    errors = {}
    for key, text in words.items():
        if key not in PUBLIC_WORDS:
            raise ValidationError(_("Unknown text: %(codes)s.") % {"codes": key})
        wanted = _placeholders(str(PUBLIC_WORDS[key]))
        if text.strip() and _placeholders(text) != wanted:
            errors[key] = _("Keep exactly these fields in braces: %(fields)s.") % {
                "fields": ", ".join(f"{{{name}}}" for name in sorted(wanted)) or "—"
            }
    if errors:
        raise ValidationError(errors)
    existing = PublicWording.objects.filter(organization=organization, language=language)
    for key, text in words.items():
        text = " ".join(text.split())
        if not text or text == catalogue[key]:
            existing.filter(key=key).delete()
        else:
            PublicWording.objects.update_or_create(
                organization=organization, language=language, key=key, defaults={"text": text}
            )
    return existing.count()


def survey_structure_changed(*, survey_id: int) -> None:
    """Record that a survey's questions or options changed. The public page keeps its questions
    cached per structure_version (selectors.published_questions), and reads the version with the
    survey on every request, so each worker sees the change on its next request after the commit.
    Every ORM write of a question or option reaches it, in the writer's transaction (the builder's
    services below, the admin, seeds): AssessmentsConfig.ready() watches them through
    integration_hub.invalidation."""
    Survey.objects.filter(pk=survey_id).update(structure_version=F("structure_version") + 1)


def survey_owners(row: Question | Choice) -> list[int]:
    """The survey whose structure a question or an option is part of."""
    return [row.survey_id if isinstance(row, Question) else row.question.survey_id]


@dataclass
class ChoiceEdit:
    """One row of the inline choice editor: an existing choice (or None for a new one)."""

    label: dict
    choice: Choice | None = None
    delete: bool = False


@dataclass
class QuestionData:
    kind: str
    text: dict
    help_text: dict = field(default_factory=dict)
    scale_low: dict = field(default_factory=dict)
    scale_high: dict = field(default_factory=dict)
    required: bool = True
    min_value: int = 0
    max_value: int = 100
    choices: list[ChoiceEdit] = field(default_factory=list)


def _required(data: QuestionData) -> bool:
    # A note or a section heading is read, never answered, so it cannot be required.
    return data.required and data.kind not in Question.DISPLAY_KINDS


def _check_choices(data: QuestionData) -> None:
    if data.kind in Question.CHOICE_KINDS:
        kept = [c for c in data.choices if not c.delete and c.label.get("en")]
        if len(kept) < 2:
            raise ValidationError(_("A choice question needs at least two options with English text."))


def _save_choices(question: Question, edits: list[ChoiceEdit]) -> None:
    position = 0
    for edit in edits:
        if edit.delete:
            if edit.choice is not None:
                edit.choice.delete()
            continue
        if not edit.label.get("en"):
            continue
        position += 1
        if edit.choice is None:
            Choice.objects.create(question=question, position=position, label=edit.label)
        else:
            edit.choice.label, edit.choice.position = edit.label, position
            edit.choice.save(update_fields=["label", "position"])


@transaction.atomic
def question_create(*, survey: Survey, data: QuestionData) -> Question:
    _check_choices(data)
    last = survey.questions.aggregate(last=Max("position"))["last"] or 0
    question = Question.objects.create(
        survey=survey,
        position=last + 1,
        kind=data.kind,
        text=data.text,
        help_text=data.help_text,
        scale_low=data.scale_low if data.kind == Question.Kind.SCALE else {},
        scale_high=data.scale_high if data.kind == Question.Kind.SCALE else {},
        required=_required(data),
        min_value=data.min_value,
        max_value=data.max_value,
    )
    if question.is_choice:
        _save_choices(question, data.choices)
    return question


@transaction.atomic
def question_update(*, question: Question, data: QuestionData) -> Question:
    """Save the builder's edits. Once a question has answers its wording may change,
    but not its kind, its number range, or any option someone chose."""
    question = Question.objects.select_for_update().get(pk=question.pk)
    question_check_change(question=question, kind=data.kind, min_value=data.min_value, max_value=data.max_value)
    for edit in data.choices:
        if edit.delete and edit.choice is not None:
            choice_check_removal(choice=edit.choice)
    _check_choices(data)
    question.kind = data.kind
    question.text, question.help_text, question.required = data.text, data.help_text, _required(data)
    scale = data.kind == Question.Kind.SCALE
    question.scale_low, question.scale_high = (data.scale_low, data.scale_high) if scale else ({}, {})
    question.min_value, question.max_value = data.min_value, data.max_value
    question.save()
    if question.is_choice:
        _save_choices(question, data.choices)
    options_prune(survey_id=question.survey_id)
    return question


# Everything that makes a question what it is; position is renumbered, answers never come along.
COPIED_FIELDS = ("kind", "text", "help_text", "scale_low", "scale_high", "required", "min_value", "max_value")


@transaction.atomic
def survey_copy_questions(*, source: Survey, target: Survey) -> list[Question]:
    """Copy `source`'s questions, with their wording in every language, kinds, number ranges, scale
    ends and options, into the empty survey of a draft assessment, and offer the target in the
    source's languages too. Responses, answers and kept tallies are never copied."""
    target = Survey.objects.select_for_update().select_related("assessment").get(pk=target.pk)
    source = Survey.objects.select_related("assessment").get(pk=source.pk)
    if source.assessment.organization_id != target.assessment.organization_id or source.pk == target.pk:
        raise ValidationError(_("Questions can only be copied from another assessment of your organisation."))
    if target.assessment.status != NeedsAssessment.Status.DRAFT:
        raise ValidationError(
            _("Questions can only be copied into a draft assessment; “%(title)s” is %(status)s.")
            % {"title": target.assessment.title, "status": target.assessment.get_status_display().lower()}
        )
    if target.questions.exists():
        raise ValidationError(
            _("This survey already has questions, so nothing was copied. Copying works only into an empty survey.")
        )
    originals = list(source.questions.order_by("position", "id").prefetch_related("choices"))
    if not originals:
        raise ValidationError(_("“%(title)s” has no questions to copy.") % {"title": source.assessment.title})
    wanted = set(target.language_codes) | set(source.language_codes)
    target.languages = [code for code in LANGUAGE_CODES if code in wanted]
    target.save(update_fields=["languages"])
    copies = []
    for position, original in enumerate(originals, start=1):
        copy = Question.objects.create(
            survey=target, position=position, **{name: getattr(original, name) for name in COPIED_FIELDS}
        )
        for choice in original.choices.all():
            Choice.objects.create(question=copy, position=choice.position, label=choice.label)
        copies.append(copy)
    return copies


def question_check_change(*, question: Question, kind: str, min_value: int, max_value: int, survey_id=None) -> None:
    """Refuse a change that would alter what collected answers mean: once a question has answers
    (kept ones included), its kind, its number range and its survey stay. The builder and the
    admin both call this; wording may always change."""
    survey_changed = survey_id is not None and survey_id != question.survey_id
    kind_changed = kind != question.kind
    range_changed = question.kind == Question.Kind.NUMBER and (min_value, max_value) != (
        question.min_value,
        question.max_value,
    )
    if not (survey_changed or kind_changed or range_changed) or not selectors.question_answer_count(question):
        return
    if kind_changed:
        raise ValidationError(
            _(
                "This question already has answers, so its kind cannot change. "
                "Edit the wording, or add a new question instead."
            )
        )
    if range_changed:
        raise ValidationError(_("This question already has answers, so its number range cannot change."))
    raise ValidationError(_("This question already has answers, so it cannot move to another survey."))


def choice_check_removal(*, choice: Choice) -> None:
    """Refuse to remove an option someone chose (kept answers included): their answers would lose it."""
    uses = selectors.choice_answer_count(choice)
    if uses:
        raise ValidationError(
            ngettext(
                "“%(label)s” was chosen in %(n)d answer, so it cannot be removed; you may edit its wording.",
                "“%(label)s” was chosen in %(n)d answers, so it cannot be removed; you may edit its wording.",
                uses,
            )
            % {"label": choice.label_in("en"), "n": uses}
        )


def options_prune(*, survey_id: int) -> None:
    """Delete the options of the survey's questions that are no longer choice questions: kept, they
    would come back, unasked for, if the kind changed back. Options someone chose are never here
    (an answered question keeps its kind), but are skipped all the same."""
    Choice.objects.filter(question__survey_id=survey_id, answers__isnull=True).exclude(
        question__kind__in=Question.CHOICE_KINDS
    ).delete()


@transaction.atomic
def question_delete(*, question: Question, answers_confirmed: int = 0) -> int:
    """Delete a question. One with answers goes only when `answers_confirmed` is its number of answers
    as it stands now (kept ones included): its answers go with it, and a stale confirmation (more
    answers since) is refused. Returns the number of answers deleted."""
    question = Question.objects.select_for_update().select_related("survey").get(pk=question.pk)
    uses = selectors.question_answer_count(question)
    if uses != answers_confirmed and uses:
        raise ValidationError(
            ngettext(
                "This question has %(n)d answer. To delete the question, confirm that its %(n)d answer "
                "will be deleted too; or keep it and edit its wording.",
                "This question has %(n)d answers. To delete the question, confirm that its %(n)d answers "
                "will be deleted too; or keep it and edit its wording.",
                uses,
            )
            % {"n": uses}
        )
    survey = question.survey
    kept = survey.kept_tallies or {}
    if any(str(question.pk) in kept.get(part, {}) for part in ("respondents", "choices", "numbers")):
        # The tallies kept under the retention rule go with the answers they count.
        for part in ("respondents", "choices", "numbers"):
            kept.get(part, {}).pop(str(question.pk), None)
        survey.save(update_fields=["kept_tallies"])
    question.delete()
    return uses


@transaction.atomic
def question_move(*, question: Question, direction: str) -> None:
    """Swap the question with its neighbour above ("up") or below ("down")."""
    questions = list(
        Question.objects.select_for_update().filter(survey_id=question.survey_id).order_by("position", "id")
    )
    index = next(i for i, q in enumerate(questions) if q.pk == question.pk)
    target = index - 1 if direction == "up" else index + 1
    if direction not in ("up", "down") or not 0 <= target < len(questions):
        return
    questions[index], questions[target] = questions[target], questions[index]
    for position, item in enumerate(questions, start=1):
        item.position = position
    Question.objects.bulk_update(questions, ["position"])
    invalidation.rows_written(questions)  # bulk_update sends no signals


@dataclass
class ParsedAnswer:
    question: Question
    choice: Choice | None = None
    number: int | None = None
    text: str = ""


def response_submit(
    *,
    survey: Survey,
    side: str,
    answers: list[ParsedAnswer],
    language: str = "en",
    channel: str = Channel.ONLINE,
    submission_key: uuid.UUID | None = None,
) -> int:
    """Store one anonymous response: the side, today's date, the page's language, the channel and
    the answers, nothing else, all or nothing. Returns the response's id.

    With a submission_key, a second send of the same questionnaire (a device that was offline
    and retries, a double tap) stores nothing and returns the first one's id."""
    if language not in survey.language_codes:
        language = "en"
    if channel not in Channel.values:
        raise ValidationError(_("Unknown channel."))
    response = Response(
        survey=survey,
        side=side,
        submitted_on=timezone.localdate(),
        language=language,
        channel=channel,
        submission_key=submission_key,
    )
    if connection.vendor == "postgresql":
        stored = _response_insert_postgresql(response, answers)
    else:
        stored = _response_insert_orm(response, answers)
    if stored is None:  # the key was stored before: this is a repeat
        return Response.objects.values_list("pk", flat=True).get(submission_key=submission_key)
    return stored


def _response_insert_orm(response: Response, answers: list[ParsedAnswer]) -> int | None:
    try:
        with transaction.atomic():
            response.save(force_insert=True)
            Answer.objects.bulk_create(
                Answer(response=response, question=a.question, choice=a.choice, number=a.number, text=a.text)
                for a in answers
            )
    except IntegrityError:
        if response.submission_key and Response.objects.filter(submission_key=response.submission_key).exists():
            return None
        raise
    return response.pk


# The public survey's hot path on PostgreSQL: one statement, atomic on its own, instead of BEGIN,
# two INSERTs and COMMIT built by the ORM (_response_insert_orm). bench/survey_tricks.py, both in
# one run (12 answers, load 4.6 on 2 cores): 1.25 ms a response (0.26 ms CPU) against 2.99 ms
# (1.48 ms CPU) through the ORM, 2.4x the time and 5.8x the CPU; one round trip instead of four.
# The same columns as the ORM path, no others; bin/test runs it against a PostgreSQL of its own
# (assessments/tests/test_response_insert_postgresql.py).
_RESPONSE_INSERT_SQL = """
WITH response AS (
    INSERT INTO assessments_response (survey_id, side, submitted_on, language, channel, submission_key)
    VALUES (%s, %s, %s, %s, %s, %s)
    ON CONFLICT (submission_key) DO NOTHING
    RETURNING id
), answers AS (
    INSERT INTO assessments_answer (response_id, question_id, choice_id, number, text)
    SELECT response.id, answer.question_id, answer.choice_id, answer.number, answer.text
    FROM response, UNNEST(%s::bigint[], %s::bigint[], %s::integer[], %s::text[])
        AS answer (question_id, choice_id, number, text)
)
SELECT id FROM response
"""


def _response_insert_postgresql(response: Response, answers: list[ParsedAnswer], db=connection) -> int | None:
    with db.cursor() as cursor:
        cursor.execute(
            _RESPONSE_INSERT_SQL,
            [
                response.survey_id,
                response.side,
                response.submitted_on,
                response.language,
                response.channel,
                response.submission_key,
                [a.question.pk for a in answers],
                [a.choice.pk if a.choice else None for a in answers],
                [a.number for a in answers],
                [a.text for a in answers],
            ],
        )
        row = cursor.fetchone()
        return row[0] if row else None  # None: the submission key was stored before


# --- Retention: raw responses go, results stay ------------------------------------------------


@transaction.atomic
def responses_purge(*, survey: Survey, today) -> dict:
    """Delete a survey's raw responses and answers (written ones included), keeping their tallies
    in the survey so every result, chart and summary export stays the same. Logs counts only."""
    survey = Survey.objects.select_for_update().select_related("assessment__organization").get(pk=survey.pk)
    responses = Response.objects.filter(survey=survey)
    counts = {
        "responses": responses.count(),
        "answers": Answer.objects.filter(response__survey=survey).count(),
        "written_answers": Answer.objects.filter(response__survey=survey).exclude(text="").count(),
    }
    if not counts["responses"]:
        return counts
    survey.kept_tallies = selectors.merge_tallies(survey.kept_tallies or {}, selectors.survey_tallies(survey))
    survey.responses_purged_on = today
    survey.save(update_fields=["kept_tallies", "responses_purged_on"])
    responses.delete()
    assessment = survey.assessment
    audit_record(
        organization=assessment.organization,
        action=AuditEvent.Action.RETENTION_DELETED,
        summary=ngettext(
            "%(title)s: %(n)s response deleted %(months)s months after closing; results kept.",
            "%(title)s: %(n)s responses deleted %(months)s months after closing; results kept.",
            counts["responses"],
        )
        % {"title": assessment.title, "n": counts["responses"], "months": assessment.organization.retention_months},
        detail={"assessment_id": assessment.pk, **counts},
    )
    return counts


def retention_run(*, today) -> list[dict]:
    """Daily: purge the responses of every assessment closed longer ago than its organisation keeps
    them. Idempotent: a purged survey has no responses left, so a second run finds nothing."""
    done = []
    candidates = (
        Survey.objects.filter(
            assessment__status=NeedsAssessment.Status.CLOSED,
            assessment__closed_on__isnull=False,
            responses__isnull=False,
        )
        .select_related("assessment__organization")
        .distinct()
    )
    for survey in candidates:
        assessment = survey.assessment
        if assessment.closed_on <= today - relativedelta(months=assessment.organization.retention_months):
            done.append({"assessment": assessment.title, **responses_purge(survey=survey, today=today)})
    return done


# --- Kiosk ---


def kiosk_token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def kiosk_start(*, survey: Survey, languages: list[str], started_by) -> tuple[Kiosk, str]:
    """Start a kiosk for `survey` offering `languages` (among the survey's, the first shown first).
    Returns the kiosk and its link's secret, which is not stored (only its SHA-256)."""
    chosen = [code for code in dict.fromkeys(languages) if code in survey.language_codes]
    if not chosen:
        raise ValidationError(_("Choose at least one of the survey's languages."))
    token = secrets.token_urlsafe(32)
    kiosk = Kiosk.objects.create(
        survey=survey, languages=chosen, started_by=started_by, token_hash=kiosk_token_hash(token)
    )
    return kiosk, token


def kiosk_end(*, kiosk: Kiosk) -> Kiosk:
    """End a kiosk: its link answers "not open" from now on."""
    if kiosk.ended_at is None:
        kiosk.ended_at = timezone.now()
        kiosk.save(update_fields=["ended_at"])
    return kiosk
