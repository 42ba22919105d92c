"""A list's CSV export above EXPORT_BACKGROUND_ROWS is made by a background job: the request
returns at once, the job page offers the file when it is made, only to the person who asked;
fewer rows stream at once as before. The file goes with the job's expiry and the erasure."""

import csv
import io
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from integration_hub import jobs, services, tasks
from integration_hub.models import BackgroundJob, ErasureRequest
from stakeholders.models import Stakeholder
from stakeholders.tests.factories import StakeholderFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def contacts(organization, other_organization):
    sectors = [Stakeholder.Sector.LIBRARY, Stakeholder.Sector.LOCAL_GOVERNMENT, Stakeholder.Sector.BUSINESS]
    for i in range(60):
        StakeholderFactory(
            organization=organization,
            name=f"=SUM(A{i}) Señora Nguyễn «{i}», «Bibliothèque»" if i % 7 == 0 else f"Helen Park {i}",
            affiliation="Dayton Metro Library" if i % 2 else "Ayuntamiento de Dayton",
            sector=sectors[i % 3],
        )
    StakeholderFactory(organization=other_organization, name="Lakeshore's own contact")


def _rows(data: bytes):
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))


def _export(client, **query):
    return client.get(reverse("stakeholders:index"), {"format": "csv", **query})


def test_a_small_export_still_streams_at_once(client_as, contacts, settings):
    settings.EXPORT_BACKGROUND_ROWS = 100
    response = _export(client_as("board"))
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    assert len(_rows(b"".join(response.streaming_content))) == 61
    assert not BackgroundJob.objects.exists()


def test_a_large_filtered_export_is_made_by_a_job_and_downloaded_from_its_page(
    client_as, contacts, settings, organization
):
    settings.EXPORT_BACKGROUND_ROWS = 10
    board = client_as("board")
    response = _export(board, affiliation="", q="Library")
    job = BackgroundJob.objects.get()
    assert response.status_code == 302 and response.url == reverse("job_detail", args=[job.pk])
    page = board.get(response.url).content.decode()
    assert "30 rows were exported." in page
    assert reverse("job_download", args=[job.pk]) in page
    assert f"{reverse('stakeholders:index')}?affiliation=&amp;q=Library" in page  # back to the same list
    download = board.get(reverse("job_download", args=[job.pk]))
    assert download.status_code == 200 and download["Content-Type"].startswith("text/csv")
    assert download["Content-Disposition"].startswith('attachment; filename="riverside-stakeholders-')
    rows = _rows(download.content)
    assert rows[0][:3] == ["name", "role_title", "affiliation"]
    assert len(rows) == 31 and {r[2] for r in rows[1:]} == {"Dayton Metro Library"}
    # Same shape as the direct download: formulas guarded, odd text kept.
    settings.EXPORT_BACKGROUND_ROWS = 1000
    direct = _rows(b"".join(_export(board, affiliation="", q="Library").streaming_content))
    assert direct == rows
    assert [r[0] for r in rows if "«7»" in r[0]] == ["'=SUM(A7) Señora Nguyễn «7», «Bibliothèque»"]
    assert "Lakeshore's own contact" not in download.content.decode()


def test_the_request_only_queues_the_export_when_a_worker_makes_it(client_as, contacts, settings, monkeypatch):
    settings.EXPORT_BACKGROUND_ROWS = 10
    handed = []
    monkeypatch.setattr(tasks.run_job, "delay", lambda job_id: handed.append(job_id))
    client = client_as("editor")
    response = _export(client)
    job = BackgroundJob.objects.get()
    assert handed == [job.pk] and job.status == "queued" and bytes(job.output) == b""
    page = client.get(response.url).content.decode()
    assert "the file is being made" in page and reverse("job_download", args=[job.pk]) not in page
    assert client.get(reverse("job_download", args=[job.pk])).status_code == 404  # nothing made yet
    assert jobs.job_run(job.pk) == "done"
    assert len(_rows(client.get(reverse("job_download", args=[job.pk])).content)) == 61


def test_only_the_person_who_asked_can_see_or_download_the_export(client_as, contacts, settings, other_organization):
    settings.EXPORT_BACKGROUND_ROWS = 10
    response = _export(client_as("editor"))
    job = BackgroundJob.objects.get()
    for name in ("job_detail", "job_status", "job_download"):
        url = reverse(name, args=[job.pk])
        assert client_as("admin").get(url).status_code == 404  # a colleague, even an admin
        assert client_as("outsider").get(url).status_code == 404  # another affiliate
    assert client_as("editor").get(response.url).status_code == 200


def test_the_file_is_cleared_after_the_expiry_and_with_the_erasure(client_as, contacts, settings, organization):
    settings.EXPORT_BACKGROUND_ROWS = 10
    client = client_as("editor")
    job_url = _export(client).url
    job = BackgroundJob.objects.get()
    assert bytes(job.output).startswith(b"\xef\xbb\xbfname,")
    later = timezone.now() + timedelta(hours=settings.JOB_OUTPUT_HOURS + 1)
    assert jobs.job_sweep(now=later).outputs_cleared == 1
    assert client.get(reverse("job_download", args=[job.pk])).status_code == 404
    assert "The file is no longer kept; export the list again." in client.get(job_url).content.decode()
    _export(client)  # a second file, then the organisation is erased
    ErasureRequest.objects.create(
        organization=organization, organization_name=organization.name, scheduled_for=timezone.now()
    )
    services.erasure_run_due(now=timezone.now() + timedelta(seconds=1))
    assert not BackgroundJob.objects.exists()


def test_a_member_who_left_gets_no_file(client_as, contacts, settings, board_user, organization, monkeypatch):
    settings.EXPORT_BACKGROUND_ROWS = 10
    monkeypatch.setattr(tasks.run_job, "delay", lambda job_id: None)
    _export(client_as("board"))
    job = BackgroundJob.objects.get()
    board_user.memberships.all().delete()
    assert jobs.job_run(job.pk) == "refused"
    job.refresh_from_db()
    assert job.error == "No file was made." and bytes(job.output) == b""


# --- the organisation's full export ----------------------------------------------------------------


def test_a_large_full_export_is_made_by_a_job_for_the_admin_who_asked(client_as, contacts, settings, monkeypatch):
    import zipfile

    settings.EXPORT_BACKGROUND_ROWS = 20
    handed = []
    monkeypatch.setattr(tasks.run_job, "delay", lambda job_id: handed.append(job_id))
    admin = client_as("admin")
    response = admin.get(reverse("organization_export"))
    job = BackgroundJob.objects.get()
    assert response.status_code == 302 and response.url == reverse("job_detail", args=[job.pk])
    assert handed == [job.pk] and job.status == "queued"  # the request did not make the file
    assert jobs.job_run(job.pk) == "done"
    page = admin.get(response.url).content.decode()
    assert "rows is ready." in page and reverse("job_download", args=[job.pk]) in page
    download = admin.get(reverse("job_download", args=[job.pk]))
    assert download["Content-Disposition"].startswith('attachment; filename="riverside-export-')
    archive = zipfile.ZipFile(io.BytesIO(download.content))
    stakeholders = _rows(archive.read("stakeholders/stakeholder.csv"))
    assert (
        len(stakeholders) == 61
        and "Lakeshore's own contact" not in archive.read("stakeholders/stakeholder.csv").decode()
    )
    assert client_as("editor").get(reverse("job_download", args=[job.pk])).status_code == 404
    assert client_as("outsider").get(reverse("job_download", args=[job.pk])).status_code == 404


def test_a_small_full_export_still_downloads_at_once(client_as, contacts, settings):
    settings.EXPORT_BACKGROUND_ROWS = 10_000
    response = client_as("admin").get(reverse("organization_export"))
    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    assert not BackgroundJob.objects.exists()
