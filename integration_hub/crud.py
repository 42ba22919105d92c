"""Base views for the pages of tenant objects: detail, create / edit / delete, form pages
whose valid form goes to a service, and one-button actions.

They add tenancy (OrganizationMixin), the EDIT permission, success messages and the
shared templates `integration_hub/form_page.html` and `integration_hub/confirm_delete.html`.
Writes that do more than save one form go through the app's services instead
(`OrganizationFormView.form_valid`, `OrganizationActionView.post`).
"""

from functools import cached_property

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.contrib.messages.views import SuccessMessageMixin
from django.shortcuts import get_object_or_404
from django.utils.decorators import method_decorator
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.decorators.http import require_POST
from django.views.generic import CreateView, DeleteView, DetailView, FormView, UpdateView

from integration_hub import permissions
from integration_hub.tenancy import OrganizationMixin


class ParentMixin:
    """Pages under one of the organisation's rows (an initiative's new indicator, an indicator's
    new measurement): the row named by the URL's pk, through the scoped queryset, so another
    organisation's id answers 404."""

    parent_model = None

    def get_parent_queryset(self):
        return self.parent_model.objects.for_organization(self.organization)

    @cached_property
    def parent(self):
        return get_object_or_404(self.get_parent_queryset(), pk=self.kwargs["pk"])


class FormPageMixin:
    """The shared form page's title, optional intro and cancel link."""

    template_name = "integration_hub/form_page.html"
    page_title = None
    intro = None
    cancel_url = None

    def get_page_title(self):
        return self.page_title

    def get_intro(self):
        return self.intro

    def get_cancel_url(self):
        return self.cancel_url

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.setdefault("page_title", self.get_page_title())
        context.setdefault("cancel_url", self.get_cancel_url())
        context.setdefault("intro", self.get_intro())
        return context


class OrganizationFormView(OrganizationMixin, FormPageMixin, FormView):
    """A form page whose valid form goes to a service rather than one `form.save()`."""

    permission = permissions.EDIT


@method_decorator(require_POST, name="dispatch")
class OrganizationActionView(OrganizationMixin, View):
    """A button that POSTs (retry, remove, cancel): one service call, a message, back to a page.
    Any other method answers 405 before anything else, as `require_POST` does for functions."""

    permission = permissions.EDIT


class OrganizationDetailView(OrganizationMixin, DetailView):
    pass


class OrganizationCreateView(OrganizationMixin, SuccessMessageMixin, CreateView):
    permission = permissions.EDIT
    template_name = "integration_hub/form_page.html"
    success_message = _("%(object)s was created.")
    page_title = None
    cancel_url = None

    def form_valid(self, form):
        form.instance.organization = self.organization
        return super().form_valid(form)

    def get_success_message(self, cleaned_data):
        return self.success_message % {"object": self.object}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.setdefault(
            "page_title", self.page_title or _("New %(model)s") % {"model": self.model._meta.verbose_name}
        )
        context.setdefault("cancel_url", self.cancel_url)
        return context


class OrganizationUpdateView(OrganizationMixin, SuccessMessageMixin, UpdateView):
    permission = permissions.EDIT
    template_name = "integration_hub/form_page.html"
    success_message = _("Your changes to %(object)s were saved.")
    page_title = None

    def get_success_message(self, cleaned_data):
        return self.success_message % {"object": self.object}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.setdefault("page_title", self.page_title or _("Edit %(object)s") % {"object": self.object})
        context.setdefault(
            "cancel_url", self.object.get_absolute_url() if hasattr(self.object, "get_absolute_url") else None
        )
        return context


class OrganizationDeleteView(OrganizationMixin, DeleteView):
    permission = permissions.EDIT
    template_name = "integration_hub/confirm_delete.html"

    def form_valid(self, form):
        messages.success(self.request, _("%(object)s was deleted.") % {"object": self.object})
        return super().form_valid(form)


class OwnMembershipMixin(LoginRequiredMixin):
    """Pages about the user's own membership in the current organisation (their calendar feed,
    their API keys). Any role may write there, so no level is checked; without a membership here
    the page does not exist (permissions.require_membership)."""

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            permissions.require_membership(request.access)
        return super().dispatch(request, *args, **kwargs)
