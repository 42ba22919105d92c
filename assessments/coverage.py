"""What addresses a need, told to step 1 by the step that holds it, so step 1 imports no higher step.

Implementation (step 3) registers in its AppConfig.ready() how initiatives address needs:
`addressed_by(organization)` gives {need id: initiatives addressing it, cancelled ones left out}, and
`with_coverage(needs)` annotates `unaddressed` (the one definition, initiatives.selectors.with_coverage).
Without a registration nothing addresses a need: one not met is unaddressed.
"""

from collections.abc import Callable

from django.db.models import BooleanField, ExpressionWrapper, Q, QuerySet

from assessments.models import Need

_providers: dict[str, Callable] = {}


def register(
    *,
    addressed_by: Callable[..., dict[int, list]],
    with_coverage: Callable[[QuerySet], QuerySet],
    addressed_counts: Callable[..., dict[int, int]],
) -> None:
    _providers.update(addressed_by=addressed_by, with_coverage=with_coverage, addressed_counts=addressed_counts)


def addressed_by(organization, limit: int | None = None, need=None) -> dict[int, list]:
    """{need id: initiatives addressing it}: all, or the first `limit` per need; of `need` only if given."""
    provider = _providers.get("addressed_by")
    return provider(organization, limit=limit, need=need) if provider else {}


def addressed_counts(organization) -> dict[int, int]:
    """{need id: how many initiatives address it}."""
    provider = _providers.get("addressed_counts")
    return provider(organization) if provider else {}


def with_coverage(needs: QuerySet) -> QuerySet:
    provider = _providers.get("with_coverage")
    if provider:
        return provider(needs)
    return needs.annotate(unaddressed=ExpressionWrapper(~Q(status=Need.Status.MET), output_field=BooleanField()))
