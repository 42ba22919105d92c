from django.apps import AppConfig


class AssessmentsConfig(AppConfig):
    name = "assessments"
    verbose_name = "1. Needs assessment"

    def ready(self):
        from integration_hub import choosers

        choosers.register("assessments.Need", ("title",))
