"""Choosing one row among many: a search-as-you-type field instead of a list of every row.

A form field that chooses stakeholders, initiatives, needs or members renders each row as an
<option> or a checkbox. A diocese-wide affiliate holds 100 000 stakeholders, so the engagement
form was 26 MB. `scope_choice_fields` (integration_hub.forms) hands every such field here: below
THRESHOLD rows it stays a plain select or checkbox list; above, its widget becomes a select holding
only the chosen rows and the first FALLBACK rows, which tom-select (static/js/choosers.js) turns
into a search field reading `chooser_search` (JSON, scoped to the organisation). Without
JavaScript the select still works, over those first rows.

Only models registered here can be searched, so the endpoint cannot list anything else (a
survey response, say). Steps register theirs in AppConfig.ready(), the core registers members.
"""

from dataclasses import dataclass
from functools import reduce
from itertools import chain
from operator import or_

from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.forms.models import ModelChoiceIterator
from django.urls import reverse
from django.utils.translation import gettext

from integration_hub.inputs import parse_id

THRESHOLD = 300  # rows; below it a plain list is quicker to use than a search
FALLBACK = 100  # rows offered without JavaScript above the threshold
PAGE = 20  # answers per search


@dataclass(frozen=True)
class Chooser:
    label: str  # "app_label.modelname", lower case
    search_fields: tuple[str, ...]
    order_by: tuple[str, ...]


_REGISTRY: dict[str, Chooser] = {}


def register(model_label: str, search_fields: tuple[str, ...], order_by: tuple[str, ...] = ()) -> None:
    label = model_label.lower()
    _REGISTRY[label] = Chooser(label, tuple(search_fields), tuple(order_by or search_fields[:1]))


def for_model(model) -> Chooser | None:
    return _REGISTRY.get(model._meta.label_lower)


def get(label: str) -> Chooser | None:
    return _REGISTRY.get(label.lower())


def scope(queryset, organization):
    """The rows of `queryset` an organisation may choose among: its own tenant rows, or its
    members; None for a queryset of anything else."""
    if hasattr(queryset, "for_organization"):
        return queryset.for_organization(organization)
    if queryset.model is get_user_model():
        return queryset.filter(memberships__organization=organization).distinct()
    return None


def search(chooser: Chooser, model, organization, term: str, page: int = 1) -> tuple[list[dict], bool]:
    """One page of rows whose search fields contain `term`, and whether more follow."""
    queryset = scope(model._default_manager.all(), organization)
    words = term.split()
    for word in words[:5]:  # each word must match one of the fields
        queryset = queryset.filter(reduce(or_, (Q(**{f"{f}__icontains": word}) for f in chooser.search_fields)))
    start = (max(page, 1) - 1) * PAGE
    rows = list(queryset.order_by(*chooser.order_by, "pk")[start : start + PAGE + 1])
    return [{"value": str(row.pk), "text": str(row)} for row in rows[:PAGE]], len(rows) > PAGE


class _ChosenFirstIterator(ModelChoiceIterator):
    """The chosen rows, then the first FALLBACK others: never the whole table."""

    def __init__(self, field, chosen):
        super().__init__(field)
        self.chosen = [pk for pk in (parse_id(str(v)) for v in chosen) if pk is not None]

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        queryset = self.queryset
        chosen = queryset.filter(pk__in=self.chosen) if self.chosen else queryset.none()
        others = queryset.exclude(pk__in=self.chosen)[:FALLBACK]
        for row in chain(chosen, others):
            yield self.choice(row)

    def __len__(self):
        return len(self.chosen) + FALLBACK

    def __bool__(self):
        return True


class _SearchWidgetMixin:
    def optgroups(self, name, value, attrs=None):
        self.choices = _ChosenFirstIterator(self.choices.field, value)
        return super().optgroups(name, value, attrs)


class SearchSelect(_SearchWidgetMixin, forms.Select):
    pass


class SearchSelectMultiple(_SearchWidgetMixin, forms.SelectMultiple):
    pass


def use_search_widget(field) -> None:
    """Give a model choice field the search widget when its rows exceed THRESHOLD."""
    chooser = for_model(field.queryset.model)
    if chooser is None or field.queryset.count() <= THRESHOLD:
        return
    widget_class = SearchSelectMultiple if isinstance(field, forms.ModelMultipleChoiceField) else SearchSelect
    attrs = {k: v for k, v in field.widget.attrs.items() if k != "class"}
    attrs["data-chooser"] = f"{reverse('chooser_search')}?kind={chooser.label}"
    attrs["data-chooser-none"] = gettext("Nothing matches. Try fewer letters.")
    widget = widget_class(attrs=attrs)
    widget.is_required = field.widget.is_required
    field.widget = widget
    field.widget.choices = field.choices
    # Built per form, inside the request, so the member's language is active.
    hint = gettext("Type a few letters to search. Without JavaScript only the first %(n)s are listed.") % {
        "n": FALLBACK
    }
    field.help_text = f"{field.help_text} {hint}" if field.help_text else hint
