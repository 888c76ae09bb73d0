"""Rules for the one-line text people write that others read: titles and names.

Bidirectional embedding, override and isolate characters (U+202A–U+202E,
U+2066–U+2069) are invisible and reorder what follows them, so a title or a name
can read differently from what it holds ("Trojan Source"). They are refused in
titles and names; the marks (U+200E, U+200F, U+061C), which right-to-left
writing needs, are allowed.
"""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

BIDI_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069]")


def validate_no_bidi_controls(value) -> None:
    """Refuse text holding a bidirectional embedding, override or isolate."""
    if isinstance(value, str) and BIDI_CONTROLS.search(value):
        raise ValidationError(
            _(
                "Remove the invisible characters that change the direction of "
                "the text (U+202A–U+202E, U+2066–U+2069)."
            ),
            code="bidi_control",
        )


# A sentence ends with . ! ? or … (maybe inside closing quotes or brackets),
# followed by a space or the end.
_SENTENCE_END = re.compile(r"[.!?…][\"'”“»«)\]]*(?=\s|$)")
# A lead-in line to a link ("Read it here:", "Register and add it to your
# calendar:") is dropped with the link it introduces.
_LINK = re.compile(r"^(https?://|/)\S*$")


def text_excerpt(text: str, limit: int = 240) -> str:
    """Return plain text (a notification's body) as one short paragraph that ends
    on a sentence: lines that are only a link are dropped with the line that
    introduces them ("Read it here:"); longer text is cut after the last whole
    sentence that fits, or at a word with "…" when not even one does."""
    if not isinstance(text, str):
        return text
    lines = [line.strip() for line in text.splitlines()]
    kept = []
    for line in lines:
        if _LINK.match(line):
            while kept and (not kept[-1] or kept[-1].endswith(":")):
                kept.pop()
            continue
        kept.append(line)
    while kept and kept[-1].endswith(":"):
        kept.pop()
    flat = " ".join(" ".join(kept).split())
    if len(flat) <= limit:
        return flat
    head = flat[: limit + 1]
    ends = [m.end() for m in _SENTENCE_END.finditer(head) if m.end() <= limit]
    if ends and ends[-1] >= limit // 3:
        return head[: ends[-1]]
    cut = head[:limit].rsplit(" ", 1)[0] if " " in head[:limit] else head[:limit]
    return cut.rstrip(" ,;:–-") + "…"
