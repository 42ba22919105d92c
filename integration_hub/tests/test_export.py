import csv
import io
import zipfile

import pytest
from django.urls import reverse

from integration_hub.exports import exportable_models
from integration_hub.testing import fill_with_demo_data

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
