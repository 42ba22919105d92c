from django.apps import AppConfig


class EvaluationsConfig(AppConfig):
    name = "evaluations"
    verbose_name = "4. Evaluation"

    def ready(self):
        from evaluations import caching, selectors
        from integration_hub import choosers, neighbours

        caching.connect()
        neighbours.register("initiatives.Initiative", selectors.initiative_neighbours)
        choosers.register("evaluations.Indicator", ("name",))
