"""Reads for step 1. The home page calls step_summary and attention_items."""

import hashlib
from collections import defaultdict
from collections.abc import Hashable
from dataclasses import dataclass, field
from datetime import timedelta
from functools import lru_cache

from django.conf import settings
from django.db import connection
from django.db.models import Count, F, Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from assessments import coverage, suppression
from assessments.models import (
    Answer,
    Channel,
    Choice,
    Consultation,
    Kiosk,
    Need,
    NeedsAssessment,
    Question,
    RespondentSide,
    Response,
    Survey,
)
from integration_hub import listing
from integration_hub.dashboard import AttentionItem, StepSummary
from integration_hub.models import Organization

TITLE = gettext_lazy("Needs assessment")
DESCRIPTION = gettext_lazy(
    "Ask newcomers and long-standing residents what the community needs: surveys through a public, anonymous link, focus groups and round tables, then a prioritised list of needs."
)

# Small-cell protection (the rule is assessments.suppression): kept here for the pages' wording.
MIN_CELL = suppression.MIN_CELL
ALL = "all"
# Result columns: both sides side by side, then everyone (including "prefer not to say").
COLUMNS = (
    (RespondentSide.NEWCOMER, gettext_lazy("Newcomers")),
    (RespondentSide.RESIDENT, gettext_lazy("Receiving community")),
    (ALL, gettext_lazy("All respondents")),
)
NUMBER_BINS = 5


def step_summary(organization) -> StepSummary:
    assessments = NeedsAssessment.objects.for_organization(organization).count()
    needs = Need.objects.for_organization(organization).count()
    return StepSummary(
        number=1,
        title=TITLE,
        url_name="assessments:index",
        description=DESCRIPTION,
        figures=[
            (_("Assessments"), assessments),
            (_("Survey responses"), organization_responses(organization)),
            (_("Needs identified"), needs),
        ],
    )


def attention_items(organization, today) -> list:
    items = []
    overdue = NeedsAssessment.objects.for_organization(organization).filter(
        status=NeedsAssessment.Status.COLLECTING, period_end__lt=today
    )
    for assessment in overdue.only("id", "title", "period_end")[:5]:
        items.append(
            AttentionItem(
                text=_("“%(title)s” is still collecting answers after its end date; close it or extend the period.")
                % {"title": assessment.title},
                url=assessment.get_absolute_url(),
                due=assessment.period_end,
            )
        )
    # High-priority needs nobody addresses yet are step 3's item (initiatives.selectors): what
    # addresses a need is an initiative, which this step cannot see.
    return items


def with_response_counts(assessments):
    """Assessments (already scoped and filtered) with their owner and number of responses
    (completed by attach_response_figures)."""
    return (
        assessments.select_related("owner")
        .annotate(response_count=Count("survey__responses"), kept_tallies=F("survey__kept_tallies"))
        .order_by(F("period_start").desc(nulls_last=True), "-created_at", "-id")
    )


def _kept_responses(kept_tallies) -> int:
    return sum(((kept_tallies or {}).get("sides") or {}).values())


def attach_response_figures(assessments: list) -> list:
    """Each assessment's responses as its results count them (the live ones and those kept after
    the retention rule deleted the rest), and as shown: the results' "All respondents" figure."""
    for assessment in assessments:
        assessment.response_count += _kept_responses(assessment.kept_tallies)
        assessment.responses_shown = suppression.count_display(assessment.response_count)
    return assessments


def organization_responses(organization) -> int | str:
    """The organisation's survey responses, as shown on the home page: hidden when one
    assessment's small count (shown as "fewer than 5") could be worked out from it."""
    surveys = Survey.objects.for_organization(organization)
    live = dict(
        Response.objects.for_organization(organization).values_list("survey").annotate(n=Count("id")).order_by()
    )
    per_survey = {pk: live.get(pk, 0) + _kept_responses(kept) for pk, kept in surveys.values_list("pk", "kept_tallies")}
    total = sum(per_survey.values())
    counts = {**per_survey, "all": total}
    line = [(pk, 1) for pk in per_survey] + [("all", -1)]
    state = suppression.suppress(counts, [line], shown=per_survey)["all"]
    return total if state == suppression.VISIBLE else suppression.display(total, state)


def _questions_with_choices(survey_id: int):
    return (
        Question.objects.filter(survey_id=survey_id)
        .order_by("position", "id")
        .prefetch_related(Prefetch("choices", queryset=Choice.objects.order_by("position", "id")))
    )


def survey_questions(survey) -> list[Question]:
    """The survey's questions with their options, in order (two queries)."""
    return list(_questions_with_choices(survey.pk))


def answered_questions(survey: Survey) -> list[Question]:
    """survey_questions without notes and section headings, which nobody answers: the results' and
    the CSV exports' questions."""
    return [q for q in survey_questions(survey) if not q.is_display]


# The one query left on the public survey's path (see public_survey).
_PUBLIC_SURVEY_SQL = """
SELECT survey.id, survey.title, survey.intro, survey.purpose, survey.contact, survey.results_shared,
    survey.languages, survey.structure_version, assessment.id, assessment.title, assessment.period_start, assessment.period_end,
    organization.id, organization.name,
    (SELECT COUNT(*) FROM assessments_publicwording w WHERE w.organization_id = organization.id),
    (SELECT MAX(w.updated_at) FROM assessments_publicwording w WHERE w.organization_id = organization.id)
FROM assessments_survey survey
    JOIN assessments_needsassessment assessment ON assessment.id = survey.assessment_id
    JOIN integration_hub_organization organization ON organization.id = assessment.organization_id
WHERE survey.token = %s AND assessment.status = %s
"""


def public_survey(token: str) -> Survey | None:
    """The collecting survey behind a public link, or None. Read on every request, so closing the
    assessment, or any change to the questions (through structure_version), shows at once. With it
    come what the page says before the first question: the organisation's name and the period.

    Plain SQL: building and compiling the ORM query was the largest CPU cost left in a submission.
    bench/survey_tricks.py, both in one run against the same-columns ORM query (select_related +
    only): on PostgreSQL 0.59 ms a call (0.26 ms CPU) against 1.44 ms (1.02 ms CPU), 2.5x the time
    and 3.9x the CPU; on SQLite 0.10 ms of CPU against 1.13 ms. The instances hold only these
    columns; any other loads on access, as with .only()."""
    with connection.cursor() as cursor:
        cursor.execute(_PUBLIC_SURVEY_SQL, [token, NeedsAssessment.Status.COLLECTING])
        row = cursor.fetchone()
    if row is None:
        return None
    survey_id, *texts, version, assessment_id, assessment_title, start, end, organization_id, name = row[:-2]
    json_field, date_field = Survey._meta.get_field("title"), NeedsAssessment._meta.get_field("period_start")
    column = json_field.get_col(Survey._meta.db_table)  # what the ORM hands its converter
    title, intro, purpose, contact, results_shared, languages = (
        json_field.from_db_value(t, column, connection) for t in texts
    )
    survey = _instance(
        Survey,
        id=survey_id,
        assessment_id=assessment_id,
        token=token,
        title=title,
        intro=intro,
        purpose=purpose,
        contact=contact,
        results_shared=results_shared,
        languages=languages,
        structure_version=version,
    )
    survey.assessment = _instance(
        NeedsAssessment,
        id=assessment_id,
        organization_id=organization_id,
        title=assessment_title,
        status=NeedsAssessment.Status.COLLECTING,
        # SQLite hands dates back as text; to_python reads both.
        period_start=date_field.to_python(start),
        period_end=date_field.to_python(end),
    )
    survey.assessment.organization = _instance(Organization, id=organization_id, name=name)
    # How many corrections of the page's words the organisation has, and when they last changed:
    # the key of public.organization_wording's cached copy (none to read in the usual case).
    survey.wording_stamp = (row[-2], str(row[-1]))
    return survey


def _instance(model, **values):
    """An instance as the ORM loads it, holding these fields only (the others load on access)."""
    names = [f.attname for f in model._meta.concrete_fields if f.attname in values]
    return model.from_db(connection.alias, names, [values[name] for name in names])


def published_questions(survey) -> list[Question]:
    """The public page's questions with their options, as survey_questions, without a query when
    this process has read them for this survey's structure_version already. Every write to the
    questions or options raises the version (services.survey_structure_changed), and the survey row
    carrying it is read on every request, so a cached copy is never used after a change. The shared
    instances are read-only: the public page only reads them."""
    return list(_published_questions(survey.pk, survey.token, survey.structure_version))


# Per process, in memory: nothing to fetch or unpickle. The token is in the key only so that a
# reused id (a rolled-back test, a flushed development database) can never match an old entry.
@lru_cache(maxsize=256)
def _published_questions(survey_id: int, token: str, version: int) -> tuple[Question, ...]:
    return tuple(_questions_with_choices(survey_id))


def published_questions_clear() -> None:
    """Empty this process's copies (tests start from nothing)."""
    _published_questions.cache_clear()


def copy_sources(organization, *, exclude: NeedsAssessment):
    """The organisation's other assessments whose surveys have questions: what the builder offers
    to copy from, newest first, each with its question count."""
    return (
        NeedsAssessment.objects.for_organization(organization)
        .exclude(pk=exclude.pk)
        .annotate(question_count=Count("survey__questions"))
        .filter(question_count__gt=0)
        .order_by(F("period_start").desc(nulls_last=True), "-created_at", "-id")
    )


def builder_questions(survey):
    """Questions for the builder, each annotated with how many responses answered it."""
    questions = with_answer_counts(survey.questions.order_by("position", "id")).prefetch_related("choices")
    return add_kept_counts(list(questions), survey.kept_tallies)


def _missing(texts: dict, code: str) -> bool:
    """Wording that exists in English but not in `code` (those readers see the English)."""
    texts = texts or {}
    return bool(texts.get("en")) and not texts.get(code)


def question_missing_languages(question, languages) -> list:
    """The survey's languages (other than English) in which some of the question's wording is missing:
    its text, help, scale ends or an option."""
    wordings = [question.text, question.help_text]
    if question.kind == question.Kind.SCALE:
        wordings += [question.scale_low, question.scale_high]
    if question.is_choice:
        wordings += [choice.label for choice in question.choices.all()]
    return [
        language
        for language in languages
        if language.code != "en" and any(_missing(texts, language.code) for texts in wordings)
    ]


SURVEY_WORDINGS = ("title", "intro", "purpose", "contact", "results_shared")


def missing_wording(survey, questions) -> list[dict]:
    """Per language of the survey (besides English): how many questions and how many of the texts
    respondents read first and last lack its wording."""
    rows = []
    for language in survey.language_list:
        if language.code == "en":
            continue
        rows.append(
            {
                "language": language,
                "questions": sum(language in getattr(q, "missing_languages", []) for q in questions),
                "texts": sum(_missing(getattr(survey, name), language.code) for name in SURVEY_WORDINGS),
            }
        )
    return rows


# --- Results -----------------------------------------------------------------------------------


@dataclass
class Cell:
    """A count (and share) in one column; hidden when it could single someone out, or when a
    hidden count could be worked out from it (state, from suppression.suppress)."""

    count: int
    base: int = 0
    state: str = ""
    base_hidden: bool = False  # the share would give the hidden number of people who answered

    def __post_init__(self):
        if not self.state:
            self.state = suppression.suppress({0: self.count})[0]

    @property
    def suppressed(self) -> bool:
        return self.state != suppression.VISIBLE

    @property
    def percent(self) -> float | None:
        if self.suppressed or self.base_hidden or not self.base or self.base < MIN_CELL:
            return None
        return round(100 * self.count / self.base, 1)

    @property
    def display(self) -> str:
        return suppression.display(self.count, self.state)


@dataclass
class Row:
    label: str
    cells: dict  # column -> Cell


@dataclass
class QuestionResult:
    question: Question
    respondents: dict  # column -> Cell
    rows: list[Row] = field(default_factory=list)
    means: dict = field(default_factory=dict)  # column -> float | None (None when hidden)
    mean_states: dict = field(default_factory=dict)  # column -> suppression state

    def mean_display(self, column) -> str:
        return suppression.display(self.means[column], self.mean_states[column])

    @property
    def chart(self) -> dict | None:
        """The shares as bars; None when no share may be shown (fewer than MIN_CELL answers, or
        all hidden): the page says why instead of drawing empty boxes."""
        if not self.rows or self.question.is_text:
            return None
        series = [
            {"side": str(column), "label": str(label), "data": [row.cells[column].percent for row in self.rows]}
            for column, label in COLUMNS
        ]
        if all(value is None for s in series for value in s["data"]):
            return None
        return {
            "id": f"chart-q{self.question.pk}",
            "labels": [row.label for row in self.rows],
            "series": series,
            "axis": _("Share of those who answered (%)"),
            "hidden": _("fewer than %(n)s or hidden") % {"n": MIN_CELL},
        }


@dataclass
class SurveyResults:
    totals: dict  # column -> Cell
    questions: list[QuestionResult]
    columns: tuple = COLUMNS

    @property
    def charts(self) -> list[dict]:
        return [q.chart for q in self.questions if q.chart]


def _with_all(per_side: dict) -> dict:
    """{side: n} → counts for the two shown sides and everyone."""
    return {
        RespondentSide.NEWCOMER: per_side.get(RespondentSide.NEWCOMER, 0),
        RespondentSide.RESIDENT: per_side.get(RespondentSide.RESIDENT, 0),
        ALL: sum(per_side.values()),
    }


def _bin_label(low: int, high: int) -> str:
    return str(low) if low == high else f"{low}–{high}"


def _number_bins(question: Question) -> list[tuple[int, int]]:
    low, high = question.bounds
    if question.kind == Question.Kind.SCALE or high - low < NUMBER_BINS:
        return [(v, v) for v in range(low, high + 1)]
    width = -(-(high - low + 1) // NUMBER_BINS)  # ceiling division
    return [(start, min(start + width - 1, high)) for start in range(low, high + 1, width)]


def survey_tallies(survey) -> dict:
    """The counts every result is built from, from SQL aggregates (the number of queries does
    not depend on the number of responses). Plain JSON: the retention rule keeps it when the
    raw responses go (Survey.kept_tallies)."""
    # response__survey too: the planner then reads only this survey's responses by index, not every one.
    answers = Answer.objects.filter(question__survey=survey, response__survey=survey)
    tallies: dict[str, dict] = {"sides": {}, "respondents": {}, "choices": {}, "numbers": {}}
    for side, n in Response.objects.filter(survey=survey).values_list("side").annotate(n=Count("id")):
        tallies["sides"][side] = n
    for qid, side, n in answers.values_list("question_id", "response__side").annotate(
        n=Count("response_id", distinct=True)
    ):
        tallies["respondents"].setdefault(str(qid), {})[side] = n
    for qid, cid, side, n in (
        answers.filter(choice__isnull=False)
        .values_list("question_id", "choice_id", "response__side")
        .annotate(n=Count("id"))
    ):
        tallies["choices"].setdefault(str(qid), {}).setdefault(str(cid), {})[side] = n
    for qid, number, side, n in (
        answers.filter(number__isnull=False)
        .values_list("question_id", "number", "response__side")
        .annotate(n=Count("id"))
    ):
        tallies["numbers"].setdefault(str(qid), {}).setdefault(str(number), {})[side] = n
    return tallies


def merge_tallies(a: dict, b: dict) -> dict:
    """Add two tallies (nested dicts of counts; [total, n] pairs add element-wise)."""
    merged = {}
    for key in a.keys() | b.keys():
        x, y = a.get(key), b.get(key)
        if x is None or y is None:
            merged[key] = x if y is None else y
        elif isinstance(x, dict):
            merged[key] = merge_tallies(x, y)
        elif isinstance(x, list):
            merged[key] = [i + j for i, j in zip(x, y, strict=True)]
        else:
            merged[key] = x + y
    return merged


def _side_line(row) -> list:
    """Newcomers + receiving community - all respondents = -(prefer not to say), a number we
    assume the reader knows (often nobody preferred not to say)."""
    return [((row, RespondentSide.NEWCOMER), 1), ((row, RespondentSide.RESIDENT), 1), ((row, ALL), -1)]


def total_gives_small_sides(counts: dict, states: dict) -> bool:
    """column -> count and column -> state of one respondents row: True when both sides are hidden
    and the shown total would give their sum (it minus those who preferred not to say), under 5.
    A required question's respondents equal that sum as a cell of their own."""
    sides = (RespondentSide.NEWCOMER, RespondentSide.RESIDENT)
    return (
        states[ALL] == suppression.VISIBLE
        and all(states[side] != suppression.VISIBLE for side in sides)
        and suppression.is_small(sum(counts[side] for side in sides))
    )


def survey_totals(tallies: dict) -> dict:
    """column -> Cell for the respondents of the whole survey; the same figures wherever shown."""
    counts = _with_all(tallies.get("sides", {}))
    states = suppression.suppress({("t", col): n for col, n in counts.items()}, [_side_line("t")])
    if total_gives_small_sides(counts, {col: states[("t", col)] for col in counts}):
        states[("t", ALL)] = suppression.WITHHELD
    return {col: Cell(n, n, states[("t", col)]) for col, n in counts.items()}


# Kinds where each respondent gives exactly one answer, so a column's rows add up to its respondents.
_ADDITIVE_KINDS = (Question.Kind.SINGLE, Question.Kind.SCALE, Question.Kind.NUMBER)


def _question_cells(question, bases: dict, rows: list[tuple[str, dict]], totals: dict):
    """Suppress one question's table as a whole: its respondents per column, its rows, the sums
    between them, and the survey totals its respondents equal (a required question's do)."""
    counts: dict[Hashable, int] = {("m", col): n for col, n in bases.items()}
    lines = [_side_line("m")]
    for i, (_label, row) in enumerate(rows):
        counts.update({(i, col): n for col, n in row.items()})
        lines.append(_side_line(i))
    if question.kind in _ADDITIVE_KINDS and rows:
        for col in bases:
            lines.append([((i, col), 1) for i in range(len(rows))] + [(("m", col), -1)])
    # The survey totals go in as they are shown, with their own side line: a reader who knows
    # that this question's respondents equal them per side can add the two hidden sides up from
    # the shown total minus those who preferred not to say.
    counts.update({("t", col): cell.count for col, cell in totals.items()})
    lines.append(_side_line("t"))
    lines.extend([(("m", col), 1), (("t", col), -1)] for col in bases if bases[col] == totals[col].count)
    totals_hidden = [("t", col) for col, cell in totals.items() if cell.suppressed]
    totals_shown = [("t", col) for col, cell in totals.items() if not cell.suppressed]
    # A cell the shown totals alone give away protects nothing when hidden: never a complement.
    question_cells: list[Hashable] = [key for key in counts if not (isinstance(key, tuple) and key[0] == "t")]
    known = suppression.derivable([*question_cells, *totals_hidden], lines) - set(totals_hidden)
    states = suppression.suppress(counts, lines, hidden=totals_hidden, shown=[*totals_shown, *known])
    respondents = {col: Cell(n, n, states[("m", col)]) for col, n in bases.items()}
    table = [
        Row(
            label,
            {col: Cell(n, bases[col], states[(i, col)], respondents[col].suppressed) for col, n in row.items()},
        )
        for i, (label, row) in enumerate(rows)
    ]
    return respondents, table


def survey_results(survey, questions: list[Question] | None = None, language: str = "en") -> SurveyResults:
    """Counts, shares and means per question and side: the live responses' tallies plus any
    kept when older responses were deleted under the retention rule."""
    questions = questions if questions is not None else answered_questions(survey)
    tallies = merge_tallies(survey_tallies(survey), survey.kept_tallies or {})
    totals = survey_totals(tallies)
    respondents = tallies.get("respondents", {})
    choice_counts = tallies.get("choices", {})
    number_counts = {
        qid: {int(value): sides for value, sides in values.items()}
        for qid, values in tallies.get("numbers", {}).items()
    }

    results = []
    for question in questions:
        key = str(question.pk)
        bases = _with_all(respondents.get(key, {}))
        rows = []
        if question.is_choice:
            for choice in question.choices.all():
                rows.append((choice.label_in(language), _with_all(choice_counts.get(key, {}).get(str(choice.pk), {}))))
        elif question.is_numeric:
            by_value = number_counts.get(key, {})
            for low, high in _number_bins(question):
                per_side: defaultdict[str, int] = defaultdict(int)
                for value, sides in by_value.items():
                    if low <= value <= high:
                        for side, n in sides.items():
                            per_side[side] += n
                rows.append((_bin_label(low, high), _with_all(per_side)))
        cells, table = _question_cells(question, bases, rows, totals)
        result = QuestionResult(question=question, respondents=cells, rows=table)
        if question.is_numeric:
            # Means from the per-value counts already read: no extra pass over the answers.
            side_sums: defaultdict[str, list[int]] = defaultdict(lambda: [0, 0])
            for value, sides in by_value.items():
                for side, n in sides.items():
                    side_sums[side][0] += value * n
                    side_sums[side][1] += n
            for col, _label in COLUMNS:
                parts = list(side_sums.values()) if col == ALL else [side_sums.get(col, (0, 0))]
                total, n = sum(p[0] for p in parts), sum(p[1] for p in parts)
                # A mean is one more sum over the column: with a hidden count in it, the two
                # together would give that count back.
                hidden = cells[col].suppressed or any(row.cells[col].suppressed for row in table)
                if n < MIN_CELL:
                    result.means[col], result.mean_states[col] = None, suppression.SMALL
                elif hidden:
                    result.means[col], result.mean_states[col] = None, suppression.WITHHELD
                else:
                    result.means[col], result.mean_states[col] = round(total / n, 1), suppression.VISIBLE
        results.append(result)
    return SurveyResults(totals=totals, questions=results)


@dataclass
class ChannelRow:
    channel: str
    label: str
    cells: dict  # column -> Cell


def channel_split(survey) -> list[ChannelRow]:
    """Respondents by how their answers came (online, paper, kiosk) and side, under the same rule
    as every other table: each row's sides add to its "all", each column's channels add to the
    survey's totals (shown or hidden as on the totals). Responses deleted under the retention rule
    kept only their sides, so they form a row of their own. The results page and its CSV read this."""
    tallies = merge_tallies(survey_tallies(survey), survey.kept_tallies or {})
    totals = survey_totals(tallies)
    live: dict[str, dict] = {}
    for channel, side, n in (
        Response.objects.filter(survey=survey).values_list("channel", "side").annotate(n=Count("id")).order_by()
    ):
        live.setdefault(channel, {})[side] = n
    rows = [(value, str(label), _with_all(live.get(value, {}))) for value, label in Channel.choices]
    kept = _with_all((survey.kept_tallies or {}).get("sides", {}))
    if kept[ALL]:
        rows.append(("kept", _("deleted under the retention rule (channel not kept)"), kept))
    counts: dict[Hashable, int] = {}
    lines = []
    for i, (_value, _label, row) in enumerate(rows):
        counts.update({(i, col): n for col, n in row.items()})
        lines.append(_side_line(i))
    counts.update({("t", col): cell.count for col, cell in totals.items()})
    lines.append(_side_line("t"))
    for col in totals:
        lines.append([((i, col), 1) for i in range(len(rows))] + [(("t", col), -1)])
    states = suppression.suppress(
        counts,
        lines,
        hidden=[("t", col) for col, cell in totals.items() if cell.suppressed],
        shown=[("t", col) for col, cell in totals.items() if not cell.suppressed],
    )
    return [
        ChannelRow(value, label, {col: Cell(n, totals[col].count, states[(i, col)]) for col, n in row.items()})
        for i, (value, label, row) in enumerate(rows)
    ]


def channel_rows(split: list[ChannelRow]):
    """The channel table as CSV rows, after the questions (same columns as summary_rows)."""
    for row in split:
        values = []
        for col, _label in COLUMNS:
            cell = row.cells[col]
            values += [cell.display, "" if cell.percent is None else cell.percent]
        yield [_("(respondents by channel)"), row.label, *values]


def text_answers(survey, *, question_id=None, search: str = ""):
    answers = (
        Answer.objects.filter(question__survey=survey, question__kind__in=Question.WRITTEN_KINDS)
        .exclude(text="")
        .select_related("question", "response")
        .order_by("question__position", "question_id", "-response_id")
    )
    if question_id:
        answers = answers.filter(question_id=question_id)
    return listing.search(answers, ("text",), search)


def response_rows(survey, questions: list[Question], language: str = "en"):
    """One row per response (number, side, date, the page's language, one value per question),
    streamed in one query whatever the number of responses. Options in `language`; written
    answers as they were written."""
    labels = {c.pk: c.label_in(language) for q in questions for c in q.choices.all()}
    column = {q.pk: i for i, q in enumerate(questions)}
    side_labels = dict(RespondentSide.choices)
    rows = (
        Response.objects.filter(survey=survey)
        .order_by("id")
        .values_list(
            "id",
            "side",
            "submitted_on",
            "language",
            "answers__question_id",
            "answers__choice_id",
            "answers__number",
            "answers__text",
        )
    )
    current, number = None, 0
    values: list[object] = []
    for rid, side, day, page_language, qid, cid, num, text in rows.iterator(2000):
        if rid != current:
            if current is not None:
                yield values
            current, number = rid, number + 1
            values = [number, str(side_labels.get(side, side)), day.isoformat(), page_language]
            values += [""] * len(questions)
        if qid is None or qid not in column:
            continue
        slot = 4 + column[qid]
        value = labels.get(cid, "") if cid else (str(num) if num is not None else text)
        values[slot] = f"{values[slot]}; {value}" if values[slot] else value
    if current is not None:
        yield values


def summary_rows(results: SurveyResults, language: str = "en"):
    for item in results.questions:
        question = item.question.text_in(language)
        respondents = [c.display for c in item.respondents.values()]
        yield [question, _("(people who answered)"), *[v for n in respondents for v in (n, "")]]
        for row in item.rows:
            values = []
            for col, _label in COLUMNS:
                cell = row.cells[col]
                values += [cell.display, "" if cell.percent is None else cell.percent]
            yield [question, row.label, *values]
        if item.means:
            means = []
            for col, _label in COLUMNS:
                mean = item.means[col]
                means += [item.mean_display(col) if mean is None else mean, ""]
            yield [question, _("(mean)"), *means]


# --- Consultations and needs ------------------------------------------------------------------


def consultation_list(organization):
    return Consultation.objects.for_organization(organization).select_related("assessment")


def need_list(organization):
    return (
        Need.objects.for_organization(organization)
        .select_related("assessment")
        .annotate(
            question_evidence=Count("evidence_questions", distinct=True),
            consultation_evidence=Count("evidence_consultations", distinct=True),
        )
        .order_by("priority", "title")
    )


def initiatives_for_need(organization, need) -> list:
    """Initiatives addressing `need` (step 3), cancelled ones left out."""
    return coverage.addressed_by(organization, need=need).get(need.pk, [])


def need_board(organization):
    """Needs grouped by priority, each with its evidence, how many initiatives address it and the
    first settings.SUMMARY_ROWS of them by title (its page lists them all)."""
    needs = list(coverage.with_coverage(need_list(organization)))
    by_need = coverage.addressed_by(organization, limit=settings.SUMMARY_ROWS)
    counts = coverage.addressed_counts(organization)
    columns: dict[Need.Priority, list[Need]] = {p: [] for p in Need.Priority}
    for need in needs:
        need.addressed_by = by_need.get(need.pk, [])
        need.initiative_count = counts.get(need.pk, 0)
        need.more_initiatives = need.initiative_count - len(need.addressed_by)
        columns[need.priority].append(need)
    return [(priority, columns[priority]) for priority in Need.Priority]


def assessment_overview(assessment, survey):
    """Counts for an assessment's detail page in two queries; the responses by side are the
    results page's totals (the same cells, hidden the same way)."""
    sides = dict(Response.objects.filter(survey=survey).values_list("side").annotate(n=Count("id")))
    responses = survey_totals(merge_tallies({"sides": sides}, survey.kept_tallies or {}))
    other = NeedsAssessment.objects.filter(pk=assessment.pk).aggregate(
        questions=Count("survey__questions", distinct=True),
        consultations=Count("consultations", distinct=True),
        needs=Count("needs", distinct=True),
    )
    return {"responses": responses, **other}


def with_answer_counts(questions):
    """Annotate questions and their options with how many answers use them (builder lock rules).
    Add the kept counts with add_kept_counts: the annotation sees only the live answers."""
    return questions.annotate(answer_count=Count("answers__response", distinct=True)).prefetch_related(
        Prefetch("choices", queryset=Choice.objects.order_by("position", "id").annotate(answer_count=Count("answers")))
    )


def _kept_question_count(kept: dict, question_id) -> int:
    return sum(kept.get("respondents", {}).get(str(question_id), {}).values())


def _kept_choice_count(kept: dict, question_id, choice_id) -> int:
    return sum(kept.get("choices", {}).get(str(question_id), {}).get(str(choice_id), {}).values())


def add_kept_counts(questions, kept: dict):
    """Add to each annotated question and option the answers deleted under the retention rule: their
    tallies still make the results, so they lock the question as live answers do."""
    for question in questions:
        question.answer_count += _kept_question_count(kept, question.pk)
        for choice in question.choices.all():
            choice.answer_count += _kept_choice_count(kept, question.pk, choice.pk)
    return questions


def question_answer_count(question: Question) -> int:
    """How many responses answered the question, those whose tallies were kept under the retention
    rule included. Any answer locks the question's kind, range and chosen options, and deleting it
    needs this number confirmed (services.question_update, question_delete, the admin)."""
    live = question.answers.values("response_id").distinct().count()
    kept = Survey.objects.filter(pk=question.survey_id).values_list("kept_tallies", flat=True).first() or {}
    return live + _kept_question_count(kept, question.pk)


def choice_answer_count(choice: Choice) -> int:
    """How many answers chose the option, the kept ones included (see question_answer_count)."""
    kept = Survey.objects.filter(questions__choices=choice).values_list("kept_tallies", flat=True).first() or {}
    return choice.answers.count() + _kept_choice_count(kept, choice.question_id, choice.pk)


KIOSK_HOURS = 24  # a kiosk forgotten on a tablet stops taking answers the next day


def active_kiosk(token: str):
    """The running kiosk behind a kiosk link (not ended, started less than KIOSK_HOURS ago), or None."""
    since = timezone.now() - timedelta(hours=KIOSK_HOURS)
    return (
        Kiosk.objects.filter(
            token_hash=hashlib.sha256(token.encode()).hexdigest(), ended_at=None, started_at__gte=since
        )
        .select_related("survey", "started_by")
        .first()
    )


def running_kiosks(survey):
    since = timezone.now() - timedelta(hours=KIOSK_HOURS)
    return list(survey.kiosks.filter(ended_at=None, started_at__gte=since).select_related("started_by"))
