"""Writes for step 3 that do more than save one form."""

from django.db import transaction
from django.utils import timezone

from .models import Idea, Initiative, Task


@transaction.atomic
def initiative_propose_practice(*, initiative: Initiative, note: str) -> Initiative:
    """An affiliate offers one of its initiatives to the network library."""
    initiative.practice_status = Initiative.PracticeStatus.PROPOSED
    initiative.practice_note = note
    initiative.practice_proposed_at = timezone.now()
    initiative.save(update_fields=["practice_status", "practice_note", "practice_proposed_at", "updated_at"])
    return initiative


@transaction.atomic
def practice_publish(*, initiative: Initiative, idea: Idea) -> Idea:
    """Network staff publish a proposed initiative as a library idea, crediting the
    affiliate. `idea` is the unsaved idea from the reviewer's form."""
    initiative = Initiative.objects.select_for_update().get(pk=initiative.pk)
    if initiative.practice_status != Initiative.PracticeStatus.PROPOSED:
        raise ValueError("Only a proposed practice can be published.")
    idea.published_from = initiative
    idea.credited_organization = initiative.organization
    idea.is_builtin = False
    idea.save()
    initiative.practice_status = Initiative.PracticeStatus.PUBLISHED
    initiative.save(update_fields=["practice_status", "updated_at"])
    return idea


@transaction.atomic
def task_toggle_done(*, task: Task) -> Task:
    task.done = not task.done
    task.save(update_fields=["done"])
    return task
