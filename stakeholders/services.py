"""Writes for step 2: stakeholders (with their stance history), commitments and the CSV import."""

import functools
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from integration_hub import jobs
from integration_hub.choices import CommunitySide
from integration_hub.inputs import CsvProblem, csv_records, header_key, header_names
from integration_hub.listing import csv_unguard
from stakeholders.models import Commitment, Stakeholder, StanceChange

STAKEHOLDER_FIELDS = (
    "name", "role_title", "affiliation", "sector", "influence", "stance", "speaks_for",
    "email", "phone", "tags", "notes",
)  # fmt: skip


def _record_stance(*, stakeholder: Stakeholder, old_stance: int | None, changed_by, changed_at=None) -> StanceChange:
    return StanceChange.objects.create(
        stakeholder=stakeholder,
        old_stance=old_stance,
        new_stance=stakeholder.stance,
        changed_by=changed_by,
        changed_at=changed_at or timezone.now(),
    )


@transaction.atomic
def stakeholder_create(*, organization, created_by, **fields) -> Stakeholder:
    """Create a stakeholder and record their first stance in the history."""
    stakeholder = Stakeholder(organization=organization, **fields)
    stakeholder.full_clean()
    stakeholder.save()
    _record_stance(stakeholder=stakeholder, old_stance=None, changed_by=created_by)
    return stakeholder


@transaction.atomic
def stakeholder_update(*, stakeholder: Stakeholder, changed_by, **fields) -> Stakeholder:
    """Save changed fields; a change of stance is recorded with who made it.

    The previous stance is read from the database under a row lock, because a
    bound ModelForm has already written the new value onto the instance.
    """
    previous = Stakeholder.objects.select_for_update().values_list("stance", flat=True).get(pk=stakeholder.pk)
    for name, value in fields.items():
        setattr(stakeholder, name, value)
    stakeholder.full_clean()
    stakeholder.save()
    if stakeholder.stance != previous:
        _record_stance(stakeholder=stakeholder, old_stance=previous, changed_by=changed_by)
    return stakeholder


def commitment_create(*, stakeholder: Stakeholder, promise: str, **fields) -> Commitment:
    """Record a commitment a stakeholder made (other apps call this, e.g. an endorsed plan)."""
    commitment = Commitment(stakeholder=stakeholder, promise=promise, **fields)
    commitment.full_clean()
    commitment.save()
    return commitment


@transaction.atomic
def commitment_set_status(*, commitment: Commitment, status: str, evidence: str = "") -> Commitment:
    """Mark a commitment kept, broken, dropped or open again; an evidence note is appended."""
    if status not in Commitment.Status.values:
        raise ValidationError(_("Choose a valid status."))
    commitment.status = status
    if evidence.strip():
        commitment.evidence = "\n".join(filter(None, [commitment.evidence.strip(), evidence.strip()]))
    commitment.save(update_fields=["status", "evidence", "updated_at"])
    return commitment


# --- CSV import -----------------------------------------------------------------------------

MAX_IMPORT_BYTES = 5 * 1024 * 1024
MAX_REPORTED_ERRORS = 50
IMPORT_COLUMNS = STAKEHOLDER_FIELDS
REQUIRED_COLUMNS = ("name",)


@functools.cache
def _choice_lookup_cached(column: str, language: str) -> dict[str, object]:
    # Keyed by the column, not by its choices: hashing lazy labels translates each one, which
    # cost a 100 000-row import over a million gettext calls.
    return _choice_lookup(CHOICE_COLUMNS[column][0])


@functools.cache
def _max_lengths() -> dict[str, int]:
    lengths = {}
    for column in STAKEHOLDER_FIELDS:
        max_length = getattr(Stakeholder._meta.get_field(column), "max_length", None)
        if max_length:
            lengths[column] = max_length
    return lengths


def _choice_lookup(choices) -> dict[str, object]:
    """Accept a choice by its stored value or its label in any of the site's languages (an
    export made in Spanish writes Spanish labels), case-insensitively."""
    lookup = {}
    for value, label in choices:
        lookup[str(value).lower()] = value
        for code, _name in settings.LANGUAGES:
            with translation.override(code):
                lookup[str(label).lower()] = value
    return lookup


CHOICE_COLUMNS: dict[str, tuple[list[tuple[Any, Any]], str | int]] = {
    "sector": (Stakeholder.Sector.choices, Stakeholder.Sector.OTHER),
    "influence": (Stakeholder.Influence.choices, Stakeholder.Influence.MEDIUM),
    "stance": (Stakeholder.Stance.choices, Stakeholder.Stance.NEUTRAL),
    "speaks_for": (CommunitySide.choices, CommunitySide.BOTH),
}


@dataclass
class ImportResult:
    created: int = 0
    errors: list[str] = field(default_factory=list)  # the file was refused; nothing saved
    duplicates: list[str] = field(default_factory=list)  # rows skipped, not doubled
    ignored_columns: list[str] = field(default_factory=list)  # e.g. an export's "last engagement"
    more_errors: int = 0

    @property
    def ignored_note(self) -> str:
        if not self.ignored_columns:
            return ""
        names = ", ".join(f"“{c}”" for c in self.ignored_columns)
        return ngettext(
            "The column %(names)s is not one the import reads; it was ignored.",
            "The columns %(names)s are not ones the import reads; they were ignored.",
            len(self.ignored_columns),
        ) % {"names": names}

    @property
    def ok(self) -> bool:
        return not self.errors


def duplicate_key(name: str, affiliation: str) -> tuple[str, str]:
    return (" ".join(name.split()).casefold(), " ".join(affiliation.split()).casefold())


def _read_bytes(upload) -> bytes:
    name = (getattr(upload, "name", "") or "").lower()
    if not name.endswith(".csv"):
        raise ValidationError(_("Please upload a .csv file (in a spreadsheet: File → Save as → CSV)."))
    if upload.size > MAX_IMPORT_BYTES:
        raise ValidationError(
            _("The file is %(size).1f MB; the limit is 5 MB. Split it into smaller files.")
            % {"size": upload.size / 1024 / 1024}
        )
    return upload.read(MAX_IMPORT_BYTES + 1)


def _read_text(upload) -> str:
    return _decode(_read_bytes(upload))


def _decode(raw: bytes) -> str:
    if b"\x00" in raw:
        raise ValidationError(_("This file is not a CSV text file. Save it from your spreadsheet as CSV."))
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ValidationError(_("This file is not a CSV text file. Save it from your spreadsheet as CSV (UTF-8)."))


def _clean_row(row: dict, line: int) -> tuple[dict[str, Any], list[str]]:
    data: dict[str, Any] = {}
    problems: list[str] = []
    language = translation.get_language() or ""
    for column in IMPORT_COLUMNS:
        data[column] = csv_unguard((row.get(column) or "").strip())
    if not data["name"]:
        problems.append(_("line %(line)d: the name is empty.") % {"line": line})
    for column, (choices, default) in CHOICE_COLUMNS.items():
        value = data[column]
        if not value:
            data[column] = default
            continue
        lookup = _choice_lookup_cached(column, language)
        if value.lower() not in lookup:
            allowed = ", ".join(str(label).lower() for _value, label in choices)
            problems.append(
                _("line %(line)d: %(column)s “%(value)s” is not one of: %(allowed)s.")
                % {"line": line, "column": column.replace("_", " "), "value": value, "allowed": allowed}
            )
        else:
            data[column] = lookup[value.lower()]
    if data["email"]:
        try:
            validate_email(data["email"])
        except ValidationError:
            problems.append(
                _("line %(line)d: “%(value)s” is not an email address.") % {"line": line, "value": data["email"]}
            )
    for column, max_length in _max_lengths().items():
        if isinstance(data[column], str) and len(data[column]) > max_length:
            problems.append(
                _("line %(line)d: %(column)s is longer than %(max)d characters.")
                % {"line": line, "column": column.replace("_", " "), "max": max_length}
            )
    return data, problems


def parse_stakeholder_csv(*, organization, upload, progress=None) -> tuple[list[tuple[int, dict]], ImportResult]:
    """Read and validate an uploaded CSV without saving anything.

    Returns the rows to create (with their line numbers) and a result that lists
    every problem by line and every duplicate (of an existing stakeholder or of
    an earlier line) that will be skipped. Raises ValidationError when the file
    as a whole is unusable (not CSV, too big, unknown or missing columns).
    """
    text = _read_text(upload) if not isinstance(upload, bytes) else _decode(upload)
    records = csv_records(text)
    try:
        _line, header = next(records, (1, []))
    except CsvProblem as problem:
        raise ValidationError(_("This file could not be read as CSV: %(error)s") % {"error": problem.message}) from None
    # Headers in English or Spanish (the list export writes them in the page's language).
    aliases = header_names(IMPORT_COLUMNS)
    columns = [aliases.get(header_key(column)) for column in header]
    if not any((column or "").strip() for column in header):
        raise ValidationError(_("The file is empty. Start from the template: its first line names the columns."))
    ignored = [header[i].strip() for i, column in enumerate(columns) if column is None and header[i].strip()]
    missing = [column for column in REQUIRED_COLUMNS if column not in columns]
    if missing:
        raise ValidationError(_("The file has no “name” column; it is required."))

    existing = {
        duplicate_key(name, affiliation): True
        for name, affiliation in Stakeholder.objects.for_organization(organization).values_list("name", "affiliation")
    }
    seen: dict[tuple[str, str], int] = {}
    result, rows = ImportResult(ignored_columns=ignored), []
    total = max(text.count("\n") - 1, 1)
    try:
        for count, (line, record) in enumerate(records, 1):
            if progress and count % 2000 == 0:
                progress(count, total)
            if len(record) > len(columns):
                result.errors.append(_("line %(line)d: more cells than columns.") % {"line": line})
                continue
            row = {column: value for column, value in zip(columns, record, strict=False) if column}
            if not any((value or "").strip() for value in row.values()):
                continue
            data, problems = _clean_row(row, line)
            if problems:
                result.errors.extend(problems)
                continue
            key = duplicate_key(data["name"], data["affiliation"])
            label = f"{data['name']} ({data['affiliation']})" if data["affiliation"] else data["name"]
            if key in existing:
                result.duplicates.append(
                    _("line %(line)d: %(who)s is already in your list; skipped.") % {"line": line, "who": label}
                )
            elif key in seen:
                result.duplicates.append(
                    _("line %(line)d: %(who)s repeats line %(first)d; skipped.")
                    % {"line": line, "who": label, "first": seen[key]}
                )
            else:
                seen[key] = line
                rows.append((line, data))
    except CsvProblem as problem:
        result.errors.append(_("line %(line)d: %(error)s") % {"line": problem.line, "error": problem.message})
    if not rows and not result.errors and not result.duplicates:
        result.errors.append(_("The file has a header but no stakeholders."))
    if len(result.errors) > MAX_REPORTED_ERRORS:
        result.more_errors = len(result.errors) - MAX_REPORTED_ERRORS
        result.errors = result.errors[:MAX_REPORTED_ERRORS]
    return rows, result


def stakeholders_import_check(*, organization, upload) -> bytes:
    """What the request checks before it queues the import (cheap): a .csv of at most 5 MB, text
    in UTF-8 (with or without BOM) or Windows-1252, a header with a "name" column. Raises
    ValidationError; returns the file's bytes for the job."""
    raw = _read_bytes(upload)
    text = _decode(raw)
    header_only = text.split("\n", 1)[0] + "\n"
    parse_stakeholder_csv(organization=organization, upload=header_only.encode("utf-8"))
    return raw


@transaction.atomic
def stakeholders_import(*, organization, upload, imported_by, progress=None) -> ImportResult:
    """Import stakeholders from a CSV upload (a file or its bytes), all or nothing.

    Any bad row refuses the whole file (nothing is saved); duplicates are
    skipped and reported. Each new stakeholder gets its first stance recorded.
    """
    rows, result = parse_stakeholder_csv(organization=organization, upload=upload, progress=progress)
    if not result.ok:
        return result
    stakeholders = Stakeholder.objects.bulk_create(
        [Stakeholder(organization_id=organization.pk, **data) for _line, data in rows], batch_size=2000
    )
    if progress:
        progress(len(rows), len(rows))
    now = timezone.now()
    changed_by = imported_by.pk if imported_by is not None else None
    StanceChange.objects.bulk_create(
        [
            StanceChange(
                stakeholder_id=s.pk, old_stance=None, new_stance=s.stance, changed_by_id=changed_by, changed_at=now
            )
            for s in stakeholders
        ],
        batch_size=2000,
    )
    result.created = len(stakeholders)
    return result


IMPORT_JOB = "stakeholders.import"


def _import_summary(result: ImportResult) -> str:
    text = ngettext("%(n)d stakeholder was imported.", "%(n)d stakeholders were imported.", result.created) % {
        "n": result.created
    }
    if result.duplicates:
        text += " " + ngettext(
            "%(n)d duplicate was skipped.", "%(n)d duplicates were skipped.", len(result.duplicates)
        ) % {"n": len(result.duplicates)}
    return text + (" " + result.ignored_note if result.ignored_note else "")


def _import_details(result: ImportResult, *, refused: bool) -> list[dict]:
    details = []
    if result.duplicates:
        title = (
            _("These rows are duplicates and would be skipped:")
            if refused
            else _("These rows were skipped as duplicates:")
        )
        shown = result.duplicates[:MAX_REPORTED_ERRORS]
        more = len(result.duplicates) - len(shown)
        if more:
            shown = [*shown, ngettext("…and %(n)d more.", "…and %(n)d more.", more) % {"n": more}]
        details.append({"title": title, "items": shown})
    if result.ignored_note and refused:
        details.append({"title": "", "items": [result.ignored_note]})
    return details


def stakeholders_import_job(job, progress) -> jobs.JobOutcome:
    """The background job's run: the whole import in the job's transaction."""
    result = stakeholders_import(
        organization=job.organization, upload=bytes(job.upload), imported_by=job.created_by, progress=progress
    )
    if not result.ok:
        errors = list(result.errors)
        if result.more_errors:
            errors.append(
                ngettext("…and %(n)d more problem.", "…and %(n)d more problems.", result.more_errors)
                % {"n": result.more_errors}
            )
        raise jobs.JobRefused(errors, _import_details(result, refused=True), retry_url=reverse("stakeholders:import"))
    return jobs.JobOutcome(
        summary=_import_summary(result),
        details=_import_details(result, refused=False),
        link_url=reverse("stakeholders:index"),
        link_label=_("See the stakeholders"),
    )


def import_template_rows() -> list[list[str]]:
    return [list(IMPORT_COLUMNS)]
