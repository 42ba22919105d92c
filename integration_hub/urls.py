from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from integration_hub import views, views_two_factor
from integration_hub.network import AffiliateListView, NetworkInitiativeListView

urlpatterns = [
    path("", views.home, name="home"),
    path("welcome/", views.no_organization, name="no_organization"),
    path("organization/switch/", views.organization_switch, name="organization_switch"),
    path("affiliates/", AffiliateListView.as_view(), name="affiliate_list"),
    path("network/", views.network_overview, name="network_overview"),
    path("network/initiatives/", NetworkInitiativeListView.as_view(), name="network_initiatives"),
    path("settings/", views.organization_settings, name="organization_settings"),
    path("settings/export/", views.organization_export, name="organization_export"),
    path("settings/erase/", views.organization_erasure, name="organization_erasure"),
    path("settings/erase/<int:pk>/cancel/", views.organization_erasure_cancel, name="organization_erasure_cancel"),
    path("members/", views.member_list, name="member_list"),
    path("members/<int:pk>/role/", views.member_change_role, name="member_change_role"),
    path("members/<int:pk>/remove/", views.member_remove, name="member_remove"),
    path("invitation/<str:token>/", views.invitation_accept, name="invitation_accept"),
    path("profile/", views.profile, name="profile"),
    path("privacy/", views.privacy, name="privacy"),
    path("unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("history/<str:model>/<int:pk>/", views.object_history, name="object_history"),
    path("activity/", views.activity, name="activity"),
    path("accounts/login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("accounts/two-factor/", views_two_factor.two_factor_verify, name="two_factor_verify"),
    path("accounts/password_reset/", views.PasswordResetView.as_view(), name="password_reset"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("needs/", include("assessments.urls")),
    path("stakeholders/", include("stakeholders.urls")),
    path("initiatives/", include("initiatives.urls")),
    path("evaluation/", include("evaluations.urls")),
    path("api/", include("integration_hub.api_urls")),
    path("profile/two-factor/", views_two_factor.two_factor_setup, name="two_factor"),
    path("profile/api-keys/", views.api_tokens, name="api_tokens"),
    path("profile/api-keys/<int:pk>/revoke/", views.api_token_revoke, name="api_token_revoke"),
    path("admin/", admin.site.urls),
]
