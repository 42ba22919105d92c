from django.apps import AppConfig


class IntegrationHubConfig(AppConfig):
    name = "integration_hub"
    verbose_name = "Organisations and people"

    def ready(self):
        from integration_hub import choosers
        from integration_hub.history import connect_signals
        from integration_hub.inputs import register_lookups

        register_lookups()
        connect_signals()
        choosers.register("integration_hub.User", ("first_name", "last_name", "email"))
