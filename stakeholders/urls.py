from django.urls import path

from stakeholders import views

app_name = "stakeholders"

urlpatterns = [
    path("", views.StakeholderListView.as_view(), name="index"),
    path("new/", views.StakeholderCreateView.as_view(), name="create"),
    path("grid/", views.StanceGridView.as_view(), name="grid"),
    path("import/", views.StakeholderImportView.as_view(), name="import"),
    path("import/template.csv", views.ImportTemplateView.as_view(), name="import_template"),
    path("<int:pk>/", views.StakeholderDetailView.as_view(), name="detail"),
    path("<int:pk>/edit/", views.StakeholderUpdateView.as_view(), name="update"),
    path("<int:pk>/delete/", views.StakeholderDeleteView.as_view(), name="delete"),
    path("<int:pk>/thank-you/", views.StakeholderThankYouView.as_view(), name="thank_you"),
    path("engagements/", views.EngagementListView.as_view(), name="engagement_list"),
    path("engagements/new/", views.EngagementCreateView.as_view(), name="engagement_create"),
    path("engagements/<int:pk>/edit/", views.EngagementUpdateView.as_view(), name="engagement_update"),
    path("engagements/<int:pk>/delete/", views.EngagementDeleteView.as_view(), name="engagement_delete"),
    path("commitments/", views.CommitmentListView.as_view(), name="commitment_list"),
    path("commitments/new/", views.CommitmentCreateView.as_view(), name="commitment_create"),
    path("commitments/<int:pk>/edit/", views.CommitmentUpdateView.as_view(), name="commitment_update"),
    path("commitments/<int:pk>/delete/", views.CommitmentDeleteView.as_view(), name="commitment_delete"),
    path("commitments/<int:pk>/status/", views.CommitmentStatusView.as_view(), name="commitment_status"),
    path("commitments/<int:pk>/thank-you/", views.CommitmentThankYouView.as_view(), name="commitment_thank_you"),
]
