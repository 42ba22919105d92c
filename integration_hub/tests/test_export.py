import csv
import io
import zipfile

import pytest
from django.urls import reverse

from integration_hub.exports import exportable_models
from integration_hub.tests.support import fill_with_demo_data

pytestmark = pytest.mark.django_db


def _open(response):
    return zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))


def _rows(archive, name):
    return list(csv.DictReader(io.StringIO(archive.read(name).decode("utf-8-sig"))))


def test_full_export_has_one_csv_per_model_with_only_this_organizations_rows(
    client_as, organization, other_organization, admin_user, outsider
):
    fill_with_demo_data(organization, admin_user)
    fill_with_demo_data(other_organization, outsider)

    response = client_as("admin").get(reverse("organization_export"))

    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="riverside-export-')
    archive = _open(response)
    for model in exportable_models():
        name = f"{model._meta.app_label}/{model._meta.model_name}.csv"
        rows = _rows(archive, name)
        assert len(rows) == model.objects.for_organization(organization).count(), name
    memberships = _rows(archive, "integration_hub/membership.csv")
    assert {int(r["organization_id"]) for r in memberships} == {organization.pk}


def test_export_never_contains_token_hashes(client_as, organization, admin_user):
    from integration_hub import services

    services.invitation_create(organization=organization, email="new@example.org", role="board", invited_by=admin_user)
    archive = _open(client_as("admin").get(reverse("organization_export")))
    rows = _rows(archive, "integration_hub/invitation.csv")
    assert rows[0]["email"] == "new@example.org"
    assert "token_hash" not in rows[0]


def test_export_defuses_spreadsheet_formulas(client_as, organization):
    from assessments.models import Need

    Need.objects.create(organization=organization, title='=HYPERLINK("http://x")')
    archive = _open(client_as("admin").get(reverse("organization_export")))
    assert _rows(archive, "assessments/need.csv")[0]["title"] == '\'=HYPERLINK("http://x")'


def _json_and_boolean_columns():
    from django.db import models

    for model in exportable_models():
        for field in model._meta.concrete_fields:
            if isinstance(field, (models.JSONField, models.BooleanField)):
                yield model, field


def test_json_columns_are_json_and_booleans_are_true_or_false(client_as, organization, admin_user):
    import json

    fill_with_demo_data(organization, admin_user)
    archive = _open(client_as("admin").get(reverse("organization_export")))
    checked = 0
    for model, field in _json_and_boolean_columns():
        stored = dict(model.objects.for_organization(organization).values_list("pk", field.attname))
        for row in _rows(archive, f"{model._meta.app_label}/{model._meta.model_name}.csv"):
            text = row[field.attname]
            if field.get_internal_type() == "JSONField":
                assert json.loads(text) == stored[int(row["id"])], (model, field.name)
            else:
                assert text in ("true", "false") and (text == "true") == stored[int(row["id"])], (model, field.name)
            checked += 1
    assert checked > 20  # the demo data has survey wording (JSON) and required flags (booleans)


def test_many_to_many_links_are_exported_for_this_organization_only(
    client_as, organization, other_organization, admin_user, outsider
):
    from initiatives.models import Initiative

    fill_with_demo_data(organization, admin_user)
    fill_with_demo_data(other_organization, outsider)
    archive = _open(client_as("admin").get(reverse("organization_export")))
    links = _rows(archive, "initiatives/initiative_needs.csv")
    ours = Initiative.objects.for_organization(organization)
    expected = {(i.pk, n.pk) for i in ours for n in i.needs.all()}
    assert expected and {(int(r["initiative_id"]), int(r["target_id"])) for r in links} == expected


def test_the_code_book_names_every_column_and_its_codes(client_as, organization):
    archive = _open(client_as("admin").get(reverse("organization_export")))
    book = _rows(archive, "codebook.csv")
    described = {(r["file"], r["column"]) for r in book}
    for name in archive.namelist():
        if name == "codebook.csv":
            continue
        header = next(csv.reader(io.StringIO(archive.read(name).decode("utf-8-sig"))))
        assert {(name, column) for column in header} <= described, name
    influence = next(r for r in book if r["file"] == "stakeholders/stakeholder.csv" and r["column"] == "influence")
    assert "1 = High; 2 = Medium; 3 = Low" in influence["codes"] and influence["kind"] == "number"
    sector = next(r for r in book if r["file"] == "stakeholders/stakeholder.csv" and r["column"] == "sector")
    assert "library = " in sector["codes"]
