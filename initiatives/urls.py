from django.urls import path

from initiatives import views

app_name = "initiatives"

urlpatterns = [
    path("", views.InitiativeListView.as_view(), name="index"),
    path("new/", views.InitiativeCreateView.as_view(), name="create"),
    path("<int:pk>/", views.InitiativeDetailView.as_view(), name="detail"),
    path("<int:pk>/edit/", views.InitiativeUpdateView.as_view(), name="edit"),
    path("<int:pk>/delete/", views.InitiativeDeleteView.as_view(), name="delete"),
    path("<int:pk>/partners/add/", views.PartnerAddView.as_view(), name="partner_add"),
    path("partners/<int:pk>/edit/", views.PartnerEditView.as_view(), name="partner_edit"),
    path("partners/<int:pk>/remove/", views.PartnerRemoveView.as_view(), name="partner_remove"),
    path("<int:pk>/milestones/add/", views.MilestoneAddView.as_view(), name="milestone_add"),
    path("milestones/<int:pk>/tasks/add/", views.TaskAddView.as_view(), name="task_add"),
    path("tasks/<int:pk>/toggle/", views.TaskToggleView.as_view(), name="task_toggle"),
    path("<int:pk>/budget/add/", views.BudgetLineAddView.as_view(), name="budget_add"),
    path("<int:pk>/funding/add/", views.FundingAddView.as_view(), name="funding_add"),
    path("<int:pk>/activities/add/", views.ActivityAddView.as_view(), name="activity_add"),
    path("milestones/<int:pk>/edit/", views.MilestoneEditView.as_view(), name="milestone_edit"),
    path("milestones/<int:pk>/delete/", views.MilestoneDeleteView.as_view(), name="milestone_delete"),
    path("tasks/<int:pk>/edit/", views.TaskEditView.as_view(), name="task_edit"),
    path("tasks/<int:pk>/delete/", views.TaskDeleteView.as_view(), name="task_delete"),
    path("budget/<int:pk>/edit/", views.BudgetLineEditView.as_view(), name="budget_edit"),
    path("budget/<int:pk>/delete/", views.BudgetLineDeleteView.as_view(), name="budget_delete"),
    path("funding/<int:pk>/edit/", views.FundingEditView.as_view(), name="funding_edit"),
    path("funding/<int:pk>/delete/", views.FundingDeleteView.as_view(), name="funding_delete"),
    path("activities/<int:pk>/edit/", views.ActivityEditView.as_view(), name="activity_edit"),
    path("activities/<int:pk>/delete/", views.ActivityDeleteView.as_view(), name="activity_delete"),
    path("<int:pk>/propose/", views.ProposePracticeView.as_view(), name="propose_practice"),
    path("ideas/", views.IdeaListView.as_view(), name="idea_list"),
    path("ideas/new/", views.IdeaCreateView.as_view(), name="idea_create"),
    path("ideas/<int:pk>/", views.IdeaDetailView.as_view(), name="idea_detail"),
    path("ideas/<int:pk>/edit/", views.IdeaUpdateView.as_view(), name="idea_edit"),
    path("practices/", views.PracticeQueueView.as_view(), name="practice_queue"),
    path("practices/<int:pk>/publish/", views.PracticePublishView.as_view(), name="practice_publish"),
]
