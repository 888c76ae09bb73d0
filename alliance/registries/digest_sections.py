"""Sections of the digest email that apps contribute.

The digest always lists what a person chose to get in it from what they follow
(their pending notifications). Other sections come from this registry, so apps
add news without ``alliance`` importing them. Register in ``hooks.connect()``::

    digest_section_register(
        "action_items",
        title=_("Your open action items"),
        template="alliance/email/digest/_action_items",  # renders .txt and .html
        items=action_items_for_digest,
        order=40,
        news=False,
    )

``items(users, since)`` gets the whole batch of people (a list of ``User``) and a
dict ``{user_id: datetime}`` of what counts as new for each, and returns
``{user_id: [item, …]}`` (JSON-like dicts the template renders). It must run a
constant number of queries for the batch (one ``__in`` query, never one per
person). A section with ``kinds`` is the one place of those kinds' news (see
``digest_section_register``). A section with ``news=False`` (open action items,
for example) is shown when a digest goes out but never sends one by itself:
nothing new, no email.
"""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class DigestSection:
    name: str
    title: object
    template: str
    items: Callable[[list, dict], dict[int, list]]
    order: int
    news: bool
    kinds: tuple[str, ...] = ()


_sections: dict[str, DigestSection] = {}


def digest_section_register(
    name: str,
    *,
    title,
    template: str,
    items: Callable[[list, dict], dict[int, list]],
    order: int = 100,
    news: bool = True,
    kinds: tuple[str, ...] = (),
) -> None:
    """Add a section to every digest; registering a name again replaces it.

    ``kinds`` names the kinds of notification the section covers (new member
    organizations: ``organization_joined``): a person's waiting notifications of
    those kinds are listed in the section only, never under their heading too,
    and a person who turned those kinds' email off does not get the section."""
    _sections[name] = DigestSection(
        name=name,
        title=title,
        template=template,
        items=items,
        order=order,
        news=news,
        kinds=tuple(kinds),
    )


def digest_sections() -> list[DigestSection]:
    """Return the registered sections in their order."""
    return sorted(_sections.values(), key=lambda section: (section.order, section.name))
