from django.urls import path

from plans import views

app_name = "plans"

urlpatterns = [
    path("", views.PlanListView.as_view(), name="index"),
    path("new/", views.PlanCreateView.as_view(), name="create"),
    path("<int:pk>/", views.PlanDetailView.as_view(), name="detail"),
    path("<int:pk>/edit/", views.PlanUpdateView.as_view(), name="update"),
    path("<int:pk>/delete/", views.PlanDeleteView.as_view(), name="delete"),
    path("<int:pk>/publish/", views.PlanPublishView.as_view(), name="publish"),
    path("<int:pk>/public/", views.PublicPageToggleView.as_view(), name="public_toggle"),
    path("<int:pk>/versions/<int:number>/", views.VersionDetailView.as_view(), name="version"),
    path("<int:pk>/versions/<int:number>/plan.pdf", views.VersionPdfView.as_view(), name="version_pdf"),
    path("<int:pk>/versions/<int:number>/ask/", views.EndorsementRequestView.as_view(), name="endorsement_request"),
    path("stories/", views.StoryListView.as_view(), name="story_list"),
    path("stories/new/", views.StoryCreateView.as_view(), name="story_create"),
    path("stories/<int:pk>/edit/", views.StoryUpdateView.as_view(), name="story_update"),
    path("stories/<int:pk>/withdraw/", views.StoryWithdrawView.as_view(), name="story_withdraw"),
    path("endorse/<str:token>/", views.EndorseView.as_view(), name="endorse"),
    path("p/<str:slug>/", views.PublicPageView.as_view(), name="public"),
    path("p/<str:slug>/embed/", views.PublicEmbedView.as_view(), name="public_embed"),
]
