from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlansConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "plans"
    verbose_name = _("Community integration plans")

    def ready(self):
        from plans import selectors
        from stakeholders import letters

        # Thank-you letters (step 2) may tell a story, within its consent.
        letters.register_story_source(selectors.letter_stories)
