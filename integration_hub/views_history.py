"""The audit trail's pages: an object's history, the activity log and "Recently deleted"."""

from django.apps import apps
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.generic import TemplateView

from integration_hub import history, inputs, permissions
from integration_hub.crud import OrganizationActionView
from integration_hub.models import Membership
from integration_hub.tenancy import OrganizationMixin

ACTIVITY_PAGE_SIZE = 50


def _tracked_model(label: str):
    try:
        model = apps.get_model(label)
    except (LookupError, ValueError):
        raise Http404 from None
    if model not in history.tracked_models():
        raise Http404
    return model


class ObjectHistoryView(OrganizationMixin, TemplateView):
    """The History tab of any tracked object of the current organisation; for one deleted in the
    last DELETED_HISTORY_DAYS, its history up to the deletion and, for who may, a restore button."""

    template_name = "integration_hub/object_history.html"

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), **_history_context(self.request, **self.kwargs)}


def _history_context(request, model, pk) -> dict:
    model_class = _tracked_model(model)
    path = getattr(model_class, "tenant_path", "organization")
    obj = model_class.objects.filter(**{path: request.organization.pk}, pk=pk).first()
    deleted = None
    if obj is None:
        deleted = history.deleted_record(model_class, pk, request.organization)
        if deleted is None:
            raise Http404
    context = {
        "object": obj,
        "deleted": deleted,
        "entries": history.history_of(model_class, pk),
        "restorable": history.is_restorable(model_class),
        "can_restore": deleted is not None
        and history.is_restorable(model_class)
        and history.may_restore(request.access, deleted),
        "restore_url": history.restore_url(model_class, pk),
    }
    if deleted is not None:
        context["label"] = history.record_labels([(model_class, deleted)])[0]
        context["model_name"] = model_class._meta.verbose_name
    return context


class ActivityView(OrganizationMixin, TemplateView):
    template_name = "integration_hub/activity.html"
    permission = permissions.ADMIN

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), **_activity_context(self.request)}


def _activity_context(request) -> dict:
    members = Membership.objects.for_organization(request.organization).select_related("user").order_by("user__email")
    people = {m.user_id: m.user for m in members}
    kinds = history.activity_kinds()
    user_id = inputs.parse_id(request.GET.get("person"))
    kind = request.GET.get("kind")
    filters = history.ActivityFilter(
        # Someone who has left keeps their entries, but the list offers current members.
        user_id=user_id,
        kind=kind if kind in dict(kinds) else None,
        date_from=inputs.parse_date(request.GET.get("from")),
        date_to=inputs.parse_date(request.GET.get("to")),
    )
    page = inputs.parse_id(request.GET.get("page")) or 1
    entries, has_next = history.organization_activity(
        request.organization, filters, offset=(page - 1) * ACTIVITY_PAGE_SIZE, limit=ACTIVITY_PAGE_SIZE
    )
    chosen = {
        "person": filters.user_id or "",
        "kind": filters.kind or "",
        "from": filters.date_from.isoformat() if filters.date_from else "",
        "to": filters.date_to.isoformat() if filters.date_to else "",
    }
    context = {
        "entries": entries,
        "people": people.values(),
        "kinds": kinds,
        "chosen": chosen,
        "page": page,
        "querystring": urlencode({k: v for k, v in chosen.items() if v}),
        "has_next": has_next,
        "filtered": any(chosen.values()),
    }
    return context


class RecentlyDeletedView(OrganizationMixin, TemplateView):
    """What was deleted in the last DELETED_HISTORY_DAYS and can be restored: everything for an
    admin, their own deletions for staff."""

    template_name = "integration_hub/recently_deleted.html"
    permission = permissions.EDIT

    def get_context_data(self, **kwargs):
        user = None if self.request.access.can_admin else self.request.user
        items = history.recently_deleted(self.organization, user=user)
        return {**super().get_context_data(**kwargs), "items": items, "days": settings.DELETED_HISTORY_DAYS}


class DeletedRestoreView(OrganizationActionView):
    def post(self, request, model, pk):
        return _restore(request, model, pk)


def _restore(request, model, pk):
    model_class = _tracked_model(model)
    if not history.is_restorable(model_class):
        raise Http404
    record = history.deleted_record(model_class, pk, request.organization)
    if record is None:
        raise Http404
    if not history.may_restore(request.access, record):
        raise PermissionDenied(_("Only an admin or the person who deleted it can restore it."))
    label = history.record_labels([(model_class, record)])[0]
    try:
        count = history.restore(model_class, record, user=request.user)
    except history.RestoreRefused as refusal:
        messages.error(request, str(refusal))
        return redirect("recently_deleted")
    others = count - 1
    if others:
        text = ngettext(
            "“%(object)s” was restored, with %(n)d record deleted with it.",
            "“%(object)s” was restored, with %(n)d records deleted with it.",
            others,
        ) % {"object": label, "n": others}
    else:
        text = _("“%(object)s” was restored.") % {"object": label}
    messages.success(request, text)
    restored = model_class._base_manager.get(pk=pk)
    return redirect(restored.get_absolute_url() if hasattr(restored, "get_absolute_url") else "recently_deleted")
