"""Step 3 pages. Class-based views over the shared organisation mixin; the
network library's pages use NetworkEditorMixin (initiatives.access)."""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.messages.views import SuccessMessageMixin
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django.views import View
from django.views.generic import CreateView, DetailView, ListView, UpdateView

from integration_hub import permissions
from integration_hub.crud import OrganizationCreateView, OrganizationDeleteView, OrganizationUpdateView, ParentMixin
from integration_hub.inputs import clean_search_term, parse_id
from integration_hub.listing import OrganizationListView, search
from integration_hub.tenancy import OrganizationMixin

from . import forms, selectors, services
from .access import NetworkEditorMixin, is_network_editor
from .filters import IdeaFilter, InitiativeFilter
from .models import Activity, BudgetLine, Funding, Idea, Initiative, InitiativePartner, Milestone, Task

# --- initiatives --------------------------------------------------------------------


def _progress_cell(initiative):
    return initiative.progress.percent


class InitiativeListView(OrganizationListView):
    model = Initiative
    template_name = "initiatives/initiative_list.html"
    search_fields = ("title", "summary", "locations")
    filterset_class = InitiativeFilter
    csv_columns = (
        (_("Title"), "title"),
        (_("Welcoming Standard category"), "get_category_display"),
        (_("Status"), "get_status_display"),
        (_("Lead"), "lead"),
        (_("Start"), "start_date"),
        (_("End"), "end_date"),
        (_("Locations"), "locations"),
        (_("Idea"), "idea.shown_title"),
        (_("Tasks done (%)"), _progress_cell),
    )

    def get_queryset(self):
        return selectors.with_progress(super().get_queryset())

    def decorate(self, objects):
        return selectors.attach_progress(objects)


class InitiativeCreateView(OrganizationCreateView):
    model = Initiative
    form_class = forms.InitiativeForm
    cancel_url = reverse_lazy("initiatives:index")

    def get_idea(self):
        if not hasattr(self, "_idea"):
            pk = parse_id(self.request.GET.get("idea"))
            self._idea = Idea.objects.filter(pk=pk).first() if pk else None
        return self._idea

    def get_initial(self):
        idea = self.get_idea()
        if idea is None:
            return super().get_initial()
        return {
            "idea": idea,
            "title": idea.shown_title,
            "category": idea.welcoming_standard,
            "summary": idea.shown_description,
        }

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        idea = self.get_idea()
        if idea:
            context["page_title"] = _("Start an initiative from “%(idea)s”") % {"idea": idea.shown_title}
            context["intro"] = _("We filled in what the idea says. Make it yours: your goals, dates, lead and place.")
        return context

    def get_success_url(self):
        return self.object.get_absolute_url()


class InitiativeUpdateView(OrganizationUpdateView):
    model = Initiative
    form_class = forms.InitiativeForm


class InitiativeDeleteView(OrganizationDeleteView):
    model = Initiative
    success_url = reverse_lazy("initiatives:index")


def _members(organization):
    return get_user_model().objects.filter(memberships__organization=organization).order_by("first_name", "email")


def _overview_context(request, pk, **extra):
    try:
        initiative = selectors.initiative_detail(request.organization, pk)
    except Initiative.DoesNotExist as missing:
        raise Http404 from missing
    today = timezone.localdate()
    context = {
        "initiative": initiative,
        "object": initiative,
        "today": today,
        **selectors.initiative_overview(initiative, today),
        **extra,
    }
    if request.access.can_edit:
        context["members"] = list(_members(request.organization))
    return context


class InitiativeDetailView(OrganizationMixin, View):
    def get(self, request, pk):
        return render(request, "initiatives/initiative_detail.html", _overview_context(request, pk))


class InitiativeChildCreateView(ParentMixin, OrganizationMixin, SuccessMessageMixin, CreateView):
    """Adds a row under one of the organisation's initiatives; the plain form page is
    the no-JS fallback of the quick-add forms on the detail page."""

    permission = permissions.EDIT
    template_name = "integration_hub/form_page.html"
    anchor = ""
    parent_model = Initiative
    parent_field = "initiative"

    @property
    def initiative(self):
        parent = self.parent
        return parent if isinstance(parent, Initiative) else parent.initiative

    def form_valid(self, form):
        setattr(form.instance, self.parent_field, self.parent)
        return super().form_valid(form)

    def get_success_message(self, cleaned_data):
        return _("%(object)s was added.") % {"object": self.object}

    def get_success_url(self):
        return self.initiative.get_absolute_url() + self.anchor

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["page_title"] = _("%(action)s: %(initiative)s") % {
            "action": self.form_class.add_label,
            "initiative": self.initiative,
        }
        context["cancel_url"] = self.initiative.get_absolute_url() + self.anchor
        return context


class PartnerAddView(InitiativeChildCreateView):
    form_class = forms.PartnerForm
    anchor = "#partners"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "initiative": self.parent}


class PartnerRemoveView(OrganizationMixin, View):
    permission = permissions.EDIT

    def post(self, request, pk):
        link = get_object_or_404(InitiativePartner.objects.for_organization(request.organization), pk=pk)
        link.delete()
        messages.success(request, _("%(partner)s is no longer listed as a partner.") % {"partner": link.stakeholder})
        return redirect(reverse("initiatives:detail", args=[link.initiative_id]) + "#partners")


class MilestonesFragmentMixin:
    """htmx requests get the milestones section back (with errors if any);
    plain requests get the redirect or the form page."""

    def render_fragment(self, **extra):
        context = _overview_context(self.request, self.initiative.pk, **extra)
        return render(self.request, "initiatives/partials/milestones.html", context)

    def form_valid(self, form):
        response = super().form_valid(form)
        if self.request.htmx:
            return self.render_fragment()
        return response

    def form_invalid(self, form):
        if self.request.htmx:
            return self.render_fragment(**self.fragment_errors(form))
        return super().form_invalid(form)


class MilestoneAddView(MilestonesFragmentMixin, InitiativeChildCreateView):
    form_class = forms.MilestoneForm
    anchor = "#milestones"

    def fragment_errors(self, form):
        return {"milestone_form": form}


class TaskAddView(MilestonesFragmentMixin, InitiativeChildCreateView):
    form_class = forms.TaskForm
    parent_model = Milestone
    parent_field = "milestone"

    @property
    def anchor(self):
        return f"#milestone-{self.parent.pk}"

    def fragment_errors(self, form):
        return {"task_form": form, "task_form_milestone": self.parent.pk}


class TaskToggleView(OrganizationMixin, View):
    permission = permissions.EDIT

    def post(self, request, pk):
        task = get_object_or_404(Task.objects.for_organization(request.organization).select_related("milestone"), pk=pk)
        services.task_toggle_done(task=task)
        if request.htmx:
            context = _overview_context(request, task.milestone.initiative_id)
            return render(request, "initiatives/partials/milestones.html", context)
        return redirect(
            reverse("initiatives:detail", args=[task.milestone.initiative_id]) + f"#milestone-{task.milestone_id}"
        )


class BudgetLineAddView(InitiativeChildCreateView):
    form_class = forms.BudgetLineForm
    anchor = "#money"


class FundingAddView(InitiativeChildCreateView):
    form_class = forms.FundingForm
    anchor = "#money"


class ActivityAddView(InitiativeChildCreateView):
    form_class = forms.ActivityForm
    anchor = "#activities"


# --- editing and deleting the rows under an initiative ------------------------------


class InitiativeRowMixin:
    """A row under an initiative, reached through the organisation's scoped queryset
    (another organisation's id answers 404); back to the initiative's section after."""

    anchor = ""
    initiative_path = "initiative"

    def get_queryset(self):
        return super().get_queryset().select_related(self.initiative_path)

    @property
    def initiative(self):
        row = self.object
        for attribute in self.initiative_path.split("__"):
            row = getattr(row, attribute)
        return row

    def get_anchor(self):
        return self.anchor

    def back_url(self):
        return self.initiative.get_absolute_url() + self.get_anchor()

    def get_success_url(self):
        return self.back_url()

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs, initiative=self.initiative, cancel_url=self.back_url())


class InitiativeRowUpdateView(InitiativeRowMixin, OrganizationUpdateView):
    row_label = ""  # e.g. "Edit milestone"
    delete_url_name = ""

    def title_object(self):
        return self.object

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["page_title"] = _("%(action)s: %(object)s") % {"action": self.row_label, "object": self.title_object()}
        context["intro"] = _("Part of the initiative “%(initiative)s”.") % {"initiative": self.initiative}
        context["delete_url"] = reverse(self.delete_url_name, args=[self.object.pk]) if self.delete_url_name else None
        return context


class InitiativeRowDeleteView(InitiativeRowMixin, OrganizationDeleteView):
    pass


class PartnerEditView(InitiativeRowUpdateView):
    model = InitiativePartner
    form_class = forms.PartnerRoleForm
    row_label = _("Change partner's role")
    anchor = "#partners"

    # No delete_url_name: removing a partner is a button on the initiative page.

    def get_queryset(self):
        return super().get_queryset().select_related("stakeholder")

    def title_object(self):
        return self.object.stakeholder  # its str() would repeat the role being changed


class MilestoneEditView(InitiativeRowUpdateView):
    model = Milestone
    form_class = forms.MilestoneForm
    row_label = _("Edit milestone")
    delete_url_name = "initiatives:milestone_delete"

    def get_anchor(self):
        return f"#milestone-{self.object.pk}"


class MilestoneDeleteView(InitiativeRowDeleteView):
    model = Milestone
    anchor = "#milestones"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        tasks = self.object.tasks.count()
        if tasks:
            context["delete_warning"] = ngettext(
                "Its %(count)s task is deleted with it.", "Its %(count)s tasks are deleted with it.", tasks
            ) % {"count": tasks}
        return context


class TaskEditView(InitiativeRowUpdateView):
    model = Task
    form_class = forms.TaskEditForm
    initiative_path = "milestone__initiative"
    row_label = _("Edit task")
    delete_url_name = "initiatives:task_delete"

    def get_anchor(self):
        return f"#milestone-{self.object.milestone_id}"


class TaskDeleteView(InitiativeRowDeleteView):
    model = Task
    initiative_path = "milestone__initiative"

    def get_anchor(self):
        return f"#milestone-{self.object.milestone_id}"


class BudgetLineEditView(InitiativeRowUpdateView):
    model = BudgetLine
    form_class = forms.BudgetLineForm
    anchor = "#money"
    row_label = _("Edit budget line")
    delete_url_name = "initiatives:budget_delete"


class BudgetLineDeleteView(InitiativeRowDeleteView):
    model = BudgetLine
    anchor = "#money"


class FundingEditView(InitiativeRowUpdateView):
    model = Funding
    form_class = forms.FundingForm
    anchor = "#money"
    row_label = _("Edit funding")
    delete_url_name = "initiatives:funding_delete"


class FundingDeleteView(InitiativeRowDeleteView):
    model = Funding
    anchor = "#money"


class ActivityEditView(InitiativeRowUpdateView):
    model = Activity
    form_class = forms.ActivityForm
    anchor = "#activities"
    row_label = _("Edit activity")
    delete_url_name = "initiatives:activity_delete"


class ActivityDeleteView(InitiativeRowDeleteView):
    model = Activity
    anchor = "#activities"


class ProposePracticeView(OrganizationUpdateView):
    model = Initiative
    form_class = forms.ProposePracticeForm
    page_title = _("Propose as a promising practice")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["intro"] = _(
            "Network-office staff review proposals and may publish this initiative in the idea library, "
            "crediting %(organization)s, so other affiliates can start from it."
        ) % {"organization": self.organization}
        return context

    def form_valid(self, form):
        if self.object.practice_status == Initiative.PracticeStatus.PUBLISHED:
            messages.info(self.request, _("This initiative is already in the idea library."))
            return redirect(self.object.get_absolute_url())
        services.initiative_propose_practice(initiative=self.object, note=form.cleaned_data["practice_note"])
        messages.success(self.request, _("Thank you: the network office will review your proposal."))
        return redirect(self.object.get_absolute_url())


# --- the idea library ---------------------------------------------------------------


class IdeaListView(OrganizationMixin, ListView):
    """The network-wide library: the same for every organisation."""

    model = Idea
    template_name = "initiatives/idea_list.html"
    paginate_by = 60

    def get_queryset(self):
        queryset = search(selectors.idea_list(), ("title", "description"), self.request.GET.get("q"))
        self.filterset = IdeaFilter(self.request.GET, queryset=queryset, organization=self.organization)
        return self.filterset.qs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        query = self.request.GET.copy()
        query.pop("page", None)
        context.update(
            filter=self.filterset,
            search_term=clean_search_term(self.request.GET.get("q")),
            querystring=query.urlencode(),
            is_filtered=any(k != "page" for k in self.request.GET),
            is_network_editor=is_network_editor(self.request.access),
        )
        return context


class IdeaDetailView(OrganizationMixin, DetailView):
    model = Idea
    template_name = "initiatives/idea_detail.html"

    def get_queryset(self):
        return selectors.idea_list()

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs, is_network_editor=is_network_editor(self.request.access))


class IdeaCreateView(NetworkEditorMixin, SuccessMessageMixin, CreateView):
    model = Idea
    form_class = forms.IdeaForm
    template_name = "integration_hub/form_page.html"
    success_message = _("%(title)s was added to the library.")
    extra_context = {"page_title": _("New idea for the library"), "cancel_url": reverse_lazy("initiatives:idea_list")}


class IdeaUpdateView(NetworkEditorMixin, SuccessMessageMixin, UpdateView):
    model = Idea
    form_class = forms.IdeaForm
    template_name = "integration_hub/form_page.html"
    success_message = _("Your changes to %(title)s were saved.")

    def get_queryset(self):
        return Idea.objects.all()

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            **kwargs, page_title=_("Edit %(idea)s") % {"idea": self.object}, cancel_url=self.object.get_absolute_url()
        )


class PracticeQueueView(NetworkEditorMixin, ListView):
    template_name = "initiatives/practice_queue.html"
    context_object_name = "proposals"
    paginate_by = 25

    def get_queryset(self):
        return selectors.proposed_practices()


class PracticePublishView(NetworkEditorMixin, CreateView):
    """A reviewer turns an affiliate's proposal into a library idea crediting them."""

    model = Idea
    form_class = forms.PublishPracticeForm
    template_name = "initiatives/practice_publish.html"

    def dispatch(self, request, *args, **kwargs):
        self.initiative = None
        return super().dispatch(request, *args, **kwargs)

    def get_initiative(self):
        if self.initiative is None:
            self.initiative = get_object_or_404(selectors.proposed_practices(), pk=self.kwargs["pk"])
        return self.initiative

    def get_initial(self):
        initiative = self.get_initiative()
        idea = initiative.idea
        description = "\n\n".join(part for part in (initiative.summary, initiative.practice_note) if part)
        return {
            "title": initiative.title,
            "category": idea.category if idea else Idea.Category.OTHER,
            "welcoming_standard": initiative.category or (idea.welcoming_standard if idea else ""),
            "audience": idea.audience if idea else Idea.Audience.PROGRAM,
            "description": description,
        }

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs, initiative=self.get_initiative())

    def form_valid(self, form):
        self.object = services.practice_publish(initiative=self.get_initiative(), idea=form.save(commit=False))
        messages.success(
            self.request,
            _("%(idea)s is in the library, credited to %(organization)s.")
            % {"idea": self.object, "organization": self.object.credited_organization},
        )
        return redirect(self.object.get_absolute_url())
