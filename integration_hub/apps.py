from django.apps import AppConfig


class IntegrationHubConfig(AppConfig):
    name = "integration_hub"
    verbose_name = "Organisations and people"

    def ready(self):
        from django.utils.translation import gettext_lazy as _

        from integration_hub import choosers, exports, jobs, listing, permissions
        from integration_hub.history import connect_signals
        from integration_hub.inputs import register_lookups

        register_lookups()
        connect_signals()
        choosers.register("integration_hub.User", ("first_name", "last_name", "email"))
        jobs.register(
            jobs.JobKind(
                name=listing.LIST_EXPORT_JOB,
                label=lambda: _("List export"),
                run=listing.list_export_job,
                permission=permissions.VIEW,
                makes_file=True,
            )
        )
        jobs.register(
            jobs.JobKind(
                name=exports.ORGANIZATION_EXPORT_JOB,
                label=lambda: _("Full export"),
                run=exports.organization_export_job,
                permission=permissions.ADMIN,
                makes_file=True,
            )
        )
