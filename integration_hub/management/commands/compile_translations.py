from django.core.management.base import BaseCommand

from integration_hub.i18n import compile_catalogues


class Command(BaseCommand):
    help = "Compile locale/*/LC_MESSAGES/*.po into .mo files (no GNU gettext needed)."

    def handle(self, *args, **options):
        for mo in compile_catalogues():
            self.stdout.write(f"compiled {mo}")
