"""A person's data across apps: each app's part of "download everything the portal
holds about me", and what each app ends when a person closes their account
(memberships, registrations, ...); what they wrote stays.

Apps register in their ``hooks.connect()``.
"""

from collections.abc import Callable

_personal_data: dict[str, Callable] = {}
_account_closed: dict[str, Callable] = {}


def personal_data_register(section: str, exporter: Callable) -> None:
    """Add a section to a person's data export; ``exporter(user)`` returns
    JSON-serializable data."""
    _personal_data[section] = exporter


def personal_data_collect(user) -> dict:
    """Return every registered section of the person's data."""
    return {section: export(user) for section, export in sorted(_personal_data.items())}


def account_closed_register(name: str, handler: Callable) -> None:
    """Run ``handler(user)`` inside the transaction that closes a person's account."""
    _account_closed[name] = handler


def account_closed_run(user) -> None:
    """Let every app end what the person leaves behind."""
    for _name, handler in sorted(_account_closed.items()):
        handler(user)
