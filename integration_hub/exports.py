"""An organisation's full export: a zip with one CSV per model. Their data is theirs."""

import csv
import io
import tempfile
import zipfile

from django.apps import apps

from integration_hub.dashboard import OUR_APPS
from integration_hub.listing import csv_safe

NEVER_EXPORTED = {"password", "token_hash", "token"}


def exportable_models():
    """Every model of ours whose rows belong to one organisation (it has `for_organization`)."""
    return [
        model
        for model in apps.get_models()
        if model._meta.app_label in OUR_APPS and hasattr(model.objects, "for_organization")
    ]


def _columns(model):
    return [f for f in model._meta.concrete_fields if f.name not in NEVER_EXPORTED]


def organization_export(organization):
    """Write the zip to a temporary file and return it, positioned at the start."""
    target = tempfile.TemporaryFile()  # noqa: SIM115 - returned open; FileResponse streams and closes it
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for model in exportable_models():
            fields = _columns(model)
            buffer = io.StringIO()
            writer = csv.writer(buffer)
            writer.writerow([f.attname for f in fields])
            rows = model.objects.for_organization(organization).order_by("pk").values_list(*[f.attname for f in fields])
            for row in rows.iterator(chunk_size=2000):
                writer.writerow([csv_safe(value) for value in row])
            archive.writestr(f"{model._meta.app_label}/{model._meta.model_name}.csv", "\ufeff" + buffer.getvalue())
    target.seek(0)
    return target
