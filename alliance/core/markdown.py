"""Markdown written by people, rendered to HTML and sanitized on the server."""

import nh3
from markdown_it import MarkdownIt

_parser = MarkdownIt("commonmark", {"html": False, "linkify": False}).enable(
    ["table", "strikethrough"]
)

ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "code", "del", "em", "h1", "h2", "h3",
    "h4", "h5", "h6", "hr", "i", "img", "li", "ol", "p", "pre", "s", "strong",
    "table", "tbody", "td", "th", "thead", "tr", "ul",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "title"},
    "td": {"align"},
    "th": {"align"},
}


def render_markdown(text: str | None) -> str:
    """Return sanitized HTML for Markdown text; raw HTML and scripts never survive."""
    if not text:
        return ""
    html = _parser.render(text)
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer nofollow",
    )


def markdown_to_text(text: str | None) -> str:
    """Return Markdown as readable plain text (for calendar files and other places
    that show no HTML): emphasis marks dropped, list items as "- ", a link as
    "text (address)", paragraphs separated by a blank line."""
    if not text:
        return ""
    blocks: list[tuple[str, bool]] = []  # (text, is a list item)
    prefix = ""
    for token in _parser.parse(text):
        if token.type == "list_item_open":
            prefix = "- " if token.markup in "-*+" else f"{token.info}. "
            continue
        if token.type == "inline":
            block = _inline_text(token.children or [])
        elif token.type in ("fence", "code_block"):
            block = token.content.rstrip("\n")
        else:
            continue
        if block.strip():
            blocks.append((prefix + block, bool(prefix)))
        prefix = ""
    out = ""
    for index, (block, is_item) in enumerate(blocks):
        if index:
            # List items follow each other line by line; other blocks get a blank line.
            out += "\n" if is_item and blocks[index - 1][1] else "\n\n"
        out += block
    return out


def _inline_text(children) -> str:
    parts: list[str] = []
    href = None
    start = 0
    for child in children:
        if child.type in ("text", "code_inline"):
            parts.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            parts.append("\n")
        elif child.type == "image":
            parts.append(child.content)
        elif child.type == "link_open":
            href, start = child.attrGet("href"), len(parts)
        elif child.type == "link_close":
            if href and "".join(parts[start:]) != href:
                parts.append(f" ({href})")
            href = None
    return "".join(parts)
