from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from integration_hub import views, views_history, views_jobs, views_two_factor
from integration_hub.network import AffiliateListView
from integration_hub.views_choosers import ChooserSearchView

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("welcome/", views.NoOrganizationView.as_view(), name="no_organization"),
    path("organization/switch/", views.OrganizationSwitchView.as_view(), name="organization_switch"),
    path("affiliates/", AffiliateListView.as_view(), name="affiliate_list"),
    path("network/", views.NetworkOverviewView.as_view(), name="network_overview"),
    path("network/initiatives/", include("initiatives.network_urls")),
    path("network/evaluation/", include("evaluations.network_urls")),
    path("settings/", views.OrganizationSettingsView.as_view(), name="organization_settings"),
    path("settings/export/", views.OrganizationExportView.as_view(), name="organization_export"),
    path("settings/erase/", views.OrganizationErasureView.as_view(), name="organization_erasure"),
    path(
        "settings/erase/<int:pk>/cancel/",
        views.OrganizationErasureCancelView.as_view(),
        name="organization_erasure_cancel",
    ),
    path("members/", views.MemberListView.as_view(), name="member_list"),
    path("members/<int:pk>/role/", views.MemberChangeRoleView.as_view(), name="member_change_role"),
    path("members/<int:pk>/remove/", views.MemberRemoveView.as_view(), name="member_remove"),
    path("invitation/<str:token>/", views.InvitationAcceptView.as_view(), name="invitation_accept"),
    path("profile/", views.ProfileView.as_view(), name="profile"),
    path("privacy/", views.PrivacyView.as_view(), name="privacy"),
    path("unsubscribe/<str:token>/", views.UnsubscribeView.as_view(), name="unsubscribe"),
    path("history/<str:model>/<int:pk>/", views_history.ObjectHistoryView.as_view(), name="object_history"),
    path("activity/", views_history.ActivityView.as_view(), name="activity"),
    path("deleted/", views_history.RecentlyDeletedView.as_view(), name="recently_deleted"),
    path("deleted/<str:model>/<int:pk>/restore/", views_history.DeletedRestoreView.as_view(), name="deleted_restore"),
    path("jobs/<int:pk>/", views_jobs.JobDetailView.as_view(), name="job_detail"),
    path("jobs/<int:pk>/status/", views_jobs.JobStatusView.as_view(), name="job_status"),
    path("jobs/<int:pk>/download/", views_jobs.JobDownloadView.as_view(), name="job_download"),
    path("choose/", ChooserSearchView.as_view(), name="chooser_search"),
    path("accounts/login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("accounts/two-factor/", views_two_factor.TwoFactorVerifyView.as_view(), name="two_factor_verify"),
    path("accounts/password_reset/", views.PasswordResetView.as_view(), name="password_reset"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("needs/", include("assessments.urls")),
    path("stakeholders/", include("stakeholders.urls")),
    path("initiatives/", include("initiatives.urls")),
    path("evaluation/", include("evaluations.urls")),
    path("plans/", include("plans.urls")),
    path("api/", include("integration_hub.api_urls")),
    path("profile/two-factor/", views_two_factor.TwoFactorSetupView.as_view(), name="two_factor"),
    path("profile/api-keys/", views.ApiTokensView.as_view(), name="api_tokens"),
    path("profile/api-keys/<int:pk>/revoke/", views.ApiTokenRevokeView.as_view(), name="api_token_revoke"),
    path("admin/", admin.site.urls),
]
