from django.apps import AppConfig


class InitiativesConfig(AppConfig):
    name = "initiatives"
    verbose_name = "3. Implementation"

    def ready(self):
        # Imported here, as Django requires: models load only after every AppConfig.
        from assessments import coverage
        from initiatives import network as initiative_network
        from initiatives import selectors
        from integration_hub import choosers, neighbours, network

        neighbours.register("stakeholders.Stakeholder", selectors.stakeholder_neighbours)
        network.register_activity(
            tuple(str(status) for status in initiative_network.STATUS_COUNTS), initiative_network.initiatives_by_status
        )
        network.register_overview(initiative_network.overview_figures)
        coverage.register(
            addressed_by=selectors.initiatives_by_need,
            with_coverage=selectors.with_coverage,
            addressed_counts=selectors.initiative_counts_by_need,
        )
        choosers.register("initiatives.Initiative", ("title",))
