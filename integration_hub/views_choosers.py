"""The JSON behind search-as-you-type fields (integration_hub.choosers)."""

from django.apps import apps
from django.http import Http404, JsonResponse
from django.views import View

from integration_hub import choosers, permissions
from integration_hub.inputs import clean_search_term, parse_id
from integration_hub.tenancy import OrganizationMixin


class ChooserSearchView(OrganizationMixin, View):
    """`?kind=app.model&q=words&page=n` → {"results": [{"value", "text"}], "more": bool}: the
    organisation's rows only, of a registered kind only."""

    permission = permissions.EDIT  # only people who fill in forms choose rows

    def get(self, request):
        kind = request.GET.get("kind", "")
        if not kind:  # nothing asked, nothing found
            return JsonResponse({"results": [], "more": False})
        chooser = choosers.get(kind)
        if chooser is None:
            raise Http404
        model = apps.get_model(chooser.label)
        page = parse_id(request.GET.get("page", "1")) or 1
        results, more = choosers.search(
            chooser, model, self.organization, clean_search_term(request.GET.get("q")), min(page, 1000)
        )
        return JsonResponse({"results": results, "more": more})
