from django.apps import AppConfig


class AssessmentsConfig(AppConfig):
    name = "assessments"
    verbose_name = "1. Needs assessment"

    def ready(self):
        # Imported here, as Django requires: models load only after every AppConfig.
        from django.urls import reverse
        from django.utils.translation import gettext_lazy as _

        from assessments import services, xlsform
        from assessments.models import Choice, Question
        from integration_hub import choosers, invalidation, jobs, permissions

        # The public survey's cached questions (selectors.published_questions). A question can be
        # moved to another survey in the admin: both surveys change then.
        invalidation.watch(
            invalidation.Watch(
                name="survey-structure",
                models=(Question, Choice),
                owners=services.survey_owners,
                changed=lambda survey_id: services.survey_structure_changed(survey_id=survey_id),
                moves=(Question,),
            )
        )
        choosers.register("assessments.Need", ("title",))
        jobs.register(
            jobs.JobKind(
                name=xlsform.READ_JOB,
                label=lambda: _("XLSForm preview"),
                run=xlsform.xlsform_read_job,
                permission=permissions.EDIT,
                back_url=lambda job: reverse("assessments:survey_import", args=[job.params.get("assessment")]),
            )
        )
        jobs.register(
            jobs.JobKind(
                name=xlsform.IMPORT_JOB,
                label=lambda: _("XLSForm import"),
                run=xlsform.xlsform_import_job,
                permission=permissions.EDIT,
                back_url=lambda job: reverse("assessments:survey_import", args=[job.params.get("assessment")]),
            )
        )
