"""Notification kinds: every kind of activity people hear of, declared once by
the app it happens in (``notification_kind_register`` in its ``hooks.connect()``),
under a heading of the preferences page and the digest
(``notification_group_register``).

A kind says:

- ``key``: the value stored on activities, notifications and preferences
  (never renamed: stored rows keep it);
- ``app``: the app that records it;
- ``label`` (lazily translated) and ``group``, the heading it is listed under;
- ``email``: how its email comes until the person chooses (``"immediately"``
  for what is addressed to them or needs them, ``"digest"`` for news about
  what they follow); the inbox shows it at once unless ``inbox`` says otherwise;
- ``bundle_heading``: how the inbox heads a week's bundle of it, a lazy plural
  with a ``count`` (``ngettext_lazy("%(count)s event published", "%(count)s
  events published", "count")``); without one a bundle reads "<label>: 6
  notifications";
- ``template``: the prefix of its templates, ``<template>_subject.txt``,
  ``<template>.txt`` and ``<template>.html`` (by default
  ``alliance/notifications/<key>``);
- who may hear of it beyond the people who may see its target and audience
  (``alliance.registries.visibility``): ``may_see(person, target)``, asked per
  person (it must not query the database per person), and/or its batch form
  ``viewer_ids(target, user_ids)`` (a constant number of queries), which the
  fan-out and the send step prefer. A kind with neither is heard of by whoever
  may see its target.

Recording an activity of a kind nobody registered is a programming error:
``notification_kind`` raises ``NotificationKindUnknown`` at once.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass

DELIVERY_VALUES = ("immediately", "digest", "off")


class NotificationKindUnknown(LookupError):
    """An activity of a kind no app registered (a programming error)."""


@dataclass(frozen=True)
class NotificationGroup:
    key: str
    label: object
    order: int


@dataclass(frozen=True)
class NotificationKind:
    key: str
    app: str
    label: object
    group: str
    email: str = "immediately"
    inbox: str = "immediately"
    template: str = ""
    may_see: Callable[[object, object], bool] | None = None
    viewer_ids: Callable[[object, set[int]], Iterable[int]] | None = None
    bundle_heading: object = None

    @property
    def subject_template(self) -> str:
        return f"{self.template}_subject.txt"

    @property
    def text_template(self) -> str:
        return f"{self.template}.txt"

    @property
    def html_template(self) -> str:
        return f"{self.template}.html"

    @property
    def restricted(self) -> bool:
        """Whether the kind narrows who hears of it beyond the target's viewers."""
        return self.may_see is not None or self.viewer_ids is not None


_groups: dict[str, NotificationGroup] = {}
_kinds: dict[str, NotificationKind] = {}
_reply_addresses: dict[str, Callable[[object, list], dict[int, str]]] = {}


def notification_reply_address_register(
    kinds: Iterable[str], addresses: Callable[[object, list], dict[int, str]]
) -> None:
    """Declare that the emails of these kinds can be answered: ``addresses(target,
    people)`` returns, for those of one batch of recipients who may answer, the
    address their answer goes to (their ``Reply-To``), ``{user_id: address}``;
    the others get none. Asked once per batch, so it reads what it needs once
    (a constant number of queries). The app that takes the answers in registers
    it (the conversation, for updates and replies)."""
    for key in kinds:
        _reply_addresses[key] = addresses


def notification_reply_addresses(
    key: str, target: Callable[[], object], people
) -> dict[int, str]:
    """Return the ``Reply-To`` of a kind's emails to these people, by person id,
    about the object ``target()`` returns (called only for a kind whose emails
    can be answered, so other kinds cost no query)."""
    addresses = _reply_addresses.get(str(key))
    people = list(people)
    if addresses is None or not people:
        return {}
    loaded = target()
    return dict(addresses(loaded, people)) if loaded is not None else {}


def notification_group_register(key: str, *, label, order: int) -> None:
    """Declare a heading of the preferences page and the digest."""
    _groups[key] = NotificationGroup(key=key, label=label, order=order)


def notification_kind_register(
    key: str,
    *,
    app: str,
    label,
    group: str,
    email: str = "immediately",
    inbox: str = "immediately",
    template: str | None = None,
    may_see: Callable[[object, object], bool] | None = None,
    viewer_ids: Callable[[object, set[int]], Iterable[int]] | None = None,
    bundle_heading=None,
) -> NotificationKind:
    """Declare a kind of notification (see the module's docstring)."""
    if not key or len(key) > 40:
        raise ValueError(f"A notification kind needs a key of 1–40 characters: {key!r}")
    for channel, value in (("email", email), ("inbox", inbox)):
        if value not in DELIVERY_VALUES:
            raise ValueError(
                f"{key}: {channel}={value!r} is not one of {DELIVERY_VALUES}"
            )
    existing = _kinds.get(key)
    if existing is not None and existing.app != app:
        raise ValueError(f"Notification kind {key!r} is already {existing.app}'s")
    kind = NotificationKind(
        key=key,
        app=app,
        label=label,
        group=group,
        email=email,
        inbox=inbox,
        template=template or f"alliance/notifications/{key}",
        may_see=may_see,
        viewer_ids=viewer_ids,
        bundle_heading=bundle_heading,
    )
    _kinds[key] = kind
    return kind


def notification_kind_unregister(key: str) -> None:
    """Forget a kind (for tests that register their own)."""
    _kinds.pop(key, None)


def notification_group_unregister(key: str) -> None:
    """Forget a heading (for tests that register their own)."""
    _groups.pop(key, None)


def notification_kind(key: str) -> NotificationKind:
    """Return the registered kind; an unknown one raises ``NotificationKindUnknown``."""
    try:
        return _kinds[str(key)]
    except KeyError:
        raise NotificationKindUnknown(
            f"No app registered the notification kind {key!r} "
            "(notification_kind_register in its hooks.connect())"
        ) from None


def notification_kind_exists(key) -> bool:
    return str(key) in _kinds


def notification_kind_keys() -> list[str]:
    """Return every registered kind's key, in the order of ``notification_kinds``."""
    return [kind.key for kind in notification_kinds()]


def notification_kinds() -> list[NotificationKind]:
    """Return every kind, by heading, in the order each app registered them."""
    return [kind for _group, kinds in notification_kind_groups() for kind in kinds]


def notification_kind_groups() -> list[
    tuple[NotificationGroup, list[NotificationKind]]
]:
    """Return the headings in order, each with its kinds (headings with no kind
    are left out). A kind under a heading nobody registered is a programming
    error."""
    by_group: dict[str, list[NotificationKind]] = {}
    for kind in _kinds.values():
        if kind.group not in _groups:
            raise NotificationKindUnknown(
                f"Notification kind {kind.key!r} is listed under {kind.group!r}, "
                "a heading nobody registered (notification_group_register)"
            )
        by_group.setdefault(kind.group, []).append(kind)
    groups = sorted(_groups.values(), key=lambda group: (group.order, group.key))
    return [(group, by_group[group.key]) for group in groups if group.key in by_group]


def notification_kind_choices() -> list[tuple[str, object]]:
    """The ``choices`` of the models' ``kind`` fields (a callable, so a new kind
    needs no migration)."""
    return [(kind.key, kind.label) for kind in _kinds.values()]


def notification_kind_viewer_ids(
    key: str, target, user_ids: Iterable[int], people: Callable[[set[int]], Iterable]
) -> set[int]:
    """Return which of the people the kind lets hear of ``target``: its batch
    ``viewer_ids`` if it has one, else its ``may_see`` asked for each person
    (``people(ids)`` loads them, one query), else all of them."""
    kind = notification_kind(key)
    user_ids = set(user_ids)
    if not user_ids or not kind.restricted:
        return user_ids
    if kind.viewer_ids is not None:
        user_ids &= set(kind.viewer_ids(target, user_ids))
    if kind.may_see is not None and user_ids:
        user_ids = {
            person.pk
            for person in people(user_ids)
            if person.pk in user_ids and kind.may_see(person, target)
        }
    return user_ids
