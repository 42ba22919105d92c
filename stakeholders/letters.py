"""The thank-you helper: a plain recognition letter with the facts filled in, for staff to edit."""

from django.template.loader import render_to_string
from django.utils import timezone


def draft_letter(*, stakeholder, organization, author, commitment=None, today=None) -> str:
    """Plain text; the page escapes it once when it puts it in the textarea."""
    context = {
        "stakeholder": stakeholder,
        "organization": organization,
        "author_name": author.get_full_name() or author.email,
        "commitment": commitment,
        "today": today or timezone.localdate(),
        "place": organization.city or organization.name,
    }
    return render_to_string("stakeholders/letters/thank_you.txt", context).strip() + "\n"
