"""Step 3's page in the network roll-up, included by the root URLconf under /network/initiatives/
(no namespace: its name is the network's `network_initiatives`)."""

from django.urls import path

from initiatives.network import NetworkInitiativeListView, NetworkMapView

urlpatterns = [
    path("", NetworkInitiativeListView.as_view(), name="network_initiatives"),
    path("map/", NetworkMapView.as_view(), name="network_map"),
]
