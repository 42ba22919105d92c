"""The two-factor pages: set it up or turn it off (the user's own), and the code step after the password."""

import django_otp
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import redirect, render
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views import View
from django.views.decorators.cache import never_cache

from integration_hub import inputs, two_factor
from integration_hub.forms import TwoFactorCodeForm, TwoFactorDisableForm


def _locked():
    return _(
        "Too many wrong codes. The code step is locked for %(minutes)s minutes; "
        "then try again, or use one of your recovery codes."
    ) % {"minutes": settings.TWO_FACTOR_LOCKOUT_MINUTES}


@method_decorator(never_cache, name="dispatch")
class TwoFactorSetupView(LoginRequiredMixin, View):
    """Off: scan the QR code, confirm with a code, get recovery codes once. On: new codes, or turn it off."""

    def get(self, request):
        return _setup(request)

    def post(self, request):
        return _setup(request)


def _setup(request):
    user = request.user
    if user.two_factor_enabled:
        return _manage(request, user)
    device = two_factor.pending_device(user=user)
    form = TwoFactorCodeForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            codes = two_factor.two_factor_enable(user=user, device=device, code=form.cleaned_data["code"])
        except two_factor.Locked:
            form.add_error("code", _locked())
            status = 429
        else:
            if codes is not None:
                # This session just proved the code: it stays signed in, verified.
                django_otp.login(request, device)
                messages.success(request, _("Two-factor sign-in is on."))
                return render(request, "integration_hub/two_factor_codes.html", {"codes": codes})
            form.add_error("code", _("That code is not right. Check the time on your phone and try the newest code."))
    context = {
        "form": form,
        "qr_code": two_factor.qr_code_data_uri(device),
        "secret": two_factor.secret_for_typing(device),
    }
    return render(request, "integration_hub/two_factor_setup.html", context, status=status)


def _manage(request, user):
    requiring = list(two_factor.organizations_requiring(user))
    form = TwoFactorDisableForm(request.POST if request.POST.get("action") == "disable" else None)
    status = 200
    if request.method == "POST" and request.POST.get("action") == "recovery_codes":
        codes = two_factor.recovery_codes_create(user=user)
        messages.success(request, _("New recovery codes are ready; the old ones no longer work."))
        return render(request, "integration_hub/two_factor_codes.html", {"codes": codes})
    if request.method == "POST" and form.is_valid():
        if requiring:
            messages.error(request, _("An organisation you are an admin of requires two-factor sign-in."))
            return redirect("two_factor")
        try:
            confirmed = two_factor.identity_confirmed(user=user, password_or_code=form.cleaned_data["password_or_code"])
        except two_factor.Locked:
            form.add_error("password_or_code", _locked())
            status = 429
        else:
            if confirmed:
                two_factor.two_factor_disable(user=user)
                messages.success(request, _("Two-factor sign-in is off. Your password alone signs you in."))
                return redirect("two_factor")
            form.add_error("password_or_code", _("That is neither your password nor a current code."))
    return render(
        request, "integration_hub/two_factor_manage.html", {"form": form, "requiring": requiring}, status=status
    )


@method_decorator(never_cache, name="dispatch")
class TwoFactorVerifyView(View):
    """The second step of signing in, for accounts with two-factor sign-in on."""

    def get(self, request):
        return _verify(request)

    def post(self, request):
        return _verify(request)


def _verify(request):
    user = request.user
    if not user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    next_url = inputs.next_url(request, request.POST.get("next") or request.GET.get("next"))
    if user.two_factor_enabled and not django_otp.user_has_device(user):
        # A superuser deleted the devices in the admin (a lost phone): that resets it.
        two_factor.two_factor_disable(user=user)
    if not user.two_factor_enabled or user.is_verified():
        return redirect(next_url)
    form = TwoFactorCodeForm(request.POST or None)
    locked = two_factor.is_locked(user)
    if request.method == "POST" and not locked and form.is_valid():
        try:
            device = two_factor.code_check(user=user, code=form.cleaned_data["code"])
        except two_factor.Locked:
            locked = True
        else:
            if device is not None:
                django_otp.login(request, device)
                return redirect(next_url)
            form.add_error("code", _("That code is not right. Try the newest code from your app."))
    context = {"form": form, "next": next_url, "locked": locked, "locked_message": _locked()}
    return render(request, "registration/two_factor_verify.html", context, status=429 if locked else 200)
