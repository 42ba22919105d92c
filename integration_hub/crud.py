"""Base views for plain create / edit / delete pages of tenant objects.

They add tenancy (OrganizationMixin), the EDIT permission, success messages and the
shared templates `integration_hub/form_page.html` and `integration_hub/confirm_delete.html`.
Writes that do more than save one form go through the app's services instead.
"""

from django.contrib import messages
from django.contrib.messages.views import SuccessMessageMixin
from django.utils.translation import gettext_lazy as _
from django.views.generic import CreateView, DeleteView, DetailView, UpdateView

from integration_hub import permissions
from integration_hub.tenancy import OrganizationMixin


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
