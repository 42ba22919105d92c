from django.apps import AppConfig


class EvaluationsConfig(AppConfig):
    name = "evaluations"
    verbose_name = "4. Evaluation"

    def ready(self):
        # Imported here, as Django requires: models load only after every AppConfig.
        from evaluations import caching, selectors
        from initiatives import network_map
        from integration_hub import choosers, neighbours, network

        caching.connect()
        neighbours.register("initiatives.Initiative", selectors.initiative_neighbours)
        network.register_activity(selectors.NETWORK_REVIEW_COLUMNS, selectors.network_review_timeliness)
        choosers.register("evaluations.Indicator", ("name",))
        network_map.register_measures(selectors.shared_indicator_map_measures)
