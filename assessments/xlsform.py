"""Surveys from and to XLSForm (the spreadsheet standard of ODK and KoBoToolbox).

Reading never writes: `read_xlsform` turns a workbook into a Plan, what the survey can hold (each
question with the sheet row it came from) and what it cannot, by row and type, so the person
importing sees both before `plan_import` saves anything. `export_xlsform` writes any survey back
as survey, choices and settings sheets that pyxform converts.
"""

import io
import re
import zipfile
from dataclasses import asdict, dataclass, field

from babel import Locale, UnknownLocaleError
from django.db import transaction
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext, pgettext, pgettext_lazy
from openpyxl import Workbook, load_workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from assessments import services
from assessments.languages import DEFAULT_LANGUAGE, LANGUAGES
from assessments.models import NeedsAssessment, Question, Survey
from integration_hub import jobs
from integration_hub.models import BackgroundJob

MAX_FILE_BYTES = 5 * 1024 * 1024
# Unpacked, a small .xlsx can be huge (a "zip bomb"); real questionnaires are far below this.
MAX_UNPACKED_BYTES = 60 * 1024 * 1024
MAX_SURVEY_ROWS = 2000
MAX_CHOICE_ROWS = 20000
# Sheets saved by some tools claim thousands of empty columns; nothing real lies past these.
MAX_COLUMNS = 200
TEXT_MAX = 500
OPTION_MAX = 200
# An imported integer question without bounds in its constraint accepts this range.
DEFAULT_NUMBER_RANGE = (0, 1_000_000)

_TRUE = {"yes", "true", "true()", "1", "y"}
_FALSE = {"", "no", "false", "false()", "0", "n"}
_SELECT = re.compile(
    r"^(select_one|select one|select_multiple|select multiple)(?:\s+from)?\s+(\S+)(?:\s+(or_other|or specify other))?$",
    re.IGNORECASE,
)
_LANGUAGE_COLUMN = re.compile(r"^(label|hint)\s*(?::+\s*(.*))?$")
_BOUND = re.compile(r"^\s*\.\s*(>=|<=|>|<)\s*(-?\d+)\s*$")
# Information about the device or the person answering: the survey is anonymous by design.
_METADATA = {
    "start",
    "end",
    "today",
    "deviceid",
    "phonenumber",
    "phone number",
    "username",
    "email",
    "simserial",
    "subscriberid",
    "audit",
    "start-geopoint",
    "imei",
    "uri:deviceid",
}
# Columns holding behaviour the survey cannot reproduce: kept silently they would change meaning.
_LOGIC_COLUMNS = {
    "relevant": gettext_lazy("a condition for when it is asked"),
    "constraint": gettext_lazy("a rule for valid answers"),
    "calculation": gettext_lazy("a calculation"),
    "choice_filter": gettext_lazy("a filter on its options"),
    "default": gettext_lazy("a default answer"),
    "read_only": gettext_lazy("a read-only setting"),
    "trigger": gettext_lazy("a trigger"),
    "repeat_count": gettext_lazy("a repeat count"),
}


class XLSFormError(Exception):
    """The file cannot be read as an XLSForm at all; the message says why, for the person importing."""


@dataclass
class Notice:
    """One row, or part of a row, the survey cannot hold."""

    row: int
    type: str
    reason: str
    sheet: str = "survey"


@dataclass
class PlannedQuestion:
    row: int
    type: str
    kind: str
    text: dict
    help_text: dict = field(default_factory=dict)
    required: bool = False
    min_value: int = 0
    max_value: int = 100
    choices: list[dict] = field(default_factory=list)


@dataclass
class Plan:
    questions: list[PlannedQuestion] = field(default_factory=list)
    notices: list[Notice] = field(default_factory=list)
    languages: list[str] = field(default_factory=list)  # survey language codes found in the labels

    @property
    def asked(self) -> list[PlannedQuestion]:
        return [q for q in self.questions if q.kind not in Question.DISPLAY_KINDS]

    def as_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> "Plan":
        return cls(
            questions=[PlannedQuestion(**q) for q in data.get("questions", [])],
            notices=[Notice(**n) for n in data.get("notices", [])],
            languages=list(data.get("languages", [])),
        )


# --- Languages ---------------------------------------------------------------------------------


def _language_names(code: str, native: str) -> set[str]:
    names = {code.lower(), native.lower()}
    try:
        locale = Locale.parse(code.replace("-", "_"))
    except (ValueError, UnknownLocaleError):
        return names
    for name in (locale.get_display_name("en"), locale.get_display_name(code.replace("-", "_")), locale.english_name):
        if name:
            names.add(name.lower())
    return names


def language_code(spec: str | None) -> str | None:
    """The survey language an XLSForm language spelling means ("English (en)", "english", "EN",
    "Español (es)", "es"), or None. Read from languages.LANGUAGES, so a language added
    there is understood here too: by its code, its own name or its English name."""
    spec = " ".join((spec or "").split()).lower()
    if not spec:
        return None
    in_brackets = re.search(r"\(([^()]+)\)\s*$", spec)
    candidates = [in_brackets.group(1).strip(), spec[: in_brackets.start()].strip()] if in_brackets else [spec]
    for candidate in candidates:
        for language in LANGUAGES:
            if candidate == language.code.lower() or candidate in _language_names(language.code, language.name):
                return language.code
    return None


def _english_name(code: str) -> str:
    try:
        return Locale.parse(code.replace("-", "_")).get_display_name("en") or code
    except (ValueError, UnknownLocaleError):
        return next((str(language.english_name) for language in LANGUAGES if language.code == code), code)


# --- Reading -----------------------------------------------------------------------------------


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return " ".join(str(value).split()) if not isinstance(value, str) else value.strip()


def check_archive(data: bytes) -> None:
    """What the request checks before it queues the import (cheap: the zip's directory, not its
    sheets). Raises XLSFormError."""
    if len(data) > MAX_FILE_BYTES:
        raise XLSFormError(_("The file is %(size).1f MB; the limit is 5 MB.") % {"size": len(data) / 1024 / 1024})
    if not data:
        raise XLSFormError(_("The file is empty."))
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, ValueError, OSError):
        raise XLSFormError(
            _("This is not an .xlsx file. Save the form from your spreadsheet program as “Excel Workbook (.xlsx)”.")
        ) from None
    if unpacked > MAX_UNPACKED_BYTES:
        raise XLSFormError(_("The workbook is too large once unpacked to be a questionnaire."))


def _open(data: bytes):
    check_archive(data)
    try:
        return load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds on a damaged or foreign archive
        raise XLSFormError(
            _("This file could not be read as an .xlsx workbook. Open it in a spreadsheet program and save it again.")
        ) from None


def _sheet(workbook, name: str):
    for sheet in workbook.worksheets:
        if sheet.title.strip().lower() == name:
            return sheet
    return None


def _rows(sheet, limit: int, what: str) -> tuple[list[str], list[tuple[int, dict]], dict]:
    """The header (lower case) and the non-empty rows below it as {header: text}, with sheet row numbers.
    Third, the header as written, to name a language as the form does."""
    spelled = {}
    if sheet is None:
        return [], [], spelled
    header, rows = None, []
    for number, values in enumerate(sheet.iter_rows(max_col=MAX_COLUMNS, values_only=True), start=1):
        cells = [_cell(v) for v in values]
        if header is None:
            if any(cells):
                header = [c.lower() for c in cells]
                spelled.update(zip(header, cells, strict=True))
            continue
        if not any(cells):
            continue
        if len(rows) >= limit:
            raise XLSFormError(
                _("The %(sheet)s sheet has more than %(n)d rows; split the form into smaller ones.")
                % {"sheet": what, "n": limit}
            )
        rows.append((number, {h: c for h, c in zip(header, cells, strict=False) if h and c}))
    return header or [], rows, spelled


def _language_columns(header: list[str], spelled: dict, default_code: str):
    """{column: (label|hint, code)} for the columns of languages the survey has, and those it has not."""
    kept, foreign = {}, []
    for column in header:
        match = _LANGUAGE_COLUMN.match(column)
        if not match:
            continue
        part, spec = match.group(1), (match.group(2) or "").strip()
        original = spelled.get(column, column)
        shown = re.split(r":+", original, maxsplit=1)[1].strip() if ":" in original else spec
        code = language_code(spec) if spec else default_code
        if code:
            kept[column] = (part, code)
        elif spec and shown not in foreign:
            foreign.append(shown)
    return kept, foreign


def _texts(row: dict, columns: dict, part: str, limit: int) -> dict:
    texts = {}
    for column, (kind, code) in columns.items():
        value = row.get(column, "")
        if kind == part and value and code not in texts:
            texts[code] = value[:limit]
    return texts


def _with_english(texts: dict, fallback: str) -> dict:
    """English is every survey's base language: a form without it lends its own first language."""
    if texts and DEFAULT_LANGUAGE not in texts:
        texts = {DEFAULT_LANGUAGE: texts.get(fallback) or next(iter(texts.values())), **texts}
    return texts


def _flag(value: str) -> bool | None:
    value = value.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    return None


def _parameters(text: str) -> dict:
    pairs = re.split(r"[\s,;]+", text.strip())
    return dict(p.split("=", 1) for p in pairs if "=" in p)


def _number(text: str | None):
    try:
        value = float(text)
    except (TypeError, ValueError):
        return None
    return int(value) if value.is_integer() else value


def _bounds(constraint: str) -> tuple[int | None, int | None] | None:
    """(low, high) from a constraint made only of comparisons with whole numbers (". >= 0 and . <= 120"),
    else None: anything else is a rule the survey cannot hold."""
    low = high = None
    for part in re.split(r"\s+and\s+", constraint.strip()):
        match = _BOUND.match(part)
        if not match:
            return None
        op, value = match.group(1), int(match.group(2))
        if op in (">=", ">"):
            low = value + (op == ">")
        else:
            high = value - (op == "<")
    return low, high


def _translated(message: str, codes: list[str]) -> dict:
    """`message` (one of _ADDED) in each survey language that has a translation of it (English always)."""
    texts = {}
    for code in [DEFAULT_LANGUAGE, *codes]:
        with translation.override(code):
            text = pgettext("words an imported survey gains", message)
        if code == DEFAULT_LANGUAGE or text != message:
            texts[code] = text
    return texts


# Marked for translation here, looked up in each survey language by _translated.
_ADDED = (
    pgettext_lazy("words an imported survey gains", "Other"),
    pgettext_lazy("words an imported survey gains", "If you chose “Other”, which?"),
)


def read_xlsform(data: bytes) -> Plan:
    """What the workbook's survey can and cannot hold. Raises XLSFormError when it is no XLSForm."""
    workbook = _open(data)
    try:
        return _read(workbook)
    finally:
        workbook.close()


def _read(workbook) -> Plan:
    plan = Plan()
    survey_sheet = _sheet(workbook, "survey")
    if survey_sheet is None:
        raise XLSFormError(_("The workbook has no sheet named “survey”, so it is not an XLSForm."))
    header, rows, spelled = _rows(survey_sheet, MAX_SURVEY_ROWS, "survey")
    if not header:
        raise XLSFormError(_("The survey sheet is empty."))
    if "type" not in header:
        raise XLSFormError(_("The survey sheet has no “type” column, so it is not an XLSForm."))
    if not rows:
        raise XLSFormError(_("The survey sheet has no questions."))

    for sheet in workbook.worksheets:
        if sheet.title.strip().lower() not in ("survey", "choices", "settings"):
            plan.notices.append(Notice(1, sheet.title, _("this sheet is not kept"), sheet=sheet.title))
    _settings_header, settings, _spelled = _rows(_sheet(workbook, "settings"), 10, "settings")
    default_spec = settings[0][1].get("default_language", "") if settings else ""
    default_code = language_code(default_spec) or DEFAULT_LANGUAGE
    columns, foreign = _language_columns(header, spelled, default_code)
    for spec in foreign:
        plan.notices.append(
            Notice(
                1,
                "label",
                _("Texts in “%(language)s” are not kept: the survey has no such language.") % {"language": spec},
            )
        )
    choices_header, choice_rows, choices_spelled = _rows(_sheet(workbook, "choices"), MAX_CHOICE_ROWS, "choices")
    choice_columns, choice_foreign = _language_columns(choices_header, choices_spelled, default_code)
    for spec in choice_foreign:
        if spec not in foreign:
            plan.notices.append(
                Notice(
                    1,
                    "label",
                    _("Texts in “%(language)s” are not kept: the survey has no such language.") % {"language": spec},
                    sheet="choices",
                )
            )
    languages = sorted({code for _p, code in [*columns.values(), *choice_columns.values()]})
    lists = _choice_lists(choice_rows, choice_columns, default_code, plan)
    if not any(part == "label" for part, _c in columns.values()):
        raise XLSFormError(_("The survey sheet has no “label” column, so its questions have no wording."))

    names: dict[str, int] = {}
    skipping: list[str] = []  # open begin/end blocks the survey cannot hold ("repeat"), or holds ("group")
    used = set()
    for number, row in rows:
        kind_text = " ".join(row.get("type", "").split())
        kind = kind_text.lower()
        if not kind:
            continue
        name = row.get("name", "")
        block = re.match(r"^(begin|end)[ _](group|repeat)$", kind)
        if block and block.group(1) == "end":
            if skipping:
                skipping.pop()
            continue
        inside_repeat = "repeat" in skipping
        if block:
            skipping.append(block.group(2))
        if inside_repeat:
            plan.notices.append(Notice(number, kind_text, _("inside a repeat, which the survey cannot hold")))
            continue
        if block and block.group(2) == "repeat":
            plan.notices.append(
                Notice(number, kind_text, _("a repeat (a set of questions asked again and again) cannot be held"))
            )
            continue
        if name:
            if name in names:
                plan.notices.append(
                    Notice(
                        number,
                        kind_text,
                        _("the name “%(name)s” is already used on row %(row)d; this row is left out")
                        % {"name": name, "row": names[name]},
                    )
                )
                continue
            names[name] = number
        text = _with_english(_texts(row, columns, "label", TEXT_MAX), default_code)
        help_text = _with_english(_texts(row, columns, "hint", TEXT_MAX), default_code)
        planned = _question(number, kind_text, kind, row, text, help_text, lists, languages, plan)
        if planned is None:
            continue
        for question in planned:
            used.update(question.text)
        plan.questions.extend(planned)
        for column, what in _LOGIC_COLUMNS.items():
            if row.get(column) and not (
                column == "constraint" and planned[0].kind == Question.Kind.NUMBER and _bounds(row[column])
            ):
                plan.notices.append(
                    Notice(
                        number,
                        kind_text,
                        _("imported, but %(what)s (%(column)s) is not kept") % {"what": what, "column": column},
                    )
                )
        required = _flag(row.get("required", ""))
        if required is None:
            plan.notices.append(
                Notice(number, kind_text, _("imported as optional: its condition for being required is not kept"))
            )
        media = sorted(c for c in row if c.startswith(("media", "image", "audio", "video", "big-image")))
        if media:
            plan.notices.append(Notice(number, kind_text, _("imported, but its pictures or sounds are not kept")))
    plan.languages = [code for code in languages if code in used] or [DEFAULT_LANGUAGE]
    return plan


def _choice_lists(rows, columns, default_code, plan: Plan) -> dict[str, list[dict]]:
    lists: dict[str, list[dict]] = {}
    seen: dict[tuple[str, str], int] = {}
    for number, row in rows:
        list_name = row.get("list_name") or row.get("list name") or ""
        if not list_name:
            continue
        name = row.get("name", "")
        if (list_name, name) in seen:
            plan.notices.append(
                Notice(
                    number,
                    list_name,
                    _("the option name “%(name)s” is already used in this list on row %(row)d; this row is left out")
                    % {"name": name, "row": seen[(list_name, name)]},
                    sheet="choices",
                )
            )
            continue
        seen[(list_name, name)] = number
        label = _with_english(_texts(row, columns, "label", OPTION_MAX), default_code)
        if not label.get(DEFAULT_LANGUAGE):
            label = {DEFAULT_LANGUAGE: name[:OPTION_MAX]} if name else {}
        if label:
            lists.setdefault(list_name, []).append({"label": label, "row": number})
    return lists


def _question(number, kind_text, kind, row, text, help_text, lists, languages, plan) -> list[PlannedQuestion] | None:
    """The question(s) one survey row becomes, or None with a notice saying why it cannot be held."""

    def skip(reason):
        plan.notices.append(Notice(number, kind_text, reason))

    required = bool(_flag(row.get("required", "")))
    made = PlannedQuestion(row=number, type=kind_text, kind="", text=text, help_text=help_text, required=required)
    if kind in ("begin group", "begin_group"):
        made.kind, made.required, made.help_text = Question.Kind.SECTION, False, help_text
        made.text = text or {DEFAULT_LANGUAGE: row.get("name") or _("Section")}
        return [made]
    if kind in _METADATA:
        skip(_("information about the device or the person answering is never collected: answers stay anonymous"))
        return None
    elif kind in ("calculate", "hidden"):
        skip(_("a calculation cannot be held"))
        return None
    elif kind in ("geopoint", "geotrace", "geoshape", "osm") or kind.startswith("osm "):
        skip(_("a location cannot be asked: answers stay anonymous"))
        return None
    elif kind in ("image", "audio", "video", "file", "background-audio", "barcode", "signature"):
        skip(_("photos, sounds, files and codes cannot be collected"))
        return None
    if not text.get(DEFAULT_LANGUAGE):
        skip(_("it has no label, so there is no wording to show"))
        return None
    # The list's name keeps its case: list names are case-sensitive in XLSForm.
    select = _SELECT.match(kind_text)
    if select:
        list_name = select.group(2)
        options = lists.get(list_name, [])
        if not options:
            skip(_("its list of options “%(list)s” is not on the choices sheet") % {"list": list_name})
            return None
        made.kind = Question.Kind.SINGLE if "one" in select.group(1).lower() else Question.Kind.MULTIPLE
        made.choices = [{"label": option["label"]} for option in options]
        extra = []
        if select.group(3):
            # XLSForm's "or other" adds an option and asks, only then, which: here the follow-up is
            # an optional question shown to everyone, since the survey has no conditions.
            made.choices.append({"label": _translated("Other", languages)})
            extra.append(
                PlannedQuestion(
                    row=number,
                    type=kind_text,
                    kind=Question.Kind.SHORT_TEXT,
                    required=False,
                    text=_translated("If you chose “Other”, which?", languages),
                )
            )
            plan.notices.append(
                Notice(
                    number,
                    kind_text,
                    _("imported with an “Other” option and an optional question asking which, shown to everyone"),
                )
            )
        if len(made.choices) < 2:
            skip(_("a choice question needs at least two options"))
            return None
        return [made, *extra]
    if kind == "text":
        multiline = "multiline" in row.get("appearance", "").lower()
        made.kind = Question.Kind.LONG_TEXT if multiline else Question.Kind.SHORT_TEXT
    elif kind in ("integer", "int"):
        made.kind = Question.Kind.NUMBER
        made.min_value, made.max_value = DEFAULT_NUMBER_RANGE
        bounds = _bounds(row["constraint"]) if row.get("constraint") else None
        if bounds:
            low, high = bounds
            made.min_value = low if low is not None else min(DEFAULT_NUMBER_RANGE[0], high)
            made.max_value = high if high is not None else max(DEFAULT_NUMBER_RANGE[1], low)
            if made.max_value < made.min_value:
                skip(_("its constraint allows no number at all"))
                return None
    elif kind == "decimal":
        made.kind = Question.Kind.DECIMAL
    elif kind == "date":
        made.kind = Question.Kind.DATE
    elif kind == "note":
        made.kind, made.required = Question.Kind.NOTE, False
    elif kind == "range":
        parameters = _parameters(row.get("parameters", ""))
        start, end, step = (_number(parameters.get(k, d)) for k, d in (("start", "1"), ("end", "10"), ("step", "1")))
        if None in (start, end, step) or step == 0:
            skip(_("its range parameters (start, end, step) are not numbers"))
            return None
        low, high = sorted((start, end))
        if (low, high, step) == (1, 5, 1):
            made.kind = Question.Kind.SCALE
        elif all(isinstance(v, int) for v in (low, high, step)):
            made.kind, made.min_value, made.max_value = Question.Kind.NUMBER, low, high
            if step != 1:
                plan.notices.append(
                    Notice(
                        number,
                        kind_text,
                        _("imported as a number from %(low)d to %(high)d; its step of %(step)d is not kept")
                        % {"low": low, "high": high, "step": step},
                    )
                )
        else:
            made.kind = Question.Kind.DECIMAL
            plan.notices.append(
                Notice(
                    number,
                    kind_text,
                    _("imported as a decimal number; its range %(low)s to %(high)s is not kept")
                    % {"low": low, "high": high},
                )
            )
    else:
        skip(_("this kind of question cannot be held"))
        return None
    return [made]


# --- Saving ------------------------------------------------------------------------------------


@transaction.atomic
def plan_import(*, survey: Survey, plan: Plan, progress=None) -> list[Question]:
    """Add the plan's questions after the survey's own, all or nothing; the survey is then offered
    in the languages the form was written in, too."""
    created = []
    services.survey_set_languages(survey=survey, codes=[*survey.languages, *plan.languages])
    for planned in plan.questions:
        data = services.QuestionData(
            kind=planned.kind,
            text=planned.text,
            help_text=planned.help_text,
            required=planned.required,
            min_value=planned.min_value,
            max_value=planned.max_value,
            choices=[services.ChoiceEdit(label=choice["label"]) for choice in planned.choices],
        )
        created.append(services.question_create(survey=survey, data=data))
        if progress and len(created) % 50 == 0:
            progress(len(created), len(plan.questions))
    return created


def import_file(*, survey: Survey, data: bytes) -> tuple[Plan, list[Question]]:
    """Read and save in one go (the management command: the person has chosen to import the rest)."""
    plan = read_xlsform(data)
    return plan, plan_import(survey=survey, plan=plan)


READ_JOB = "assessments.xlsform_read"
IMPORT_JOB = "assessments.xlsform_import"


def _notice_items(notices: list[Notice]) -> list[str]:
    return [
        _("Sheet “%(sheet)s”, row %(row)d (%(type)s): %(reason)s")
        % {"sheet": n.sheet, "row": n.row, "type": n.type, "reason": n.reason}
        for n in notices
    ]


def _language_shown(language) -> str:
    named = str(language.english_name)  # in the interface's language
    return language.name if named == language.name else f"{language.name} ({named})"


def _preview(plan: Plan) -> list[dict]:
    """What the job page lists before the choice: the questions by number, text and kind, the
    form's languages, and the rows that cannot be held."""
    kinds = dict(Question.Kind.choices)
    language = translation.get_language() or DEFAULT_LANGUAGE  # the job's: the uploader's
    preview = [
        {
            "title": _("These questions will be added after the survey’s own:"),
            "items": [
                _("%(n)d. %(text)s (%(kind)s)")
                % {
                    "n": n,
                    "text": q.text.get(language) or q.text.get(DEFAULT_LANGUAGE, ""),
                    "kind": kinds.get(q.kind, q.kind),
                }
                for n, q in enumerate(plan.questions, start=1)
            ],
        },
        {
            "title": _("Languages of the form:"),
            "items": [_language_shown(lang) for lang in LANGUAGES if lang.code in plan.languages],
        },
    ]
    if plan.notices:
        preview.append(
            {
                "title": _("These rows or parts cannot be held by the survey and will be left out:"),
                "items": _notice_items(plan.notices),
            }
        )
    return preview


def _assessment_of(job) -> NeedsAssessment:
    return NeedsAssessment.objects.for_organization(job.organization).get(pk=job.params["assessment"])


def _read_or_refuse(data: bytes, retry_url: str) -> Plan:
    try:
        plan = read_xlsform(data)
    except XLSFormError as error:
        raise jobs.JobRefused([str(error)], retry_url=retry_url) from None
    if not plan.questions:
        raise jobs.JobRefused(
            [_("None of its rows can be held by the survey, so there is nothing to import.")],
            [{"title": _("These rows or parts cannot be held by the survey:"), "items": _notice_items(plan.notices)}]
            if plan.notices
            else [],
            retry_url=retry_url,
        )
    return plan


def xlsform_read_job(job, progress) -> jobs.JobOutcome:
    """The background job's run after an upload: the workbook read into a plan and a preview,
    nothing written to the survey; the person then confirms (xlsform_import_confirm) or cancels.
    A file that is no XLSForm, or holds nothing the survey can, is refused."""
    assessment = _assessment_of(job)
    plan = _read_or_refuse(bytes(job.upload), reverse("assessments:survey_import", args=[assessment.pk]))
    n = len(plan.questions)
    return jobs.JobOutcome(
        summary=ngettext(
            "%(n)d question can be imported; nothing is added to the survey until you confirm.",
            "%(n)d questions can be imported; nothing is added to the survey until you confirm.",
            n,
        )
        % {"n": n},
        details=_preview(plan),
        confirm_url=reverse("assessments:survey_import_choice", args=[assessment.pk, job.pk]),
        confirm_label=ngettext("Import %(n)d question", "Import %(n)d questions", n) % {"n": n},
        data={"plan": plan.as_dict()},
    )


def read_job_for(assessment: NeedsAssessment, job_id: int):
    """The preview job of this assessment (its organisation's, its kind), or None."""
    return (
        BackgroundJob.objects.for_organization(assessment.organization)
        .filter(pk=job_id, kind=READ_JOB, params__assessment=assessment.pk)
        .first()
    )


def xlsform_import_confirm(*, assessment: NeedsAssessment, read_job, user) -> tuple[int, bool]:
    """The yes to a preview: the import job is created once, pointing at the preview's plan.
    Returns (import job id, created now); raises jobs.NotAwaiting. The caller enqueues it."""

    def start_import(locked):
        return jobs.job_create(
            organization=assessment.organization,
            kind=IMPORT_JOB,
            created_by=user,
            upload_name=locked.upload_name,
            params={"assessment": assessment.pk, "read_job": locked.pk},
        )

    return jobs.job_confirm(job=read_job, start_next=start_import)


def xlsform_import_job(job, progress) -> jobs.JobOutcome:
    """The background job's run after the yes: the plan the preview showed (not a new reading of
    the file) added after the survey's questions as they are now, in the job's transaction, all
    or nothing. A job queued before previews existed reads its own upload."""
    assessment = _assessment_of(job)
    retry_url = reverse("assessments:survey_import", args=[assessment.pk])
    if "read_job" in job.params:
        read = read_job_for(assessment, job.params["read_job"])
        stored = read.result.get("data", {}).get("plan") if read else None
        if not stored:
            raise jobs.JobRefused(
                [_("The preview of this file is no longer kept; upload it again.")], retry_url=retry_url
            )
        plan = Plan.from_dict(stored)
    else:
        plan = _read_or_refuse(bytes(job.upload), retry_url)
    not_held = (
        [
            {
                "title": _("These rows or parts cannot be held by the survey and were left out:"),
                "items": _notice_items(plan.notices),
            }
        ]
        if plan.notices
        else []
    )
    total = len(plan.questions)
    progress(0, total)
    created = plan_import(survey=services.survey_for(assessment), plan=plan, progress=progress)
    return jobs.JobOutcome(
        summary=ngettext("%(n)d question was imported.", "%(n)d questions were imported.", len(created))
        % {"n": len(created)},
        details=not_held,
        link_url=reverse("assessments:survey_builder", args=[assessment.pk]),
        link_label=_("See the survey"),
    )


# --- Writing -----------------------------------------------------------------------------------


def _safe(text: str) -> str:
    # "${name}" is a reference in XLSForm; a survey's own words never mean one. Control characters
    # cannot be stored in a workbook at all.
    return ILLEGAL_CHARACTERS_RE.sub("", text or "").replace("${", "$ {")


def _column(part: str, code: str) -> str:
    return f"{part}::{_english_name(code)} ({code})"


def survey_languages(survey: Survey, questions: list[Question]) -> list[str]:
    """The survey languages its questions and options are written in, English first."""
    used = {DEFAULT_LANGUAGE}
    for question in questions:
        used.update(code for code, text in {**question.text, **question.help_text}.items() if text)
        for choice in question.choices.all():
            used.update(code for code, text in choice.label.items() if text)
    return [language.code for language in LANGUAGES if language.code in used]


def export_xlsform(survey: Survey) -> bytes:
    """The survey as an XLSForm: survey, choices and settings sheets, one label column per language."""
    questions = list(survey.questions.prefetch_related("choices").order_by("position", "id"))
    codes = survey_languages(survey, questions)
    book = Workbook()
    sheet = book.active
    sheet.title = "survey"
    header = ["type", "name", *[_column("label", c) for c in codes], *[_column("hint", c) for c in codes]]
    header += ["required", "appearance", "constraint", "parameters"]
    sheet.append(header)
    choices = book.create_sheet("choices")
    choices.append(["list_name", "name", *[_column("label", c) for c in codes]])

    def texts(values: dict) -> list[str]:
        return [_safe(values.get(c, "")) for c in codes]

    in_section = False
    for number, question in enumerate(questions, start=1):
        name = f"q{number}"
        kind = question.kind
        appearance = constraint = parameters = ""
        required = "yes" if question.required and not question.is_display else ""
        label = texts(question.text)
        if not label[0]:
            label[0] = name
        if kind == Question.Kind.SECTION:
            if in_section:
                sheet.append(["end group"])
            sheet.append(["begin group", name, *label, *texts(question.help_text)])
            in_section = True
            continue
        if question.is_choice:
            list_name = f"{name}_options"
            xls_type = f"{'select_one' if kind == Question.Kind.SINGLE else 'select_multiple'} {list_name}"
            for index, choice in enumerate(question.choices.all(), start=1):
                option = texts(choice.label)
                choices.append([list_name, f"o{index}", *(option if option[0] else [f"o{index}", *option[1:]])])
        elif kind == Question.Kind.SCALE:
            xls_type, parameters = "range", "start=1 end=5 step=1"
        elif kind == Question.Kind.NUMBER:
            xls_type, constraint = "integer", f". >= {question.min_value} and . <= {question.max_value}"
        elif kind == Question.Kind.LONG_TEXT:
            xls_type, appearance = "text", "multiline"
        else:
            xls_type = {
                Question.Kind.SHORT_TEXT: "text",
                Question.Kind.DECIMAL: "decimal",
                Question.Kind.DATE: "date",
                Question.Kind.NOTE: "note",
            }[kind]
        sheet.append([xls_type, name, *label, *texts(question.help_text), required, appearance, constraint, parameters])
    if in_section:
        sheet.append(["end group"])
    settings = book.create_sheet("settings")
    settings.append(["form_title", "form_id", "version", "default_language"])
    settings.append(
        [
            _safe(survey.title_in(DEFAULT_LANGUAGE)),
            f"assessment_{survey.assessment_id}",
            str(survey.structure_version),
            f"{_english_name(DEFAULT_LANGUAGE)} ({DEFAULT_LANGUAGE})",
        ]
    )
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
