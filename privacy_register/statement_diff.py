"""The difference between two versions of the privacy statement, as the privacy officer reads it
before publishing: pure functions, HTML in, lines of text out."""

import difflib
import html
import re

from django.utils.html import strip_tags

# Each of these ends a line of text in the statement.
BLOCK_END = re.compile(r"</(?:p|li|h[1-6]|dt|dd|section|ul)>|<br\s*/?>", re.IGNORECASE)


def statement_lines(content: str) -> list[str]:
    """The statement's text, one line per paragraph, list item, heading or field."""
    text = html.unescape(strip_tags(BLOCK_END.sub("\n", content)))
    return [" ".join(line.split()) for line in text.splitlines() if line.strip()]


def statement_changes(published: str, proposed: str) -> list[tuple[str, str]]:
    """The lines removed ("-") and added ("+") from the published version to the proposed one,
    in the order of the statement. Empty when they say the same."""
    changes = []
    for line in difflib.ndiff(statement_lines(published), statement_lines(proposed)):
        if line[:2] in ("- ", "+ "):
            changes.append((line[0], line[2:]))
    return changes
