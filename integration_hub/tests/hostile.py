"""What the hostile-input walk sends, and how it reads a page to know where to send it.

The fields come from the pages themselves (every <form> of the GET page, with its inputs),
the query parameters from those forms and from the code (every `GET.get("…")` in the apps),
so a new page or parameter is walked without anyone listing it.
"""

import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlencode

from django.apps import apps
from django.conf import settings
from django.db import connection
from django.utils import timezone

from integration_hub.steps import STEP_APPS, TOP_APPS

APPS = ("integration_hub", *STEP_APPS, *TOP_APPS)

LONG = "ñ" * 1_000 + "x" * 99_000  # 100 000 characters, accented at the start

# Sent into every field of a kind, one request per value and kind (not the whole cross product).
HOSTILE = {
    "superscript digit": "²",
    "100 000 characters": LONG,
    "year 0": "0000-01-01",
    "year 1": "0001-01-01",
    "year 9999": "9999-12-31",
    "1e309": "1e309",
    "30 digits": "9" * 30,
    "negative": "-1",
    "line break": "Riverside\r\nBcc: x@example.org",
}
BY_GROUP = {
    "date": ("year 0", "year 1", "year 9999", "superscript digit", "100 000 characters"),
    "number": ("superscript digit", "1e309", "30 digits", "negative", "100 000 characters"),
    "choice": ("superscript digit", "30 digits", "negative", "100 000 characters"),
    "text": ("100 000 characters", "line break", "superscript digit"),
    "hidden": tuple(HOSTILE),
}
# Query parameters: every one at once gets each of these.
IN_QUERIES = ("superscript digit", "100 000 characters", "year 0", "year 1", "year 9999", "1e309", "30 digits")
# Sent once per page into every field at once: each is refused (or repaired) whatever the field.
EVERYWHERE = {
    "NUL": "nul\x00here",
    "invalid UTF-8": b"\xff\xfe\xc3(",
}
NESTED_JSON = "[" * 100_000

TEXT_KINDS = {"text", "email", "url", "tel", "search", "password", "textarea", ""}


def query_parameters_read_by_the_code() -> set[str]:
    """Every query parameter a view reads by name (request.GET.get("…"), query_params…)."""
    pattern = re.compile(r"""(?:GET|query_params)\.(?:get|getlist)\(\s*["']([A-Za-z_][\w-]*)["']""")
    names = set()
    for app in APPS:
        for path in Path(settings.BASE_DIR, app).rglob("*.py"):
            if "tests" not in path.parts and "migrations" not in path.parts:
                names |= set(pattern.findall(path.read_text()))
    return names


class Field:
    def __init__(self, name, kind, value="", required=False, options=(), multiple=False):
        self.name, self.kind, self.value, self.required = name, kind, value, required
        self.options, self.multiple = list(options), multiple

    @property
    def group(self):
        if self.kind == "date":
            return "date"
        if self.kind == "number":
            return "number"
        if self.kind in ("select", "radio", "checkbox"):
            return "choice"
        if self.kind == "file":
            return "file"
        if self.kind == "hidden":
            return "hidden"
        return "text"


class Form:
    def __init__(self, method, action, enctype):
        self.method, self.action, self.enctype = method, action, enctype
        self.fields: dict[str, Field] = {}


class FormParser(HTMLParser):
    """The forms of a page: method, action and each named input with its current value."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[Form] = []
        self._select = None
        self._textarea = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self.forms.append(Form((a.get("method") or "get").lower(), a.get("action") or "", a.get("enctype") or ""))
            return
        if not self.forms:
            return
        form = self.forms[-1]
        name = a.get("name")
        if tag == "input" and name:
            kind = (a.get("type") or "text").lower()
            if kind in ("submit", "button", "reset", "image"):
                return
            field = form.fields.get(name)
            if kind in ("checkbox", "radio"):
                if field is None:
                    field = form.fields[name] = Field(name, kind, value=[], required="required" in a)
                field.options.append(a.get("value", "on"))
                if "checked" in a:
                    field.value.append(a.get("value", "on"))
                return
            form.fields[name] = Field(name, kind, a.get("value", ""), "required" in a)
        elif tag == "select" and name:
            self._select = form.fields[name] = Field(
                name, "select", value=[], required="required" in a, multiple="multiple" in a
            )
        elif tag == "option" and self._select is not None:
            value = a.get("value", "")
            self._select.options.append(value)
            if "selected" in a:
                self._select.value.append(value)
        elif tag == "textarea" and name:
            self._textarea = form.fields[name] = Field(name, "textarea", "", "required" in a)

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea.value += data


def page_forms(html: str) -> list[Form]:
    parser = FormParser()
    parser.feed(html)
    return parser.forms


def baseline(fields: dict[str, Field]) -> dict:
    """Values a person would send: what the page shows, and a plausible value where it is
    required and empty, so one hostile field at a time meets an otherwise valid form."""
    data = {}
    for name, field in fields.items():
        if field.kind == "file":
            continue
        if field.kind in ("select", "radio", "checkbox"):
            chosen = list(field.value)
            choices = [o for o in field.options if o]
            if not chosen and choices and (field.required or field.kind != "checkbox" or len(field.options) > 1):
                chosen = choices[:1]
            if chosen:
                data[name] = chosen if field.multiple or field.kind == "checkbox" else chosen[0]
            continue
        value = field.value
        if not value and field.required:
            value = {"date": timezone.localdate().isoformat(), "number": "1", "email": "walk@example.org"}.get(
                field.kind, "Walk"
            )
        data[name] = value
    return data


def form_body(data: dict) -> bytes:
    """application/x-www-form-urlencoded, with bytes values sent as they are (invalid UTF-8)."""
    pairs = []
    for name, value in data.items():
        for item in value if isinstance(value, list) else [value]:
            pairs.append((name, item))
    return urlencode(pairs).encode()


def query(data: dict) -> str:
    return form_body(data).decode()


# The audit log records refusals on purpose (a two-factor lockout is one): it is not data half-written.
LOGS_OF_REFUSALS = {"integration_hub_auditevent"}


def row_counts() -> dict[str, int]:
    """Rows per table of the project's apps (one query): a refused request leaves them as they were."""
    tables = sorted(
        {m._meta.db_table for m in apps.get_models(include_auto_created=True) if m._meta.app_label in APPS}
        - LOGS_OF_REFUSALS
    )
    quote = connection.ops.quote_name
    # Table names from the models, quoted: nothing here comes from a request.
    sql = "SELECT " + ", ".join(f"(SELECT COUNT(*) FROM {quote(t)})" for t in tables)  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return dict(zip(tables, cursor.fetchone(), strict=True))
