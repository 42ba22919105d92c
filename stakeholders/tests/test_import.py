import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from stakeholders.models import Stakeholder, StanceChange
from stakeholders.services import MAX_IMPORT_BYTES
from stakeholders.tests.factories import StakeholderFactory

pytestmark = pytest.mark.django_db

HEADER = "name,role_title,affiliation,sector,influence,stance,speaks_for,email,tags\n"


def _upload(text, name="stakeholders.csv"):
    return SimpleUploadedFile(name, text.encode("utf-8"), content_type="text/csv")


def _post(client, upload, follow=False):
    """The import runs as a background job (eagerly in tests); the page redirects to the job."""
    return client.post(reverse("stakeholders:import"), {"file": upload}, follow=follow)


def test_a_clean_file_is_imported_with_stance_history(editor_client, organization, editor_user):
    text = HEADER + (
        "Helen Park,Branch manager,Dayton Metro Library,library,medium,champion,both,hpark@library.example,"
        '"conversation circles, citizenship class"\n'
        "Linda Yost,VP,Heritage Savings Bank,Bank or credit union,HIGH,Skeptical,receiving community,,\n"
        "Gary Lindqvist,,,,,,,,\n"
    )
    response = _post(editor_client, _upload(text))
    assert response.status_code == 302
    assert Stakeholder.objects.for_organization(organization).count() == 3
    linda = Stakeholder.objects.get(name="Linda Yost")
    assert (linda.sector, linda.influence, linda.stance, linda.speaks_for) == ("bank", 1, 4, "receiving")
    gary = Stakeholder.objects.get(name="Gary Lindqvist")
    assert (gary.sector, gary.influence, gary.stance) == ("other", 2, 3)
    assert Stakeholder.objects.get(name="Helen Park").tag_list == ["conversation circles", "citizenship class"]
    assert StanceChange.objects.filter(changed_by=editor_user, old_stance__isnull=True).count() == 3


def test_one_bad_row_imports_nothing_and_names_its_line(editor_client, organization):
    text = HEADER + (
        "Helen Park,,Library,library,medium,champion,both,,\n"
        "Linda Yost,,Bank,bank,enormous,skeptical,both,,\n"
        ",,No name here,bank,high,skeptical,both,,\n"
        "Tom Brennan,,Credit Union,bank,high,supportive,both,not-an-email,\n"
    )
    response = _post(editor_client, _upload(text), follow=True)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Nothing was imported" in html
    assert "line 3: influence “enormous” is not one of: high, medium, low." in html
    assert "line 4: the name is empty." in html
    assert "line 5: “not-an-email” is not an email address." in html
    assert "line 2:" not in html
    assert not Stakeholder.objects.exists()
    assert not StanceChange.objects.exists()


def test_line_numbers_count_lines_of_the_file_even_with_multiline_cells(organization):
    from stakeholders.services import parse_stakeholder_csv

    text = 'name,notes\nHelen Park,"Met twice.\nLikes the plan."\n,no name\n'
    _rows, result = parse_stakeholder_csv(organization=organization, upload=_upload(text))
    assert result.errors == ["line 4: the name is empty."]


def test_duplicates_of_existing_rows_and_within_the_file_are_reported_not_doubled(editor_client, organization):
    StakeholderFactory(organization=organization, name="Linda Yost", affiliation="Heritage Savings Bank")
    text = HEADER + (
        "LINDA YOST,,heritage savings bank,bank,high,skeptical,both,,\n"
        "Helen Park,,Library,library,medium,champion,both,,\n"
        "helen park , ,library ,library,medium,champion,both,,\n"
    )
    response = _post(editor_client, _upload(text), follow=True)
    html = response.content.decode()
    assert response.status_code == 200
    assert "line 2: LINDA YOST (heritage savings bank) is already in your list; skipped." in html
    assert "line 4: helen park (library) repeats line 3; skipped." in html
    assert Stakeholder.objects.filter(name__iexact="linda yost").count() == 1
    assert Stakeholder.objects.filter(name__iexact="helen park").count() == 1


def test_another_organisations_stakeholder_is_not_a_duplicate(editor_client, organization, other_organization):
    StakeholderFactory(organization=other_organization, name="Helen Park", affiliation="Library")
    _post(editor_client, _upload(HEADER + "Helen Park,,Library,library,medium,champion,both,,\n"))
    assert Stakeholder.objects.for_organization(organization).filter(name="Helen Park").exists()


def test_columns_the_import_does_not_read_are_ignored_with_a_note_and_stored_nowhere(editor_client):
    response = _post(editor_client, _upload("name,immigration_status\nHelen Park,secret-x\n"))
    assert response.status_code == 302
    helen = Stakeholder.objects.get()
    assert "secret-x" not in str([getattr(helen, f.attname) for f in Stakeholder._meta.concrete_fields])
    shown = editor_client.get(response.url).content.decode()
    assert "The column “immigration_status” is not one the import reads; it was ignored." in shown


def test_a_file_that_is_not_csv_is_refused(editor_client):
    response = _post(editor_client, SimpleUploadedFile("list.xlsx", b"PK\x03\x04\x00\x00binary"))
    assert "Please upload a .csv file" in response.content.decode()
    response = _post(editor_client, SimpleUploadedFile("list.csv", b"PK\x03\x04\x00\x00binary"))
    assert "This file is not a CSV text file" in response.content.decode()
    assert not Stakeholder.objects.exists()


def test_a_file_over_5_mb_is_refused(editor_client):
    big = HEADER + "x" * (MAX_IMPORT_BYTES + 1)
    response = _post(editor_client, _upload(big))
    assert "the limit is 5 MB" in response.content.decode()
    assert not Stakeholder.objects.exists()


def test_a_file_with_only_a_header_says_so(editor_client):
    response = _post(editor_client, _upload(HEADER), follow=True)
    assert "The file has a header but no stakeholders." in response.content.decode()


def test_the_template_names_every_column(editor_client):
    response = editor_client.get(reverse("stakeholders:import_template"))
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    assert body.strip() == "name,role_title,affiliation,sector,influence,stance,speaks_for,email,phone,tags,notes"
    assert response["Content-Disposition"] == 'attachment; filename="stakeholders-template.csv"'


def _export(client, language="en"):
    client.cookies["django_language"] = language
    response = client.get(reverse("stakeholders:index"), {"format": "csv"}, HTTP_ACCEPT_LANGUAGE=language)
    return b"".join(response.streaming_content)


@pytest.mark.parametrize("language", ["en", "es"])
def test_the_exported_csv_imports_back_as_it_is(editor_client, organization, other_organization, language):
    StakeholderFactory(
        organization=organization, name="Helen Park", affiliation="Dayton Metro Library", sector="library",
        stance=1, influence=2, speaks_for="receiving", phone="+1 555 0100", email="hpark@library.example",
        tags="conversation circles, citizenship class", notes="=HYPERLINK(\"http://x\")\n-2 later, +A1",
    )  # fmt: skip
    StakeholderFactory(organization=organization, name="Luis Ortega", sector="faith", stance=5, notes="-5")
    before = sorted(
        Stakeholder.objects.values_list("name", "affiliation", "sector", "stance", "influence", "speaks_for",
                                        "phone", "email", "tags", "notes")
    )  # fmt: skip
    export = _export(editor_client, language)
    text = export.decode("utf-8-sig")
    assert "+1 555 0100" in text and "'+1 555 0100" not in text  # a phone number is not a formula
    assert "'=HYPERLINK" in text  # a formula is still guarded in the file
    Stakeholder.objects.all().delete()
    editor_client.cookies["django_language"] = "en"
    response = _post(editor_client, SimpleUploadedFile("export.csv", export, content_type="text/csv"))
    assert response.status_code == 302
    after = sorted(
        Stakeholder.objects.values_list("name", "affiliation", "sector", "stance", "influence", "speaks_for",
                                        "phone", "email", "tags", "notes")
    )  # fmt: skip
    assert after == before  # the guard's apostrophe is gone again
    assert Stakeholder.objects.for_organization(organization).count() == 2
    note = editor_client.get(response.url).content.decode()
    ignored = (
        "“último contacto”, “compromisos pendientes”" if language == "es" else "“last_engagement”, “open_commitments”"
    )
    assert f"The columns {ignored} are not ones the import reads; they were ignored." in note
