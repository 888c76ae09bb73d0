"""What a member organization's loss of membership (lapse, suspension, end)
does in other apps, for the page where staff confirm it.

Each app that gives an organization's people something registers a function in
its ``hooks.connect()``; the function is a selector that runs a constant number
of queries and returns an ``OrganizationEffect`` or a list of them (an effect
with no items is shown as "none", so staff see it was checked)::

    organization_effect_register("votes", build=group_votes_of_organization, order=20)

``build(organization, person_ids)`` gets the organization and the people who
lose member access with it.
"""

from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass(frozen=True)
class OrganizationEffect:
    """One consequence, e.g. "Votes that end", with a line per affected thing."""

    key: str
    title: str
    items: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class _Source:
    key: str
    build: Callable
    order: int


_sources: dict[str, _Source] = {}


def organization_effect_register(key: str, *, build: Callable, order: int = 100):
    """Add an app's consequences to the confirmation page; a key again replaces it."""
    _sources[key] = _Source(key=key, build=build, order=order)


def organization_effects(organization, person_ids) -> list[OrganizationEffect]:
    """Return every registered consequence for the organization, in order."""
    effects = []
    for source in sorted(_sources.values(), key=lambda s: (s.order, s.key)):
        built = source.build(organization, person_ids)
        effects.extend(built if isinstance(built, list) else [built])
    return effects
