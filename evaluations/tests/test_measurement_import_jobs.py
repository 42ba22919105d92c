"""The measurement import through its background job (eager tasks, and queued when a worker
would run it): realistic files, all or nothing, the job page's outcome, the upload cleared."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from evaluations.models import Measurement
from evaluations.tests.factories import IndicatorFactory, MeasurementFactory
from initiatives.tests.factories import InitiativeFactory
from integration_hub import jobs, tasks
from integration_hub.models import BackgroundJob

pytestmark = pytest.mark.django_db

HEADER = "indicator,date,value,note\n"


@pytest.fixture
def initiative(organization):
    return InitiativeFactory(organization=organization, title="Bibliothèque «Bienvenue» & co")


@pytest.fixture
def indicators(initiative):
    start = dt.date(2015, 1, 1)
    return [
        IndicatorFactory(initiative=initiative, name="ID cards issued, Dayton", baseline_date=start),
        IndicatorFactory(initiative=initiative, name="Cuentas bancarias abiertas", baseline_date=start),
        IndicatorFactory(initiative=initiative, name="Ngân hàng: tài khoản", baseline_date=start),
    ]


def _lines(indicators, days=1000, bad_at=None):
    """One value per indicator and day; the line numbers count the header as line 1."""
    lines, line = [], 1
    for i in range(days):
        day = dt.date(2016, 1, 1) + dt.timedelta(days=i)
        for indicator in indicators:
            line += 1
            value = "douze" if line == bad_at else f"{i}.5"
            name = f'"{indicator.name}"' if "," in indicator.name else indicator.name
            lines.append(f'{name},{day.isoformat()},{value},"note «{i}», line {line}"\n')
    return HEADER + "".join(lines)


def _post(client, initiative, text: str, name="valeurs.csv"):
    upload = SimpleUploadedFile(name, text.encode("utf-8"), content_type="text/csv")
    return client.post(reverse("evaluations:measurement_import", args=[initiative.pk]), {"file": upload})


def test_3000_values_of_three_indicators_import_through_a_job(editor_client, editor_user, initiative, indicators):
    response = _post(editor_client, initiative, _lines(indicators))
    job = BackgroundJob.objects.get()
    assert response.status_code == 302 and response.url == reverse("job_detail", args=[job.pk])
    page = editor_client.get(response.url).content.decode()
    assert "3000 measurements were added. 0 were updated." in page or "3,000 measurements were added." in page
    assert reverse("evaluations:initiative_detail", args=[initiative.pk]) in page
    assert "Back to Bibliothèque «Bienvenue» &amp; co" in page
    assert Measurement.objects.count() == 3000
    assert Measurement.objects.filter(indicator=indicators[2], note="note «0», line 4").exists()
    job.refresh_from_db()
    assert job.status == "done" and job.created_by == editor_user
    assert bytes(job.upload) == b""


def test_a_bad_line_in_the_middle_stores_nothing_and_the_job_page_names_it(editor_client, initiative, indicators):
    kept = MeasurementFactory(indicator=indicators[0], date=dt.date(2016, 1, 1), value=Decimal("7"))
    response = _post(editor_client, initiative, _lines(indicators, bad_at=1502))
    page = editor_client.get(response.url).content.decode()
    assert "Nothing was imported." in page
    assert "Line 1502: “douze” is not a number." in page
    assert reverse("evaluations:measurement_import", args=[initiative.pk]) in page  # upload a corrected file
    assert list(Measurement.objects.all()) == [kept]
    kept.refresh_from_db()
    assert kept.value == 7  # the file's first line would have updated it: nothing was
    job = BackgroundJob.objects.get()
    assert job.status == "failed" and bytes(job.upload) == b""


def test_the_request_only_queues_the_job_when_a_worker_runs_it(editor_client, initiative, indicators, monkeypatch):
    handed = []
    monkeypatch.setattr(tasks.run_job, "delay", lambda job_id: handed.append(job_id))
    response = _post(editor_client, initiative, _lines(indicators, days=20))
    job = BackgroundJob.objects.get()
    assert handed == [job.pk] and job.status == "queued" and job.enqueued_at is not None
    assert not Measurement.objects.exists()  # the request did not do the work
    assert job.params == {"initiative": initiative.pk} and bytes(job.upload).startswith(HEADER.encode())
    page = editor_client.get(response.url).content.decode()
    assert "Waiting to start…" in page
    assert jobs.job_run(job.pk) == "done"  # the worker
    assert Measurement.objects.count() == 60
    assert editor_client.get(reverse("job_status", args=[job.pk])).json()["finished"] is True


def test_a_file_without_the_columns_is_refused_before_any_job(editor_client, initiative, indicators):
    response = _post(editor_client, initiative, "qui,quand\nAlma,hier\n")
    assert response.status_code == 200
    assert "Line 1: the header must name indicator, date and value (found: qui, quand)." in response.content.decode()
    assert not BackgroundJob.objects.exists()


def test_a_board_member_cannot_import_and_another_affiliate_cannot_see_the_job(
    client_as, editor_client, initiative, indicators, other_organization
):
    assert _post(client_as("board"), initiative, _lines(indicators, days=2)).status_code == 403
    assert not BackgroundJob.objects.exists()
    theirs = InitiativeFactory(organization=other_organization)
    assert _post(editor_client, theirs, _lines(indicators, days=2)).status_code == 404
    assert not BackgroundJob.objects.exists()
    response = _post(editor_client, initiative, _lines(indicators, days=2))
    from integration_hub.tests.factories import MembershipFactory, UserFactory
    from integration_hub.tests.support import client_for

    outsider = MembershipFactory(organization=other_organization, role="editor", user=UserFactory()).user
    assert client_for(outsider).get(response.url).status_code == 404


def test_an_indicator_of_another_initiative_is_a_bad_line(editor_client, initiative, indicators, organization):
    IndicatorFactory(initiative=InitiativeFactory(organization=organization), name="Bus passes")
    text = HEADER + "Cuentas bancarias abiertas,2020-02-29,3,\nBus passes,2020-03-01,4,\n"
    page = editor_client.get(_post(editor_client, initiative, text).url).content.decode()
    assert "Line 3: “Bus passes” is not an indicator of this initiative." in page
    assert not Measurement.objects.exists()
