"""Validation of a public survey submission, with messages in the respondent's language.

Kept apart from Django forms because the fields come from the survey's
questions and every message must follow the respondent's ?lang= choice.
"""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from functools import lru_cache

from django.utils import formats, translation

from assessments.languages import catalogue_words
from assessments.models import PublicWording, Question, RespondentSide, Survey
from assessments.services import ParsedAnswer
from integration_hub.inputs import DATE_MAX, DATE_MIN

# A decimal answer beyond this is a typing slip, not a figure anyone counts.
DECIMAL_LIMIT = Decimal("1000000000000")

SIDE_FIELD = "side"


def field_name(question: Question) -> str:
    return f"q{question.pk}"


@dataclass
class Submission:
    side: str = ""
    answers: list[ParsedAnswer] = field(default_factory=list)
    errors: dict[str, str] = field(default_factory=dict)
    # What was typed or chosen, to fill the form again after an error.
    values: dict[str, list[str]] = field(default_factory=dict)

    @property
    def is_valid(self) -> bool:
        return not self.errors


def page_words(language: str, organization_id: int | None = None, stamp=None) -> dict[str, str]:
    """The public page's own words in `language`: the catalogue's, with the organisation's
    corrections (PublicWording) in their place."""
    words = catalogue_words(language)
    if organization_id is not None and (stamp is None or stamp[0]):
        words.update(
            _organization_wording(organization_id, language, stamp)
            if stamp
            else _read_wording(organization_id, language)
        )
    return words


def _read_wording(organization_id: int, language: str) -> dict[str, str]:
    rows = PublicWording.objects.filter(organization_id=organization_id, language=language)
    return dict(rows.values_list("key", "text"))


@lru_cache(maxsize=512)
def _organization_wording(organization_id: int, language: str, stamp) -> dict[str, str]:
    """Per process, like selectors.published_questions: the stamp (how many corrections, last
    change), read with the survey on every request, changes with every save, so a stale copy is
    never used. Callers copy the result into their own dict."""
    return _read_wording(organization_id, language)


def survey_words(survey: Survey, language: str) -> dict[str, str]:
    stamp = getattr(survey, "wording_stamp", None)
    return page_words(language, survey.assessment.organization_id, stamp)


def about_survey(survey: Survey, language: str, words: dict | None = None) -> dict:
    """What the public pages say about the survey, in the respondent's language: who asks, why, for
    how long, how to reach them, and where the results are shared. Nothing about the respondent."""
    words = words if words is not None else survey_words(survey, language)
    assessment = survey.assessment
    with translation.override(language):  # dates as the respondent reads them: 15 de marzo de 2027
        start, end = (
            formats.date_format(day, "DATE_FORMAT") if day else ""
            for day in (assessment.period_start, assessment.period_end)
        )
    if start and end:
        period = words["period_from_to"].format(start=start, end=end)
    elif end or start:
        period = words["period_until"].format(end=end) if end else words["period_from"].format(start=start)
    else:
        period = ""
    return {
        "organization_name": assessment.organization.name,
        "purpose": survey.purpose_in(language),
        "period": period,
        "contact": survey.contact_in(language),
        "results_shared": survey.results_shared_in(language),
    }


def _as_int(value: str) -> int | None:
    try:
        return int(value.strip())
    except (ValueError, AttributeError):
        return None


def _as_decimal(value: str) -> Decimal | None:
    """A plain decimal number, with a point or a comma ("12.5", "12,5"), else None (no "1e3", "NaN")."""
    text = value.strip().replace(",", ".")
    if not text or any(c not in "0123456789.-+" for c in text):
        return None
    try:
        number = Decimal(text)
    except InvalidOperation:
        return None
    return number if number.is_finite() and abs(number) < DECIMAL_LIMIT else None


def _as_date(value: str) -> date | None:
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        return None


def _decimal_text(number: Decimal) -> str:
    """One spelling per value: 12.50 and 12.5 are both "12.5"."""
    text = format(number.normalize(), "f")
    return "0" if text in ("-0", "+0") else text


def parse_submission(questions: list[Question], data, language: str, words: dict | None = None) -> Submission:
    words = words if words is not None else page_words(language)
    result = Submission()
    side = data.get(SIDE_FIELD, "")
    result.values[SIDE_FIELD] = [side]
    if side not in RespondentSide.values:
        result.errors[SIDE_FIELD] = words["err_side"]
    else:
        result.side = side

    for question in questions:
        if question.is_display:
            continue
        name = field_name(question)
        raw = [v for v in data.getlist(name) if v.strip()]
        result.values[name] = raw
        if not raw:
            if question.required:
                result.errors[name] = words["err_required"]
            continue
        if question.is_choice:
            options = {str(c.pk): c for c in question.choices.all()}
            picked = list(dict.fromkeys(raw))  # a repeated option counts once
            if any(v not in options for v in picked) or (question.kind == Question.Kind.SINGLE and len(picked) > 1):
                result.errors[name] = words["err_choice"]
                continue
            result.answers.extend(ParsedAnswer(question=question, choice=options[v]) for v in picked)
        elif question.is_numeric:
            number = _as_int(raw[0]) if len(raw) == 1 else None
            low, high = question.bounds
            if number is None:
                result.errors[name] = words["err_scale" if question.kind == Question.Kind.SCALE else "err_number"]
            elif not low <= number <= high:
                key = "err_scale" if question.kind == Question.Kind.SCALE else "err_range"
                result.errors[name] = words[key].format(min=low, max=high)
            else:
                result.answers.append(ParsedAnswer(question=question, number=number))
        elif question.kind == Question.Kind.DECIMAL:
            number = _as_decimal(raw[0]) if len(raw) == 1 else None
            if number is None:
                result.errors[name] = words["err_decimal"]
            else:
                result.answers.append(ParsedAnswer(question=question, text=_decimal_text(number)))
        elif question.kind == Question.Kind.DATE:
            day = _as_date(raw[0]) if len(raw) == 1 else None
            if day is None:
                result.errors[name] = words["err_date"]
            elif not DATE_MIN <= day <= DATE_MAX:
                result.errors[name] = words["err_date_range"].format(min=DATE_MIN.year, max=DATE_MAX.year)
            else:
                result.answers.append(ParsedAnswer(question=question, text=day.isoformat()))
        else:
            text = raw[0].strip()
            if len(raw) > 1 or len(text) > question.text_max_length:
                result.errors[name] = words["err_too_long"].format(max=question.text_max_length, n=len(text))
            else:
                result.answers.append(ParsedAnswer(question=question, text=text))
    if result.errors:
        result.answers = []
    return result
