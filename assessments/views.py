from django.shortcuts import render

from assessments import selectors
from integration_hub.tenancy import organization_view


@organization_view()
def index(request):
    return render(
        request, "integration_hub/step_placeholder.html", {"step": selectors.step_summary(request.organization)}
    )
