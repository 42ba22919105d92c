"""manage.py export_xlsform <assessment id> <file.xlsx>: write a survey as an XLSForm."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from assessments import services, xlsform
from assessments.models import NeedsAssessment


class Command(BaseCommand):
    help = "Export an assessment's survey as an XLSForm (.xlsx) for ODK, KoBoToolbox or Enketo."

    def add_arguments(self, parser):
        parser.add_argument("assessment", type=int)
        parser.add_argument("file")

    def handle(self, *args, assessment, file, **options):
        found = NeedsAssessment.objects.filter(pk=assessment).first()
        if found is None:
            raise CommandError(f"No assessment with id {assessment}.")
        survey = services.survey_for(found)
        try:
            Path(file).write_bytes(xlsform.export_xlsform(survey))
        except OSError as error:
            raise CommandError(f"{file}: {error.strerror or error}") from None
        self.stdout.write(f"{file}: {survey.questions.count()} questions of “{found.title}” exported.")
