"""What the app accepts from people, each rule in one place: ids from query strings,
dates people enter, one-line text, NUL characters, search terms and CSV uploads.

Forms get the field rules through `InputRulesMixin` (OrganizationFormMixin has it),
API serializers through `InputRulesSerializerMixin`; `NulRefusalMiddleware` refuses
NUL anywhere in a request's path, query string, form body or cookies, so no view meets one.
"""

import csv
import io
import re
from datetime import date

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import lookups
from django.http import HttpResponseBadRequest, JsonResponse
from django.urls import reverse
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

# Every user-entered date lies here; further out, date arithmetic (a year before, the next
# review) overflows, and nobody plans an integration initiative for the year 9999.
DATE_MIN = date(1900, 1, 1)
DATE_MAX = date(2200, 12, 31)

# Search terms are cut here: longer ones only make LIKE patterns that SQLite refuses.
SEARCH_MAX_LENGTH = 200

# ASCII digits only ("²".isdigit() is true but int() refuses it), and few enough to fit
# in a 64-bit integer column on every database.
_ID = re.compile(r"[0-9]{1,18}")

NUL = "\x00"
NUL_MESSAGE = _("The request contains a NUL character, which cannot be stored. Remove it and try again.")


def parse_id(value) -> int | None:
    """A row id from a query parameter, or None for anything that is not one."""
    if isinstance(value, str) and _ID.fullmatch(value):
        return int(value)
    return None


def parse_date(value, default=None):
    """An ISO date from a query parameter within DATE_MIN..DATE_MAX, else `default`."""
    try:
        parsed = date.fromisoformat(value or "")
    except ValueError:
        return default
    return parsed if DATE_MIN <= parsed <= DATE_MAX else default


def validate_date_in_range(value) -> None:
    if value is not None and not DATE_MIN <= value <= DATE_MAX:
        raise ValidationError(
            _("Enter a date between %(min)s and %(max)s."),
            code="date_out_of_range",
            params={"min": DATE_MIN.isoformat(), "max": DATE_MAX.isoformat()},
        )


def validate_single_line(value) -> None:
    # A line break in a name ends up in email headers (BadHeaderError) and CSV rows.
    if isinstance(value, str) and ("\r" in value or "\n" in value):
        raise ValidationError(_("Keep this on one line: remove the line breaks."), code="line_break")


def validate_no_nul(value) -> None:
    if isinstance(value, str) and NUL in value:
        raise ValidationError(NUL_MESSAGE, code="null_characters_not_allowed")


def one_line(text) -> str:
    """Text for an email header: whitespace runs, line breaks included, become one space."""
    return " ".join(str(text).split())


def clean_search_term(term) -> str:
    return (term or "").replace(NUL, "").strip()[:SEARCH_MAX_LENGTH]


def _add(field, validator) -> None:
    if validator not in field.validators:
        field.validators.append(validator)


def apply_field_rules(fields) -> None:
    """Dates in range and one-line text for every date and non-textarea text field."""
    for field in fields.values():
        if isinstance(field, forms.DateField):
            _add(field, validate_date_in_range)
        elif isinstance(field, forms.CharField) and not isinstance(field.widget, forms.Textarea):
            _add(field, validate_single_line)


class InputRulesMixin:
    """For every form: the field rules above, applied at validation so fields a form
    adds in its own __init__ are covered too."""

    def full_clean(self):
        apply_field_rules(self.fields)
        super().full_clean()


class InputRulesSerializerMixin:
    """The same rules for API serializers: a CharField the browsable API would show as a
    textarea (a model TextField) may hold line breaks; other text may not."""

    def get_fields(self):
        fields = super().get_fields()
        for field in fields.values():
            if field.read_only:
                continue
            if isinstance(field, serializers.DateField):
                _add(field, validate_date_in_range)
            elif isinstance(field, serializers.CharField) and field.style.get("base_template") != "textarea.html":
                _add(field, validate_single_line)
        return fields


class NulRefusalMiddleware:
    """PostgreSQL cannot store NUL and its drivers refuse it mid-query: refuse it at the door."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if _has_nul(request):
            with translation.override(translation.get_language_from_request(request)):
                if request.path.startswith("/api/"):  # the API answers JSON, as its schema says
                    return JsonResponse({"detail": gettext(NUL_MESSAGE)}, status=400)
                return HttpResponseBadRequest(gettext(NUL_MESSAGE), content_type="text/plain; charset=utf-8")
        return self.get_response(request)


def _has_nul(request) -> bool:
    if NUL in request.path or NUL in request.path_info:
        return True
    sources = [request.GET, request.COOKIES]
    if request.method == "POST" and request.content_type in (
        "application/x-www-form-urlencoded",
        "multipart/form-data",
    ):
        sources.append(request.POST)
    for source in sources:
        items = source.lists() if hasattr(source, "lists") else ((k, [v]) for k, v in source.items())
        for key, values in items:
            if NUL in key or any(NUL in value for value in values):
                return True
    return False


# --- CSV uploads ---------------------------------------------------------------------------------


class CsvProblem(Exception):
    """A file that cannot be read as CSV, with the line where reading stopped."""

    def __init__(self, line: int, message):
        super().__init__(message)
        self.line = line
        self.message = message


def csv_records(text: str):
    """(line number, cells) for each record of `text`, the line being where the record starts.

    Raises CsvProblem for a NUL character, a cell over the csv module's limit, or a quote
    that is never closed (which would otherwise swallow every following line into one cell).
    """
    if NUL in text:
        raise CsvProblem(text.count("\n", 0, text.index(NUL)) + 1, NUL_MESSAGE)
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    line = 1
    while True:
        try:
            record = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            raise CsvProblem(line, _csv_error_message(error)) from error
        yield line, record
        line = reader.line_num + 1


def header_key(text) -> str:
    """A CSV header compared loosely: case, outer spaces and "role title" vs "role_title"."""
    return " ".join(str(text or "").split()).lower().replace(" ", "_")


def header_names(columns) -> dict[str, str]:
    """{header as written in any of the site's languages: column} for an import's columns,
    so a file exported from the Spanish pages (translated headers) imports as it is."""
    names = {}
    for column in columns:
        names[header_key(column)] = column
        for code, _name in settings.LANGUAGES:
            with translation.override(code):
                names.setdefault(header_key(gettext(column)), column)
    return names


def _csv_error_message(error):
    text = str(error)
    if "field larger than field limit" in text:
        return _("a cell is longer than %(max)s characters.") % {"max": csv.field_size_limit()}
    if "unexpected end of data" in text or "expected after" in text:
        return _('a quote (") opened on this line is never closed, or is followed by more text in the same cell.')
    return _("this line could not be read as CSV (%(error)s).") % {"error": text}


# --- integers no column can hold -----------------------------------------------------------------

_INT64 = range(-(2**63), 2**63)


class InRangeIn(lookups.In):
    """`id__in` with a 30-digit id (a forged choice in a multiple select): SQLite raises
    OverflowError binding it; no row can have that id, so the value simply matches nothing."""

    def get_prep_lookup(self):
        prepared = super().get_prep_lookup()
        if isinstance(prepared, list | tuple):
            prepared = [v for v in prepared if not isinstance(v, int) or v in _INT64]
        return prepared


def register_lookups() -> None:
    models.IntegerField.register_lookup(InRangeIn)


def next_url(request, value: str | None, default: str = "home") -> str:
    """Where a `next` parameter may send the user: a path on this site, else `default` (a URL name).
    A bare word is not a URL (redirect() would look it up as a view name and fail)."""
    value = value or ""
    if value.startswith("/") and url_has_allowed_host_and_scheme(value, allowed_hosts={request.get_host()}):
        return value
    return reverse(default)
