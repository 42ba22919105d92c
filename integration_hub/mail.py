"""Email helpers every app shares."""

SUBJECT_MAX_LENGTH = 150


def email_subject(text: str, *, max_length: int = SUBJECT_MAX_LENGTH) -> str:
    """`text` as a subject that cannot fail to send: one line (Django refuses a header with a
    line break), no control characters, whitespace runs collapsed, at most `max_length`
    characters (cut at a word where one is near, with an ellipsis)."""
    line = " ".join("".join(ch if ch.isprintable() else " " for ch in str(text)).split())
    if len(line) <= max_length:
        return line
    cut = line[: max_length - 1]
    if " " in cut[-20:]:
        cut = cut[: cut.rindex(" ")]
    return cut.rstrip() + "…"
