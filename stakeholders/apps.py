from django.apps import AppConfig


class StakeholdersConfig(AppConfig):
    name = "stakeholders"
    verbose_name = "2. Stakeholder buy-in"

    def ready(self):
        from integration_hub import choosers

        choosers.register("stakeholders.Stakeholder", ("name", "affiliation", "role_title"))
