"""The foundation's pages: home, organisation switching, members and invitations, settings,
erasure, export, profile and API keys. Class-based over crud.py like the steps' pages."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.mixins import LoginRequiredMixin
from django.contrib.messages.views import SuccessMessageMixin
from django.core.exceptions import ValidationError
from django.http import FileResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse_lazy
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views import View
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST
from django.views.generic import FormView, TemplateView, UpdateView

from integration_hub import exports, inputs, network, permissions, selectors, services, tasks, throttling
from integration_hub import jobs as job_services
from integration_hub.crud import OrganizationActionView, OwnMembershipMixin
from integration_hub.dashboard import home_overview
from integration_hub.forms import (
    AcceptInvitationForm,
    ErasureRequestForm,
    InvitationForm,
    MembershipRoleForm,
    OrganizationSettingsForm,
    ProfileForm,
)
from integration_hub.inputs import parse_id
from integration_hub.mail import unsubscribe_user
from integration_hub.models import AuditEvent, ErasureRequest, Invitation, Organization, Role
from integration_hub.network import NetworkMixin
from integration_hub.tenancy import OrganizationMixin, switch_organization


class HomeView(OrganizationMixin, TemplateView):
    template_name = "integration_hub/home.html"

    def get(self, request, *args, **kwargs):
        if self.organization.is_network:
            # The office runs no steps itself: its work is the roll-up across affiliates.
            return redirect("network_overview")
        if request.access.role == Role.BOARD:
            # Board members read dashboards; the board dashboard is their home.
            return redirect("evaluations:dashboard")
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        steps, attention = home_overview(self.organization)
        return super().get_context_data(steps=steps, attention=attention, **kwargs)


class NoOrganizationView(LoginRequiredMixin, TemplateView):
    template_name = "integration_hub/no_organization.html"

    def get(self, request, *args, **kwargs):
        if request.access is not None:
            return redirect("home")
        return super().get(request, *args, **kwargs)


@method_decorator(require_POST, name="dispatch")
class OrganizationSwitchView(LoginRequiredMixin, View):
    def post(self, request):
        pk = parse_id(request.POST.get("organization"))
        organization = get_object_or_404(permissions.accessible_organizations(request.user), pk=pk or 0)
        switch_organization(request, organization)
        messages.success(request, _("You are now working in %(org)s.") % {"org": organization.name})
        return redirect(inputs.next_url(request, request.POST.get("next")))


class NetworkOverviewView(OrganizationMixin, NetworkMixin, TemplateView):
    template_name = "integration_hub/network_overview.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(**network.overview(), **kwargs)


# --- members -----------------------------------------------------------------------------------


class MemberListView(OrganizationMixin, FormView):
    permission = permissions.ADMIN
    template_name = "integration_hub/member_list.html"
    form_class = InvitationForm
    success_url = reverse_lazy("member_list")

    def form_valid(self, form):
        services.invitation_create(
            organization=self.organization,
            email=form.cleaned_data["email"],
            role=form.cleaned_data["role"],
            invited_by=self.request.user,
        )
        messages.success(self.request, _("Invitation sent to %(email)s.") % {"email": form.cleaned_data["email"]})
        return super().form_valid(form)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            members=selectors.members(self.organization),
            invitations=selectors.pending_invitations(self.organization),
            role_form=MembershipRoleForm(),
            **kwargs,
        )


class _MembershipActionView(OrganizationActionView):
    permission = permissions.ADMIN

    def get_membership(self):
        return get_object_or_404(selectors.members(self.organization), pk=self.kwargs["pk"])


class MemberChangeRoleView(_MembershipActionView):
    def post(self, request, pk):
        membership = self.get_membership()
        form = MembershipRoleForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Choose a valid role."))
            return redirect("member_list")
        try:
            services.membership_change_role(membership=membership, role=form.cleaned_data["role"])
        except ValidationError as error:
            messages.error(request, error.messages[0])
        else:
            messages.success(
                request,
                _("%(user)s is now %(role)s.") % {"user": membership.user, "role": membership.get_role_display()},
            )
        return redirect("member_list")


class MemberRemoveView(_MembershipActionView):
    def post(self, request, pk):
        membership = self.get_membership()
        try:
            services.membership_remove(membership=membership)
        except ValidationError as error:
            messages.error(request, error.messages[0])
        else:
            messages.success(request, _("%(user)s was removed.") % {"user": membership.user})
        return redirect("member_list")


class InvitationAcceptView(View):
    """Public: the link in an invitation email. A new person sets their name and password here;
    an existing account joins by logging in as itself (no password is set here)."""

    def get(self, request, token):
        return self.respond(request, token)

    def post(self, request, token):
        return self.respond(request, token)

    def respond(self, request, token):
        invitation = selectors.invitation_by_token(token)
        if invitation is None or not invitation.is_pending:
            return render(request, "integration_hub/invitation_invalid.html", status=404)
        if selectors.has_account(invitation.email):
            return self.join_existing_account(request, invitation)
        form = AcceptInvitationForm(request.POST or None, email=invitation.email)
        if request.method == "POST" and form.is_valid():
            try:
                user = services.invitation_accept(
                    invitation=invitation,
                    first_name=form.cleaned_data["first_name"],
                    last_name=form.cleaned_data["last_name"],
                    password=form.cleaned_data["password1"],
                )
            except ValidationError as error:
                messages.error(request, error.messages[0])
                return redirect("login")
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            switch_organization(request, invitation.organization)
            messages.success(request, _("Welcome to %(org)s.") % {"org": invitation.organization.name})
            return redirect("home")
        return render(request, "integration_hub/invitation_accept.html", {"invitation": invitation, "form": form})

    def join_existing_account(self, request, invitation):
        if not (request.user.is_authenticated and request.user.email.lower() == invitation.email.lower()):
            return render(request, "integration_hub/invitation_login.html", {"invitation": invitation}, status=200)
        if request.method == "POST":
            services.invitation_accept(invitation=invitation, user=request.user)
            switch_organization(request, invitation.organization)
            messages.success(request, _("You joined %(org)s.") % {"org": invitation.organization.name})
            return redirect("home")
        return render(request, "integration_hub/invitation_join.html", {"invitation": invitation})


# --- the organisation's settings, erasure and export -------------------------------------------


class OrganizationSettingsView(OrganizationMixin, SuccessMessageMixin, UpdateView):
    permission = permissions.ADMIN
    template_name = "integration_hub/organization_settings.html"
    form_class = OrganizationSettingsForm
    success_url = reverse_lazy("organization_settings")

    def get_object(self, queryset=None):
        # A fresh copy: a rejected form must not rename the organisation in the navbar.
        return selectors.organization(self.organization.pk)

    def get_success_message(self, cleaned_data):
        return _("The organisation's settings were saved.")


class OrganizationErasureView(OrganizationMixin, FormView):
    """Delete everything the organisation holds, after a grace period that allows cancelling."""

    permission = permissions.ADMIN
    template_name = "integration_hub/organization_erasure.html"
    form_class = ErasureRequestForm

    def dispatch(self, request, *args, **kwargs):
        self.pending = None
        return super().dispatch(request, *args, **kwargs)

    def get(self, request, *args, **kwargs):
        self.pending = selectors.pending_erasure(self.organization)
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        self.pending = selectors.pending_erasure(self.organization)
        if self.pending is not None:
            messages.error(request, _("An erasure is already scheduled. Cancel it first if you want to start again."))
            return redirect("organization_erasure")
        return super().post(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "organization": self.organization}

    def form_valid(self, form):
        try:
            services.erasure_request(
                organization=self.organization,
                requested_by=self.request.user,
                typed_name=form.cleaned_data["typed_name"],
            )
        except ValidationError as error:
            messages.error(self.request, error.messages[0])
        else:
            messages.warning(self.request, _("The erasure is scheduled. You can cancel it during the next 7 days."))
        return redirect("organization_erasure")

    def get_context_data(self, **kwargs):
        return super().get_context_data(pending=self.pending, **kwargs)


class OrganizationErasureCancelView(OrganizationActionView):
    permission = permissions.ADMIN

    def post(self, request, pk):
        erasure = get_object_or_404(selectors.erasures(self.organization), pk=pk)
        try:
            services.erasure_cancel(erasure=erasure, cancelled_by=request.user)
        except ValidationError as error:
            messages.error(request, error.messages[0])
        else:
            messages.success(request, _("The erasure was cancelled; nothing was deleted."))
        return redirect("organization_erasure")


class OrganizationExportView(OrganizationMixin, View):
    permission = permissions.ADMIN

    def get(self, request):
        """A small organisation's export downloads at once; a larger one (more rows than
        EXPORT_BACKGROUND_ROWS) is made by a job, and the admin is sent to its page for the file."""
        organization = self.organization
        filename = exports.organization_export_filename(organization)
        services.audit_record(
            organization=organization, action=AuditEvent.Action.FULL_EXPORT, actor=request.user, summary=filename
        )
        if exports.organization_export_size(organization) > settings.EXPORT_BACKGROUND_ROWS:
            job = job_services.job_create(
                organization=organization, kind=exports.ORGANIZATION_EXPORT_JOB, created_by=request.user
            )
            tasks.enqueue_job(job.pk)
            return redirect("job_detail", pk=job.pk)
        return FileResponse(exports.organization_export(organization), as_attachment=True, filename=filename)


@method_decorator(csrf_exempt, name="dispatch")  # RFC 8058: the mail program POSTs with no session or form
class UnsubscribeView(View):
    """One-click opt-out of reminder emails, without logging in: the signed token is the key.
    GET asks (link scanners follow links, they must not opt anyone out); POST does it."""

    template_name = "integration_hub/unsubscribe.html"

    def dispatch(self, request, *args, **kwargs):
        self.user = unsubscribe_user(kwargs["token"])
        if self.user is None:
            return render(request, self.template_name, {"invalid": True}, status=404)
        return super().dispatch(request, *args, **kwargs)

    def get(self, request, token):
        return render(request, self.template_name, {"email": self.user.email})

    def post(self, request, token):
        services.reminders_unsubscribe(user=self.user)
        return render(request, self.template_name, {"done": True})


class PrivacyView(TemplateView):
    """Public: what is kept and what is never asked, in English or Spanish. The periods come from
    the settings that enforce them, so the page cannot drift from what the app does."""

    template_name = "integration_hub/privacy.html"

    def get_context_data(self, **kwargs):
        lang = self.request.GET.get("lang") or self.request.LANGUAGE_CODE
        retention = Organization._meta.get_field("retention_months")
        return super().get_context_data(
            lang="es" if lang.startswith("es") else "en",
            deleted_history_days=settings.DELETED_HISTORY_DAYS,
            erasure_grace_days=ErasureRequest.GRACE_PERIOD.days,
            invitation_days=Invitation.VALID_FOR.days,
            session_days=settings.SESSION_COOKIE_AGE // (24 * 60 * 60),
            login_attempt_minutes=int(settings.AXES_COOLOFF_TIME.total_seconds() // 60),
            retention_default_months=retention.default,
            **kwargs,
        )


# --- the user's own profile and API keys -------------------------------------------------------


class ProfileView(LoginRequiredMixin, SuccessMessageMixin, UpdateView):
    template_name = "integration_hub/profile.html"
    form_class = ProfileForm
    success_url = reverse_lazy("profile")

    def get_object(self, queryset=None):
        return self.request.user

    def get_success_message(self, cleaned_data):
        return _("Your profile was saved.")


class ApiTokensView(OwnMembershipMixin, TemplateView):
    """A member's API keys for the current organisation; a key acts with their role there.
    Network staff viewing an affiliate have no membership there, so no key for it (404)."""

    template_name = "integration_hub/api_tokens.html"

    def post(self, request):
        new_key = None
        name = (request.POST.get("name") or "").strip()[:100]
        if not name:
            messages.error(request, _("Say what the key is for, e.g. the reporting spreadsheet."))
        else:
            _token, new_key = services.api_token_create(membership=request.access.membership, name=name)
        return self.render_to_response(self.get_context_data(new_key=new_key))

    def get_context_data(self, **kwargs):
        kwargs.setdefault("new_key", None)
        tokens = selectors.active_api_tokens(self.request.access.membership)
        return super().get_context_data(tokens=tokens, **kwargs)


@method_decorator(require_POST, name="dispatch")
class ApiTokenRevokeView(LoginRequiredMixin, View):
    def post(self, request, pk):
        token = get_object_or_404(selectors.users_active_api_tokens(request.user), pk=pk)
        services.api_token_revoke(token=token)
        messages.success(request, _("The key %(name)s was revoked.") % {"name": token})
        return redirect("api_tokens")


class PasswordResetView(auth_views.PasswordResetView):
    """At most a few emails per address and per client address an hour. Past that the page
    answers exactly as after sending, so it tells nothing about whether the address has an account."""

    def form_valid(self, form):
        if throttling.password_reset_allowed(self.request, form.cleaned_data["email"]):
            return super().form_valid(form)
        return HttpResponseRedirect(self.get_success_url())
