"""The thank-you helper: a plain recognition letter with the facts filled in, for staff to edit.

A letter may carry a client story. Stories live in a higher step (plans), which registers where
they come from (`register_story_source`), so this step never imports it; a source gives only the
stories whose consent reaches officials."""

from collections.abc import Callable
from dataclasses import dataclass

from django.template.loader import render_to_string
from django.utils import timezone

LETTER_STORIES = 5


@dataclass(frozen=True)
class LetterStory:
    title: str
    text: str
    told_as: str
    initiative: str


StorySource = Callable[..., list[LetterStory]]
_story_sources: list[StorySource] = []


def register_story_source(source: StorySource) -> None:
    """`source(stakeholder=, organization=, limit=)` gives stories that may be shared with
    officials, the stakeholder's own initiatives first."""
    if source not in _story_sources:
        _story_sources.append(source)


def letter_stories(*, stakeholder, organization) -> list[LetterStory]:
    stories: list[LetterStory] = []
    for source in _story_sources:
        stories += source(stakeholder=stakeholder, organization=organization, limit=LETTER_STORIES)
    return stories[:LETTER_STORIES]


def story_paragraph(story: LetterStory) -> str:
    return render_to_string("stakeholders/letters/story.txt", {"story": story}).strip()


def draft_letter(*, stakeholder, organization, author, commitment=None, today=None, story=None) -> str:
    """Plain text; the page escapes it once when it puts it in the textarea. With a story, the
    letter tells it where the template otherwise asks for one."""
    context = {
        "stakeholder": stakeholder,
        "organization": organization,
        "author_name": author.get_full_name() or author.email,
        "commitment": commitment,
        "today": today or timezone.localdate(),
        "place": organization.city or organization.name,
        "story": story_paragraph(story) if story else "",
    }
    return render_to_string("stakeholders/letters/thank_you.txt", context).strip() + "\n"
