from django.apps import AppConfig


class InitiativesConfig(AppConfig):
    name = "initiatives"
    verbose_name = "3. Implementation"

    def ready(self):
        from initiatives import selectors
        from integration_hub import choosers, neighbours

        neighbours.register("stakeholders.Stakeholder", selectors.stakeholder_neighbours)
        choosers.register("initiatives.Initiative", ("title",))
