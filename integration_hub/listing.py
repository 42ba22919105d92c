"""List pages: search, filters, pagination and CSV export in one place.

A list view subclasses `OrganizationListView`, names its `search_fields`, an
optional django-filter `filterset_class` and its `csv_columns`; `?format=csv`
exports exactly the filtered rows.
"""

import csv
import io
import re

import django_filters
from django.conf import settings
from django.core.paginator import Page, Paginator
from django.db.models import Q
from django.http import HttpRequest, QueryDict, StreamingHttpResponse
from django.shortcuts import redirect
from django.urls import Resolver404, resolve
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.generic import ListView

from integration_hub import jobs, permissions, tasks
from integration_hub.forms import scope_choice_fields
from integration_hub.inputs import clean_search_term
from integration_hub.tenancy import OrganizationMixin

# Cells that spreadsheet programs would run as formulas (CSV injection): "=", "@", a tab or
# carriage return first, or "+"/"-" followed by more than a plain number or phone number
# ("-5" and "+1 555 0100" are data, "+A1" or "-2+cmd|..." are not).
_ALWAYS_RUN = ("=", "@", "\t", "\r")
_NUMBER_OR_PHONE = re.compile(r"[+-][\d .()/-]*\d[\d .()/-]*\Z")
GUARD = "'"


def needs_guard(text: str) -> bool:
    if text.startswith(_ALWAYS_RUN):
        return True
    return text.startswith(("+", "-")) and not _NUMBER_OR_PHONE.match(text) and not _is_number(text)


def csv_safe(value) -> str:
    if value is None:
        return ""
    text = str(value)
    return GUARD + text if needs_guard(text) else text


def csv_unguard(text: str) -> str:
    """The cell as it was before csv_safe: the apostrophe goes only where csv_safe put one,
    so "'tis" or "'90s" typed by someone stay as they are."""
    if text.startswith(GUARD) and needs_guard(text[1:]):
        return text[1:]
    return text


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


class _Echo:
    def write(self, value):
        return value


def csv_response(filename: str, header: list[str], rows) -> StreamingHttpResponse:
    """Stream rows (iterables of values) as a CSV download; memory stays flat."""
    writer = csv.writer(_Echo())

    def lines():
        yield "\ufeff"  # BOM: Excel then reads UTF-8 names correctly
        yield writer.writerow([csv_safe(v) for v in header])  # a header can be user text too (question texts)
        for row in rows:
            yield writer.writerow([csv_safe(v) for v in row])

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}-{timezone.localdate().isoformat()}.csv"'
    return response


def search(queryset, fields, term: str):
    term = clean_search_term(term)
    if not term or not fields:
        return queryset
    condition = Q()
    for field in fields:
        condition |= Q(**{f"{field}__icontains": term})
    return queryset.filter(condition)


def paginate_section(request, queryset, param: str, per_page: int | None = None, anchor: str = "") -> Page:
    """One of several paginated lists on one page, each turned by its own ?<param>=N (the other
    parameters are kept). A page number out of range or not a number shows the nearest page,
    never an error. partials/pagination.html (with section=…) draws the links (`anchor`: the section's id)."""
    per_page = per_page or settings.PAGE_SIZE
    page = Paginator(queryset, per_page).get_page(request.GET.get(param))
    # Read the rows here, in one query even when there are none (Paginator skips it then), so the
    # page makes the same queries whatever the data.
    start = (page.number - 1) * per_page
    page.object_list = list(queryset[start : start + per_page])
    query = request.GET.copy()
    query.pop(param, None)
    page.param, page.querystring, page.anchor = param, query.urlencode(), anchor
    return page


class OrganizationFilterSet(django_filters.FilterSet):
    """A FilterSet whose choices of related rows come from the current organisation only."""

    def __init__(self, *args, organization=None, **kwargs):
        super().__init__(*args, **kwargs)
        scope_choice_fields(self.form.fields, organization)
        for field in self.form.fields.values():
            is_select = getattr(field.widget, "allow_multiple_selected", None) is not None
            field.widget.attrs.setdefault("class", "form-select" if is_select else "form-control")


class OrganizationListView(OrganizationMixin, ListView):
    search_fields: tuple[str, ...] = ()
    filterset_class = None
    # (header, attribute path or callable(obj)) pairs for the CSV export.
    csv_columns: tuple = ()
    csv_filename = ""  # default: "<organisation> <model plural>"
    paginate_by = settings.PAGE_SIZE

    def get_base_queryset(self):
        """The rows before search and filters: the organisation's, unless a subclass says otherwise."""
        return super().get_queryset()

    def get_queryset(self):
        queryset = search(self.get_base_queryset(), self.search_fields, self.request.GET.get("q"))
        self.filterset = None
        if self.filterset_class:
            self.filterset = self.filterset_class(
                self.request.GET, queryset=queryset, request=self.request, organization=self.organization
            )
            queryset = self.filterset.qs
        return queryset

    def get(self, request, *args, **kwargs):
        if request.GET.get("format") == "csv" and self.csv_columns:
            if self.get_queryset().count() > settings.EXPORT_BACKGROUND_ROWS:
                return self.export_in_background()
            return self.export_csv()
        return super().get(request, *args, **kwargs)

    def export_in_background(self):
        """Many rows: the file is made by a job (list_export_job) and downloaded from its page."""
        job = jobs.job_create(
            organization=self.organization,
            kind=LIST_EXPORT_JOB,
            created_by=self.request.user,
            params={"path": self.request.path, "query": self.request.GET.urlencode()},
        )
        tasks.enqueue_job(job.pk)
        return redirect("job_detail", pk=job.pk)

    def decorate(self, objects: list) -> list:
        """Hook: add figures to a page (or a CSV chunk) of rows, in a fixed number of queries."""
        return objects

    def _decorated_rows(self, chunk_size=2000):
        chunk = []
        for obj in self.get_queryset().iterator(chunk_size):
            chunk.append(obj)
            if len(chunk) == chunk_size:
                yield from self.decorate(chunk)
                chunk = []
        yield from self.decorate(chunk)

    def csv_name(self) -> str:
        return slugify(self.csv_filename or f"{self.organization.slug} {self.model._meta.verbose_name_plural}")

    def export_csv(self):
        columns = self.csv_columns
        rows = ([_resolve(obj, getter) for _, getter in columns] for obj in self._decorated_rows())
        return csv_response(self.csv_name(), [str(header) for header, _ in columns], rows)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["object_list"] = self.decorate(list(context["object_list"]))
        query = self.request.GET.copy()
        query.pop("page", None)
        context.update(
            filter=self.filterset,
            search_term=clean_search_term(self.request.GET.get("q")),
            querystring=query.urlencode(),
            is_filtered=bool(self.request.GET.get("q")) or any(k != "page" for k in self.request.GET),
            can_export=bool(self.csv_columns),
        )
        return context


def _resolve(obj, getter):
    if callable(getter):
        return getter(obj)
    value = obj
    for part in getter.split("."):
        value = getattr(value, part, None)
        if value is None:
            return ""
        if callable(value):
            value = value()
    return value


# --- a large export, made in the background -------------------------------------------------------

LIST_EXPORT_JOB = "integration_hub.list_export"


def _list_view_for(job):
    """The list view the export was asked of, set up as for the person who asked (their role now,
    the filters they chose then), or None when it is no list or they are no longer a member."""
    try:
        match = resolve(job.params.get("path", ""))
    except Resolver404:
        return None
    view_class = getattr(match.func, "view_class", None)
    if view_class is None or not issubclass(view_class, OrganizationListView) or job.created_by is None:
        return None
    access = permissions.resolve_access(job.created_by, job.organization_id)
    if access is None or access.organization.pk != job.organization_id or not access.allows(view_class.permission):
        return None
    request = HttpRequest()
    request.method, request.path, request.user = "GET", job.params["path"], job.created_by
    request.GET = QueryDict(job.params.get("query", ""))
    request.access, request.organization = access, access.organization
    view = view_class(**match.func.view_initkwargs)
    view.setup(request, *match.args, **match.kwargs)
    return view


def _list_url(job) -> str:
    query = QueryDict(job.params.get("query", ""), mutable=True)
    query.pop("format", None)
    return job.params["path"] + (f"?{query.urlencode()}" if query else "")


def list_export_job(job, progress) -> jobs.JobOutcome:
    """The background job's run: the filtered rows written to one CSV kept on the job (cleared
    JOB_OUTPUT_HOURS after), in the same shape as a direct download."""
    view = _list_view_for(job)
    if view is None:
        raise jobs.JobRefused([_("This list can no longer be exported for you.")])
    total = view.get_queryset().count()
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.writer(buffer)
    writer.writerow([csv_safe(str(header)) for header, _getter in view.csv_columns])
    done = 0
    for obj in view._decorated_rows():
        writer.writerow([csv_safe(_resolve(obj, getter)) for _header, getter in view.csv_columns])
        done += 1
        if done % 2000 == 0:
            progress(done, total)
    progress(done, done)
    return jobs.JobOutcome(
        summary=ngettext("%(n)d row was exported.", "%(n)d rows were exported.", done) % {"n": done},
        link_url=_list_url(job),
        link_label=_("Back to the list"),
        output=buffer.getvalue().encode("utf-8"),
        output_name=f"{view.csv_name()}-{timezone.localdate().isoformat()}.csv",
        output_type="text/csv; charset=utf-8",
    )
