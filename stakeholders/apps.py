from django.apps import AppConfig


class StakeholdersConfig(AppConfig):
    name = "stakeholders"
    verbose_name = "2. Stakeholder buy-in"

    def ready(self):
        from django.urls import reverse
        from django.utils.translation import gettext_lazy as _

        from integration_hub import choosers, jobs, permissions
        from stakeholders import services

        jobs.register(
            jobs.JobKind(
                name=services.IMPORT_JOB,
                label=lambda: _("Stakeholder import"),
                run=services.stakeholders_import_job,
                permission=permissions.EDIT,
                back_url=lambda job: reverse("stakeholders:import"),
            )
        )

        choosers.register("stakeholders.Stakeholder", ("name", "affiliation", "role_title"))
