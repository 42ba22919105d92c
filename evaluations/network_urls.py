"""Step 4's pages in the network roll-up, included by the root URLconf under /network/evaluation/
(no namespace, as initiatives.network_urls): the evaluation roll-up, every affiliate's indicators,
and the network's shared indicators."""

from django.urls import path

from evaluations import views

urlpatterns = [
    path("", views.NetworkEvaluationView.as_view(), name="network_evaluation"),
    path("indicators/", views.NetworkIndicatorListView.as_view(), name="network_indicators"),
    path("shared/", views.SharedIndicatorListView.as_view(), name="shared_indicator_list"),
    path("shared/new/", views.SharedIndicatorCreateView.as_view(), name="shared_indicator_create"),
    path("shared/<int:pk>/", views.SharedIndicatorDetailView.as_view(), name="shared_indicator_detail"),
    path("shared/<int:pk>/edit/", views.SharedIndicatorUpdateView.as_view(), name="shared_indicator_update"),
    path("shared/<int:pk>/retire/", views.SharedIndicatorRetireView.as_view(), name="shared_indicator_retire"),
]
