from django.apps import apps
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model, login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponseNotAllowed, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from integration_hub import history, inputs, network, permissions, services, throttling
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
from integration_hub.models import ApiToken, AuditEvent, ErasureRequest, Invitation, Membership, Organization, Role
from integration_hub.tenancy import organization_view, switch_organization


@organization_view()
def home(request):
    if request.organization.is_network:
        # The office runs no steps itself: its work is the roll-up across affiliates.
        return redirect("network_overview")
    if request.access.role == Role.BOARD:
        # Board members read dashboards; the board dashboard is their home.
        return redirect("evaluations:dashboard")
    steps, attention = home_overview(request.organization)
    return render(request, "integration_hub/home.html", {"steps": steps, "attention": attention})


@login_required
def no_organization(request):
    if request.access is not None:
        return redirect("home")
    return render(request, "integration_hub/no_organization.html")


@require_POST
@login_required
def organization_switch(request):
    pk = parse_id(request.POST.get("organization"))
    organization = get_object_or_404(permissions.accessible_organizations(request.user), pk=pk or 0)
    switch_organization(request, organization)
    messages.success(request, _("You are now working in %(org)s.") % {"org": organization.name})
    return redirect(inputs.next_url(request, request.POST.get("next")))


@organization_view()
def network_overview(request):
    if not permissions.is_network_staff(request.access):
        raise Http404
    return render(request, "integration_hub/network_overview.html", network.overview())


@organization_view(permissions.ADMIN)
def member_list(request):
    organization = request.organization
    members = Membership.objects.for_organization(organization).select_related("user")
    invitations = Invitation.objects.for_organization(organization).pending().select_related("invited_by")
    form = InvitationForm(request.POST or None, organization=organization)
    if request.method == "POST" and form.is_valid():
        services.invitation_create(
            organization=organization,
            email=form.cleaned_data["email"],
            role=form.cleaned_data["role"],
            invited_by=request.user,
        )
        messages.success(request, _("Invitation sent to %(email)s.") % {"email": form.cleaned_data["email"]})
        return redirect("member_list")
    context = {"members": members, "invitations": invitations, "form": form, "role_form": MembershipRoleForm()}
    return render(request, "integration_hub/member_list.html", context)


@organization_view(permissions.ADMIN)
def organization_settings(request):
    # A fresh copy: a rejected form must not rename the organisation in the navbar.
    organization = Organization.objects.get(pk=request.organization.pk)
    form = OrganizationSettingsForm(request.POST or None, instance=organization)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("The organisation's settings were saved."))
        return redirect("organization_settings")
    return render(request, "integration_hub/organization_settings.html", {"form": form})


@organization_view(permissions.ADMIN)
def organization_erasure(request):
    """Delete everything the organisation holds, after a grace period that allows cancelling."""
    organization = request.organization
    pending = ErasureRequest.objects.pending().filter(organization=organization).first()
    form = ErasureRequestForm(request.POST or None, organization=organization)
    if request.method == "POST" and pending is None and form.is_valid():
        try:
            services.erasure_request(
                organization=organization, requested_by=request.user, typed_name=form.cleaned_data["typed_name"]
            )
        except ValidationError as error:
            messages.error(request, error.messages[0])
        else:
            messages.warning(request, _("The erasure is scheduled. You can cancel it during the next 7 days."))
        return redirect("organization_erasure")
    if request.method == "POST" and pending is not None:
        messages.error(request, _("An erasure is already scheduled. Cancel it first if you want to start again."))
        return redirect("organization_erasure")
    return render(request, "integration_hub/organization_erasure.html", {"form": form, "pending": pending})


@require_POST
@organization_view(permissions.ADMIN)
def organization_erasure_cancel(request, pk):
    erasure = get_object_or_404(ErasureRequest.objects.filter(organization=request.organization), pk=pk)
    try:
        services.erasure_cancel(erasure=erasure, cancelled_by=request.user)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, _("The erasure was cancelled; nothing was deleted."))
    return redirect("organization_erasure")


@require_POST
@organization_view(permissions.ADMIN)
def member_change_role(request, pk):
    membership = get_object_or_404(Membership.objects.for_organization(request.organization), pk=pk)
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
            request, _("%(user)s is now %(role)s.") % {"user": membership.user, "role": membership.get_role_display()}
        )
    return redirect("member_list")


@require_POST
@organization_view(permissions.ADMIN)
def member_remove(request, pk):
    membership = get_object_or_404(Membership.objects.for_organization(request.organization), pk=pk)
    try:
        services.membership_remove(membership=membership)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, _("%(user)s was removed.") % {"user": membership.user})
    return redirect("member_list")


def invitation_accept(request, token):
    invitation = Invitation.objects.by_token(token).select_related("organization").first()
    if invitation is None or not invitation.is_pending:
        return render(request, "integration_hub/invitation_invalid.html", status=404)
    if get_user_model().objects.filter(email__iexact=invitation.email).exists():
        # An existing account joins by logging in as itself; no password is set here.
        if request.user.is_authenticated and request.user.email.lower() == invitation.email.lower():
            if request.method == "POST":
                services.invitation_accept(invitation=invitation, user=request.user)
                switch_organization(request, invitation.organization)
                messages.success(request, _("You joined %(org)s.") % {"org": invitation.organization.name})
                return redirect("home")
            return render(request, "integration_hub/invitation_join.html", {"invitation": invitation})
        return render(request, "integration_hub/invitation_login.html", {"invitation": invitation}, status=200)

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


@csrf_exempt  # RFC 8058: the mail program POSTs "List-Unsubscribe=One-Click" with no session or form
def unsubscribe(request, token):
    """One-click opt-out of reminder emails, without logging in: the signed token is the key.
    GET asks (link scanners follow links, they must not opt anyone out); POST does it."""
    user = unsubscribe_user(token)
    if user is None:
        return render(request, "integration_hub/unsubscribe.html", {"invalid": True}, status=404)
    if request.method == "POST":
        services.reminders_unsubscribe(user=user)
        return render(request, "integration_hub/unsubscribe.html", {"done": True})
    if request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET", "POST"])
    return render(request, "integration_hub/unsubscribe.html", {"email": user.email})


def privacy(request):
    """Public: what is kept and what is never asked, in English or Spanish. The periods come from
    the settings that enforce them, so the page cannot drift from what the app does."""
    lang = request.GET.get("lang") or request.LANGUAGE_CODE
    retention = Organization._meta.get_field("retention_months")
    periods = {
        "deleted_history_days": settings.DELETED_HISTORY_DAYS,
        "erasure_grace_days": ErasureRequest.GRACE_PERIOD.days,
        "invitation_days": Invitation.VALID_FOR.days,
        "session_days": settings.SESSION_COOKIE_AGE // (24 * 60 * 60),
        "login_attempt_minutes": int(settings.AXES_COOLOFF_TIME.total_seconds() // 60),
        "retention_default_months": retention.default,
    }
    return render(request, "integration_hub/privacy.html", {"lang": "es" if lang.startswith("es") else "en", **periods})


@organization_view()
def object_history(request, model, pk):
    """The History tab of any tracked object of the current organisation."""
    try:
        model_class = apps.get_model(model)
    except (LookupError, ValueError):
        raise Http404 from None
    if model_class not in history.tracked_models():
        raise Http404
    path = getattr(model_class, "tenant_path", "organization")
    obj = get_object_or_404(model_class.objects.filter(**{path: request.organization.pk}), pk=pk)
    return render(
        request, "integration_hub/object_history.html", {"object": obj, "entries": history.object_history(obj)}
    )


@organization_view(permissions.ADMIN)
def organization_export(request):
    from django.http import FileResponse

    from integration_hub.exports import organization_export as build_export

    filename = f"{request.organization.slug}-export-{timezone.localdate().isoformat()}.zip"
    services.audit_record(
        organization=request.organization, action=AuditEvent.Action.FULL_EXPORT, actor=request.user, summary=filename
    )
    return FileResponse(build_export(request.organization), as_attachment=True, filename=filename)


@organization_view(permissions.ADMIN)
def activity(request):
    entries = history.organization_activity(request.organization)
    return render(request, "integration_hub/activity.html", {"entries": entries})


@login_required
def profile(request):
    form = ProfileForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Your profile was saved."))
        return redirect("profile")
    return render(request, "integration_hub/profile.html", {"form": form})


@login_required
def api_tokens(request):
    """A member's API keys for the current organisation; a key acts with their role there."""
    membership = request.access.membership if request.access else None
    if membership is None:
        # Network staff viewing an affiliate have no membership there, so no key for it.
        raise Http404
    tokens = ApiToken.objects.filter(membership=membership).active()
    new_key = None
    if request.method == "POST":
        name = (request.POST.get("name") or "").strip()[:100]
        if not name:
            messages.error(request, _("Say what the key is for, e.g. the reporting spreadsheet."))
        else:
            _token, new_key = services.api_token_create(membership=membership, name=name)
    return render(request, "integration_hub/api_tokens.html", {"tokens": tokens, "new_key": new_key})


@require_POST
@login_required
def api_token_revoke(request, pk):
    token = get_object_or_404(ApiToken.objects.filter(membership__user=request.user).active(), pk=pk)
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
