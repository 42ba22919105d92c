"""manage.py import_xlsform <file.xlsx> --assessment <id>: add an XLSForm's questions to a survey."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from assessments import services, xlsform
from assessments.models import NeedsAssessment


class Command(BaseCommand):
    help = "Import an XLSForm (.xlsx) into an assessment's survey; prints what was imported and what could not be."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--assessment", type=int, required=True)

    def handle(self, *args, file, assessment, **options):
        found = NeedsAssessment.objects.filter(pk=assessment).first()
        if found is None:
            raise CommandError(f"No assessment with id {assessment}.")
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"No file at {path}.")
        if path.stat().st_size > xlsform.MAX_FILE_BYTES:
            raise CommandError(f"{path}: the file is larger than the 5 MB limit.")
        try:
            plan = xlsform.read_xlsform(path.read_bytes())
        except xlsform.XLSFormError as error:
            raise CommandError(f"{path}: {error}") from None
        created = xlsform.plan_import(survey=services.survey_for(found), plan=plan) if plan.questions else []
        self.stdout.write(f"{path}: {len(created)} questions imported into “{found.title}”.")
        for question in plan.questions:
            self.stdout.write(f"  row {question.row}: {question.type} → {question.kind}: {question.text.get('en', '')}")
        if plan.notices:
            self.stdout.write(f"{len(plan.notices)} rows or parts could not be held:")
        for notice in plan.notices:
            self.stdout.write(f"  {notice.sheet} row {notice.row}: {notice.type}: {notice.reason}")
        if not created:
            raise CommandError("Nothing was imported.")
