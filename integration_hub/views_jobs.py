"""A background job's page (progress bar, then its outcome), its JSON status for the page's
polling script (static/js/jobs.js), and its made file. Scoped to the organisation (another
affiliate's job is 404, and so is another person's export); a role below the job kind's level gets
403."""

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse, JsonResponse
from django.views.generic import DetailView, View
from django.views.generic.detail import SingleObjectMixin

from integration_hub import jobs
from integration_hub.models import BackgroundJob
from integration_hub.tenancy import OrganizationMixin


class JobMixin(OrganizationMixin, SingleObjectMixin):
    model = BackgroundJob

    def get_queryset(self):
        return super().get_queryset().defer("upload", "output")

    def get_object(self, queryset=None):
        job = super().get_object(queryset)
        kind = jobs.kind_of(job)
        if kind is not None and kind.makes_file and job.created_by_id != self.request.user.pk:
            raise Http404
        if kind is None or not self.request.access.allows(kind.permission):
            raise PermissionDenied
        return job


def _status(job: BackgroundJob) -> dict:
    done, total = jobs.progress_of(job)
    return {
        "status": job.status,
        "finished": job.finished,
        "done": done,
        "total": total,
        "percent": int(100 * done / total) if total else (100 if job.finished else 0),
    }


class JobDetailView(JobMixin, DetailView):
    template_name = "integration_hub/job_detail.html"
    context_object_name = "job"

    def get_context_data(self, **kwargs):
        job = self.object
        kind = jobs.kind_of(job)
        return super().get_context_data(
            kind_label=kind.label(),
            makes_file=kind.makes_file,
            back_url=kind.back_url(job),
            progress=_status(job),
            awaits_choice=jobs.job_awaits_choice(job),
            has_output=BackgroundJob.objects.filter(pk=job.pk).exclude(output=b"").exists(),
            **kwargs,
        )


class JobStatusView(JobMixin, View):
    def get(self, request, pk):
        return JsonResponse(_status(self.get_object()), headers={"Cache-Control": "no-store"})


class JobDownloadView(JobMixin, View):
    def get(self, request, pk):
        job = self.get_object()
        row = BackgroundJob.objects.filter(pk=job.pk).values("output", "output_name", "output_type").first()
        if not row or not row["output"]:
            raise Http404
        response = HttpResponse(bytes(row["output"]), content_type=row["output_type"] or "application/octet-stream")
        response["Content-Disposition"] = f'attachment; filename="{row["output_name"] or "download"}"'
        return response
