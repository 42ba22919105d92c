"""The hostile-input walk (issue 14): whatever is sent, no server error and nothing half-written.

Every URL of the access walk's registry (each app's tests/url_cases.py), as a role allowed
there: the GET page with hostile values in every query parameter it may read, and, for pages
that take a POST, the page's own form filled as a person would, then one field group (dates,
numbers, choices, text, hidden, files) at a time given each hostile value. The anonymous public
survey the same way. test_hostile_api.py walks the API. Expected: a normal page or a 4xx —
never a 5xx — and a refused request (4xx, or the form shown again with errors) changes no row.
"""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import NoReverseMatch, URLResolver, get_resolver, reverse
from django.urls.converters import IntConverter

from assessments.models import NeedsAssessment, Question, Response
from assessments.tests.factories import ChoiceFactory, QuestionFactory, SurveyFactory
from integration_hub.tests import hostile
from integration_hub.tests.support import client_for, fill_with_demo_data
from integration_hub.tests.test_url_access import AUTH_URLS, CASES, PUBLIC

QUERY_PARAMETERS = hostile.query_parameters_read_by_the_code()
GET_CASES = [name for name, case in CASES.items() if "GET" in case.methods]
POST_CASES = [name for name, case in CASES.items() if "POST" in case.methods]
# Files for upload fields: the value in every cell under each import's header.
FILE_HEADERS = ("indicator,date,value,note", "name,affiliation,sector,influence,stance,notes")
FILE_EXTRAS = {
    "unterminated quote": 'name,notes\n"Alma,x\nBo,y\n',
    "cell over the csv limit": "name,notes\nAlma," + "n" * 140_000 + "\n",
}


def _check(response, before=None):
    """Never a 5xx; a streamed body is read to its end; a refusal leaves every table as it was."""
    assert response.status_code < 500, (response.status_code, response.content[:300])
    if getattr(response, "streaming", False):
        b"".join(response.streaming_content)
    if before is not None and (response.status_code >= 400 or _shows_form_errors(response)):
        assert hostile.row_counts() == before, "a refused request wrote rows"


def _shows_form_errors(response):
    form = response.context.get("form") if response.context else None
    return bool(form is not None and getattr(form, "errors", None))


def _html(response) -> str:
    if getattr(response, "streaming", False) or "html" not in response.get("Content-Type", ""):
        return ""
    return response.content.decode()


def _reach(name, organization):
    case = CASES[name]
    kwargs = case.make(organization) if case.make else None
    return case, kwargs, reverse(name, kwargs=kwargs)


def _walk_query(client, url, page):
    """Each hostile value in every query parameter at once (and again as a CSV export)."""
    params = set(QUERY_PARAMETERS)
    for form in hostile.page_forms(_html(page)):
        if form.method == "get":
            params |= set(form.fields)
    exports = bool(page.context and page.context.get("can_export"))
    values = [hostile.HOSTILE[label] for label in hostile.IN_QUERIES] + list(hostile.EVERYWHERE.values())
    for value in values:
        data = dict.fromkeys(params, value)
        before = hostile.row_counts()
        _check(client.get(f"{url}?{hostile.query(data)}"), before)
        if exports:
            _check(client.get(f"{url}?{hostile.query({**data, 'format': 'csv'})}"), before)


def _post(client, url, data, files):
    if files:
        return client.post(url, {**data, **files})
    return client.post(url, hostile.form_body(data), content_type="application/x-www-form-urlencoded")


def _files(names, value):
    text = value.decode("latin-1") if isinstance(value, bytes) else value
    content = "".join(f"{header}\n" + ",".join([text] * (header.count(",") + 1)) + "\n" for header in FILE_HEADERS)
    raw = value if isinstance(value, bytes) else content.encode()
    return {name: SimpleUploadedFile("walk.csv", raw, content_type="text/csv") for name in names}


def _walk_form(client, url, page_html, post_data):
    """The page's own POST form, filled as a person would, then one field group at a time hostile."""
    fields = {}
    for form in hostile.page_forms(page_html):
        if form.method == "post" and form.action in ("", url):
            fields.update(form.fields)
    fields.pop("csrfmiddlewaretoken", None)
    for key in post_data:
        fields.setdefault(key, hostile.Field(key, "text"))
    base = {**hostile.baseline(fields), **post_data}
    groups: dict[str, list[str]] = {}
    for field in fields.values():
        groups.setdefault(field.group, []).append(field.name)
    file_names = groups.pop("file", [])
    sends = [
        ({**base, **dict.fromkeys(names, hostile.HOSTILE[label])}, _files(file_names, "x"))
        for group, names in groups.items()
        for label in hostile.BY_GROUP[group]
    ]
    sends += [(base, _files(file_names, value)) for value in {**hostile.HOSTILE, **FILE_EXTRAS}.values() if file_names]
    sends += [({**base, **dict.fromkeys(fields, value)}, {}) for value in hostile.EVERYWHERE.values()]
    sends += [(base, _files(file_names, value)) for value in hostile.EVERYWHERE.values() if file_names]
    for data, files in sends:
        before = hostile.row_counts()
        _check(_post(client, url, data, files), before)
    before = hostile.row_counts()
    _check(client.post(url, hostile.NESTED_JSON, content_type="application/json"), before)


@pytest.mark.parametrize("name", GET_CASES)
def test_hostile_query_parameters_never_cause_a_server_error(client_as, people, organization, name):
    case, kwargs, url = _reach(name, organization)
    client = client_as(case.role_for_success)
    page = client.get(url)
    _check(page)
    if any(form.method == "get" for form in hostile.page_forms(_html(page))):
        # A search or filter meets rows (SQLite only evaluates a LIKE against a row).
        fill_with_demo_data(organization, people["admin"])
        page = client.get(url)
    _walk_query(client, url, page)
    if kwargs and "pk" in kwargs:
        assert client.get(reverse(name, kwargs={**kwargs, "pk": "9" * 30})).status_code == 404


@pytest.mark.parametrize("name", POST_CASES)
def test_hostile_form_fields_never_cause_a_server_error(client_as, organization, name):
    case, _kwargs, url = _reach(name, organization)
    client = client_as(case.role_for_success)
    page_html = _html(client.get(url)) if "GET" in case.methods else ""
    _walk_form(client, url, page_html, case.post_data)


# --- pages outside the registry: public, personal, token links and the login pages ------------


def _patterns(patterns=None, prefix=""):
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            if pattern.namespace in ("admin", "api"):
                continue
            yield from _patterns(pattern.url_patterns, f"{prefix}{pattern.namespace}:" if pattern.namespace else prefix)
        elif pattern.name:
            yield prefix + pattern.name, pattern


OUTSIDE = {name: pattern for name, pattern in _patterns() if name in (PUBLIC | AUTH_URLS) - set(CASES)}


def _hostile_paths(name, pattern):
    """The URL with each hostile value as its token, or a 30-digit id; plain when it takes none."""
    converters = pattern.pattern.converters
    if not converters:
        return [reverse(name)]
    paths = []
    for value in ["9" * 30, *hostile.HOSTILE.values(), hostile.EVERYWHERE["NUL"], "not-a-token"]:
        kwargs = {}
        for key, converter in converters.items():
            kwargs[key] = "9" * 30 if isinstance(converter, IntConverter) else value.replace("/", "")
        try:
            paths.append(reverse(name, kwargs=kwargs))
        except NoReverseMatch:
            continue
    return sorted(set(paths), key=len)


@pytest.fixture
def visitors(client_as, people, network_office):
    return {
        "anonymous": Client(),
        "editor": client_as("editor"),
        "network viewer": client_as("network"),
        "network office": client_for(people["network"], network_office),
    }


@pytest.mark.parametrize("name", sorted(OUTSIDE))
def test_pages_outside_the_registry_take_hostile_input(visitors, name):
    for client in visitors.values():
        first, *others = _hostile_paths(name, OUTSIDE[name])
        page = client.get(first)
        _check(page)
        _walk_query(client, first, page)
        _walk_form(client, first, _html(page), {})
        for url in others:  # every other hostile token: reached, not walked
            _check(client.get(url))
            before = hostile.row_counts()
            _check(client.post(url, {"side": "newcomer"}), before)


# --- the public survey, anonymously -------------------------------------------------------------


@pytest.fixture
def open_survey(organization):
    survey = SurveyFactory(assessment__organization=organization, assessment__status=NeedsAssessment.Status.COLLECTING)
    for kind in Question.Kind.values:
        question = QuestionFactory(survey=survey, kind=kind, required=True)
        if kind in Question.CHOICE_KINDS:
            ChoiceFactory(question=question)
            ChoiceFactory(question=question)
    return survey


@pytest.mark.parametrize("value", list({**hostile.HOSTILE, **hostile.EVERYWHERE}.values()), ids=lambda v: repr(v)[:20])
def test_the_public_survey_takes_any_answer_without_a_server_error(client, open_survey, value):
    url = reverse("assessments:survey_respond", args=[open_survey.token])
    page = client.get(url)
    assert page.status_code == 200
    fields = {}
    for form in hostile.page_forms(page.content.decode()):
        if form.method == "post":
            fields.update(form.fields)
    # Every question someone answers has its field (notes and section headings have none).
    answered = {f"q{q.pk}" for q in open_survey.questions.exclude(kind__in=Question.DISPLAY_KINDS)}
    assert len(answered) == len(Question.Kind.values) - len(Question.DISPLAY_KINDS)
    assert answered <= set(fields), "the walk must see every question of the page"
    base = hostile.baseline(fields)
    groups: dict[str, list[str]] = {}
    for field in fields.values():
        groups.setdefault(field.group, []).append(field.name)
    for names in [*groups.values(), list(fields)]:
        before = hostile.row_counts()
        response = client.post(url, hostile.form_body({**base, **dict.fromkeys(names, value)}),
                               content_type="application/x-www-form-urlencoded")  # fmt: skip
        _check(response, before)
        if response.status_code >= 400:
            assert Response.objects.count() == before[Response._meta.db_table]
    _check(client.get(f"{url}?{hostile.query({'lang': value})}"))
    token = value.decode("latin-1") if isinstance(value, bytes) else value
    for path in (f"/needs/s/{hostile.query({'': token})[1:]}/", f"/needs/s/{hostile.query({'': token})[1:]}/thanks/"):
        _check(client.get(path))
        _check(client.post(path, {"side": "newcomer"}))
