"""What the other steps hold about an object, shown on its page without a lower step importing a higher one.

A step registers, in its AppConfig.ready(), a function that lists what it holds about objects of a lower
step's model (evaluation lists an initiative's indicators and reviews; implementation lists the initiatives a
stakeholder partners in). A page shows `for_object(...)` through `{% neighbours object %}`. Each function is
called with the organisation, so it reads only that organisation's rows, and makes a query or two.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.utils.functional import Promise

# What a page shows: a plain string or a lazily translated one (gettext_lazy).
Text = str | Promise


@dataclass(frozen=True)
class Link:
    text: Text
    url: str
    detail: str = ""


@dataclass(frozen=True)
class Group:
    """One step's card on another step's page."""

    step: int  # 1-4: the cards are shown in the steps' order
    heading: Text
    links: list[Link] = field(default_factory=list)
    empty: Text = ""  # shown when there are no links
    page: Link | None = None  # the step's own page about the object


Provider = Callable[..., Group | None]
_PROVIDERS: dict[str, list[Provider]] = {}


def register(model_label: str, provider: Provider) -> None:
    """`provider(organization, obj)` returns a Group, or None when it has nothing to say about `obj`."""
    providers = _PROVIDERS.setdefault(model_label.lower(), [])
    if provider not in providers:
        providers.append(provider)


def for_object(organization, obj) -> list[Group]:
    groups = [provider(organization, obj) for provider in _PROVIDERS.get(obj._meta.label_lower, [])]
    return sorted((g for g in groups if g is not None), key=lambda g: g.step)
