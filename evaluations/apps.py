from django.apps import AppConfig


class EvaluationsConfig(AppConfig):
    name = "evaluations"
    verbose_name = "4. Evaluation"

    def ready(self):
        # Imported here, as Django requires: models load only after every AppConfig.
        from django.urls import reverse
        from django.utils.translation import gettext_lazy as _

        from evaluations import caching, selectors, services
        from initiatives import network_map
        from integration_hub import choosers, jobs, neighbours, network, permissions

        caching.connect()
        neighbours.register("initiatives.Initiative", selectors.initiative_neighbours)
        network.register_activity(selectors.NETWORK_REVIEW_COLUMNS, selectors.network_review_timeliness)
        choosers.register("evaluations.Indicator", ("name",))
        jobs.register(
            jobs.JobKind(
                name=services.MEASUREMENT_IMPORT_JOB,
                label=lambda: _("Measurement import"),
                run=services.measurements_import_job,
                permission=permissions.EDIT,
                back_url=lambda job: reverse("evaluations:measurement_import", args=[job.params.get("initiative")]),
            )
        )
        network_map.register_measures(selectors.shared_indicator_map_measures)
