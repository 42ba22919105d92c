"""An organisation's full export: a zip with one CSV per model, one per many-to-many link, and a code
book. Their data is theirs, in a shape other tools read: JSON columns as JSON, booleans as true/false,
every code named in codebook.csv."""

import csv
import io
import json
import tempfile
import zipfile

from django.apps import apps
from django.contrib.auth import get_user_model
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from integration_hub import jobs
from integration_hub.listing import csv_safe
from integration_hub.steps import OUR_APPS

NEVER_EXPORTED = {"password", "token_hash", "token"}


def exportable_models():
    """Every model of ours whose rows belong to one organisation (it has `for_organization`)."""
    return [
        model
        for model in apps.get_models()
        if model._meta.app_label in OUR_APPS and hasattr(model.objects, "for_organization")
    ]


def _columns(model):
    # File bytes (a background job's upload or made file) are not exported; the job's summary is.
    return [
        f
        for f in model._meta.concrete_fields
        if f.name not in NEVER_EXPORTED and f.get_internal_type() != "BinaryField"
    ]


def _links(model):
    """The model's many-to-many fields whose rows are exported too (both ends are the organisation's)."""
    return [f for f in model._meta.many_to_many if f.remote_field.through._meta.auto_created]


def _file(model, link=None) -> str:
    name = f"{model._meta.app_label}/{model._meta.model_name}"
    return f"{name}_{link.name}.csv" if link else f"{name}.csv"


def cell(field, value) -> str:
    """One CSV cell: JSON as JSON, a boolean as true/false, nothing as empty, text guarded against formulas."""
    if value is None:
        return ""
    if isinstance(field, models.JSONField):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    if isinstance(field, models.BooleanField):
        return "true" if value else "false"
    return csv_safe(value)


def _write(archive, name, header, rows):
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    writer.writerows(rows)
    archive.writestr(name, "\ufeff" + buffer.getvalue())


def _reference(model) -> str:
    if model in exportable_models():
        return _("id of a row in %(file)s") % {"file": _file(model)}
    if model is get_user_model():
        return _("id of a person: user_id in %(file)s") % {"file": "integration_hub/membership.csv"}
    return _("id of a %(name)s (not the organisation's own: not exported)") % {"name": model._meta.verbose_name}


def _kind(field) -> str:
    if field.is_relation:
        return _reference(field.related_model)
    if isinstance(field, models.JSONField):
        return _("JSON")
    if isinstance(field, models.BooleanField):
        return _("true or false")
    if isinstance(field, models.DateTimeField):
        return _("date and time (ISO 8601, UTC)")
    if isinstance(field, models.DateField):
        return _("date (YYYY-MM-DD)")
    if isinstance(field, (models.IntegerField, models.DecimalField, models.FloatField)):
        return _("number")
    return _("text")


def codebook_rows():
    """file, column, meaning, kind, codes: one row per exported column, in the active language."""
    rows = []
    for model in exportable_models():
        for field in _columns(model):
            codes = "; ".join(f"{value} = {label}" for value, label in field.flatchoices) if field.choices else ""
            rows.append([_file(model), field.attname, str(field.verbose_name), _kind(field), codes])
        for link in _links(model):
            for column, target in ((f"{model._meta.model_name}_id", model), ("target_id", link.related_model)):
                rows.append(
                    [
                        _file(model, link),
                        column,
                        str(link.verbose_name),
                        _("id of a row in %(file)s") % {"file": _file(target)},
                        "",
                    ]
                )
    return rows


def organization_export_size(organization) -> int:
    """How many rows the full export holds (the many-to-many links aside)."""
    return sum(model.objects.for_organization(organization).count() for model in exportable_models())


def organization_export(organization, progress=None):
    """Write the zip to a temporary file and return it, positioned at the start."""
    target = tempfile.TemporaryFile()  # noqa: SIM115 - returned open; FileResponse streams and closes it
    total = organization_export_size(organization) if progress else 0
    done = 0
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for model in exportable_models():
            fields = _columns(model)
            owned = model.objects.for_organization(organization)
            if progress:
                done += owned.count()
                progress(min(done, total), total)
            rows = owned.order_by("pk").values_list(*[f.attname for f in fields])
            _write(
                archive,
                _file(model),
                [f.attname for f in fields],
                ([cell(f, v) for f, v in zip(fields, row, strict=True)] for row in rows.iterator(chunk_size=2000)),
            )
            for link in _links(model):
                through = link.remote_field.through
                source, target_column = link.m2m_column_name(), link.m2m_reverse_name()
                pairs = (
                    through.objects.filter(**{f"{source}__in": owned.values("pk")})
                    .order_by(source, target_column)
                    .values_list(source, target_column)
                )
                _write(archive, _file(model, link), [f"{model._meta.model_name}_id", "target_id"], pairs.iterator())
        _write(archive, "codebook.csv", [_("file"), _("column"), _("meaning"), _("kind"), _("codes")], codebook_rows())
    target.seek(0)
    return target


ORGANIZATION_EXPORT_JOB = "integration_hub.organization_export"


def organization_export_filename(organization) -> str:
    return f"{organization.slug}-export-{timezone.localdate().isoformat()}.zip"


def organization_export_job(job, progress) -> jobs.JobOutcome:
    """The background job's run: the full export's zip kept on the job (cleared JOB_OUTPUT_HOURS
    after it ends, and with the organisation's erasure)."""
    with organization_export(job.organization, progress) as made:
        data = made.read()
    rows = organization_export_size(job.organization)
    return jobs.JobOutcome(
        summary=ngettext("The export of %(n)d row is ready.", "The export of %(n)d rows is ready.", rows) % {"n": rows},
        output=data,
        output_name=organization_export_filename(job.organization),
        output_type="application/zip",
    )
