"""Files an app attaches to the immediate email of one of its notification kinds
(the events app attaches the event's ``.ics`` to the registration confirmation
and the waitlist promotion). Register in ``hooks.connect()``::

    email_attachment_register(
        ["registration_confirmed", "registration_promoted"],
        build=event_ics_attachments,
    )

``build(target, people)`` gets the activity's target (never None) and the batch
of recipients (a list of ``User``) and returns ``{user_id: [attachment, …]}``,
each attachment a dict ``{"filename", "mimetype", "content"}`` with the content
base64-encoded (as the outbox row stores it). It must run a constant number of
queries for the batch, and attach only what the person may see.
"""

from collections.abc import Callable, Iterable

_builders: dict[str, Callable[[object, list], dict[int, list[dict]]]] = {}


def email_attachment_register(
    kinds: Iterable[str], *, build: Callable[[object, list], dict[int, list[dict]]]
) -> None:
    """Attach what ``build(target, people)`` returns to these kinds' emails."""
    for kind in kinds:
        _builders[str(kind)] = build


def email_attachments(
    kind: str, target: Callable[[], object], people: list
) -> dict[int, list[dict]]:
    """Return each person's attachments to an email of ``kind`` about the object
    ``target()`` returns (called only when an app attaches something to the kind,
    so other kinds cost no query); ``{}`` when there is nothing to attach."""
    build = _builders.get(str(kind))
    if build is None or not people:
        return {}
    loaded = target()
    if loaded is None:
        return {}
    return build(loaded, people)
