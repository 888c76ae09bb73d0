"""Writes of the conversation: post, edit (the earlier text kept as a version),
delete (a tombstone keeps the thread readable), mentions, the signed reply
address of a notification email, and a reply that arrives by email.

Permission-free, as every service: callers check ``alliance.conversation.permissions``
(the email path checks them itself: the signed address is its caller)."""

import email
import email.policy
import re
from dataclasses import dataclass
from email.utils import getaddresses, parseaddr

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import signing
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from alliance.conversation.models import Reply, ReplyVersion
from alliance.conversation.selectors import (
    mentioned_people,
    reply_answerable,
    reply_update_visible_get,
)
from alliance.core.markdown import validate_markdown
from alliance.notifications.services.activities import activity_record

REPLY_SALT = "alliance.conversation.reply-address"
UPDATE_MODEL = "alliance.WorkingGroupUpdate"


class InboundRefused(Exception):
    """An inbound email that must not become a reply (forged, expired, unknown
    sender, no right to reply); nothing is posted."""


def _validate_body(body: str) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if not (body or "").strip():
        errors["body"] = [_("Write the text of your reply.")]
        return errors
    try:
        validate_markdown(body)
    except ValidationError as exc:
        errors["body"] = list(exc.messages)
    return errors


def _context(reply: Reply, author) -> dict:
    update = reply.update
    return {
        "url": f"{update.get_absolute_url()}#{reply.anchor}",
        "group": update.group.name,
        "title": update.title,
        "author": author.public_name,
        "excerpt": Truncator(reply.body).chars(400),
    }


def _notify_mentions(reply: Reply, author, people) -> None:
    people = [p for p in people if p.pk != author.pk]
    if not people:
        return
    reply.mentioned.add(*people)
    activity_record(
        kind="mention",
        target=reply,
        actor=author,
        recipients=people,
        context=_context(reply, author),
    )


@transaction.atomic
def reply_post(
    *, update, author, body: str, parent_id: int | None = None, via_email=False
) -> Reply:
    """Post a reply to the update, or to its reply ``parent_id`` (one of its
    replies that is not deleted, else a ``ValidationError`` on ``parent``); the
    update's followers hear of it, and the group's members it mentions are
    told."""
    errors = _validate_body(body)
    parent = None
    if parent_id is not None:
        parent = reply_answerable(update=update, pk=parent_id)
        if parent is None:
            errors["parent"] = [_("You can only answer a reply of this update.")]
    if errors:
        raise ValidationError(errors)
    reply = Reply.objects.create(
        update=update,
        author=author,
        body=body.strip(),
        parent=parent,
        thread_id=(parent.thread_id or parent.pk) if parent is not None else None,
        via_email=via_email,
    )
    mentioned = mentioned_people(group=update.group, text=reply.body)
    activity_record(
        kind="reply",
        target=reply,
        actor=author,
        audience=update,
        context=_context(reply, author),
    )
    _notify_mentions(reply, author, mentioned)
    return reply


@transaction.atomic
def reply_edit(*, reply: Reply, body: str) -> Reply:
    """Change a reply's text, keeping the text it had as an earlier version;
    people mentioned for the first time are told."""
    errors = _validate_body(body)
    if reply.is_deleted:
        errors["body"] = [_("This reply was deleted.")]
    if errors:
        raise ValidationError(errors)
    body = body.strip()
    if body == reply.body:
        return reply
    ReplyVersion.objects.create(
        reply=reply, body=reply.body, written_at=reply.edited_at or reply.created_at
    )
    reply.body = body
    reply.edited_at = timezone.now()
    reply.save(update_fields=["body", "edited_at"])
    already = set(reply.mentioned.values_list("pk", flat=True))
    new = [
        person
        for person in mentioned_people(group=reply.update.group, text=body)
        if person.pk not in already
    ]
    if reply.author is not None:
        _notify_mentions(reply, reply.author, new)
    return reply


@transaction.atomic
def reply_delete(*, reply: Reply, by) -> Reply:
    """Delete a reply: its text and earlier versions go; a tombstone stays so
    the replies that answer it still read in order."""
    if reply.is_deleted:
        return reply
    reply.versions.all().delete()
    reply.mentioned.clear()
    reply.body = ""
    reply.deleted_at = timezone.now()
    reply.deleted_by = by
    reply.save(update_fields=["body", "deleted_at", "deleted_by"])
    return reply


# --- reply by email -------------------------------------------------------------


def _signer() -> signing.TimestampSigner:
    # SHA-1 HMAC keeps the address's local part under the 64 characters
    # mail servers accept; a truncated or altered token fails the check.
    return signing.TimestampSigner(salt=REPLY_SALT, sep=".", algorithm="sha1")


def reply_address(*, user_id: int, update_id: int, parent_id: int | None = None):
    """Return the signed address a person answers an update (or a reply) at,
    ``reply+<token>@<REPLY_EMAIL_DOMAIN>``; None when replying by email is off."""
    domain = settings.REPLY_EMAIL_DOMAIN
    if not domain:
        return None
    value = f"{user_id}-{update_id}-{parent_id or 0}"
    return f"reply+{_signer().sign(value)}@{domain}"


def reply_target_update(target):
    """Return the update a notification's target is or belongs to (an update,
    or a reply's update); None for anything else."""
    if isinstance(target, Reply):
        return target.update
    if getattr(target, "_meta", None) and target._meta.label == UPDATE_MODEL:
        return target
    return None


def reply_addresses(target, user_ids) -> dict[int, str]:
    """Return each person's signed address for answering the target (an update
    or a reply) by email; ``{}`` when replying by email is off. Callers decide
    who may reply (``permissions.repliers``)."""
    update = reply_target_update(target)
    if update is None or not settings.REPLY_EMAIL_DOMAIN:
        return {}
    parent_id = target.pk if isinstance(target, Reply) else None
    return {
        user_id: reply_address(
            user_id=user_id, update_id=update.pk, parent_id=parent_id
        )
        for user_id in user_ids
    }


_ADDRESS = re.compile(r"^reply\+(?P<token>[\w.-]+)@(?P<domain>[^@\s]+)$", re.I)


def reply_token_parse(address: str) -> tuple[int, int, int | None]:
    """Return (person, update, reply answered) of a reply address; a forged,
    altered or expired one raises ``InboundRefused``."""
    match = _ADDRESS.match(address.strip())
    domain = settings.REPLY_EMAIL_DOMAIN
    if not match or not domain or match["domain"].lower() != domain.lower():
        raise InboundRefused("not a reply address")
    try:
        value = _signer().unsign(
            match["token"], max_age=settings.REPLY_EMAIL_MAX_AGE_DAYS * 86400
        )
    except signing.SignatureExpired as exc:
        raise InboundRefused("expired reply address") from exc
    except signing.BadSignature as exc:
        raise InboundRefused("forged reply address") from exc
    user_id, update_id, parent_id = (int(part) for part in value.split("-"))
    return user_id, update_id, parent_id or None


# Where the quoted message of a reply begins: "On … wrote:", "Am … schrieb …:",
# Outlook's separators and headers; and where a signature begins: "-- ", "__",
# "Sent from my …", "Von meinem … gesendet".
_QUOTE_HEADER = re.compile(
    r"^\s*(On\s.+wrote:|Am\s.+schrieb.*:|-{2,}\s*Original Message\s*-{2,}"
    r"|-{2,}\s*Ursprüngliche Nachricht\s*-{2,}|From:\s.+|Von:\s.+|_{5,})\s*$",
    re.I,
)
_SIGNATURE = re.compile(
    r"^(--\s?|__+|Sent from my .+|Von meinem .+ gesendet\.?|Gesendet von .+)$", re.I
)


def email_reply_text(text: str) -> str:
    """Return the text a person wrote above the quoted message: quoted lines
    ("> …"), the quoted message from its header line on ("On … wrote:", "Am …
    schrieb …:", "-----Original Message-----", "From: …") and the signature
    (from "-- " on, or a "Sent from my …" line) are dropped."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    kept: list[str] = []
    for index, line in enumerate(lines):
        stripped = line.rstrip()
        if _QUOTE_HEADER.match(stripped):
            # "On …" can wrap onto the next line before "wrote:".
            break
        if (
            stripped.startswith("On ")
            and index + 1 < len(lines)
            and lines[index + 1].rstrip().endswith("wrote:")
        ):
            break
        if _SIGNATURE.match(stripped):
            break
        if stripped.startswith(">"):
            continue
        kept.append(stripped)
    return "\n".join(kept).strip()


def _message_text(message) -> str:
    part = message.get_body(preferencelist=("plain", "html"))
    if part is None:
        return ""
    content = part.get_content()
    if part.get_content_subtype() == "html":
        content = strip_tags(re.sub(r"(?i)<br\s*/?>|</p>", "\n", content))
    return content


def _recipients(message) -> list[str]:
    headers = []
    for name in ("Delivered-To", "X-Original-To", "To", "Cc"):
        headers.extend(message.get_all(name, []))
    return [address for _name, address in getaddresses(headers) if address]


@dataclass(frozen=True)
class InboundReply:
    person: object
    update: object
    parent_id: int | None
    text: str


def reply_email_parse(*, raw: bytes) -> InboundReply:
    """Read an inbound email sent to a signed reply address: who the address
    was made for, the update (and reply) it answers, and the text they wrote
    above the quoted message. Refused (``InboundRefused``): a forged, altered
    or expired address, a sender who is not that person, a person who may no
    longer read the update. The caller checks that the person may reply
    (``permissions.can_reply``) and posts with ``reply_post``."""
    message = email.message_from_bytes(raw, policy=email.policy.default)
    parsed = None
    for address in _recipients(message):
        try:
            parsed = reply_token_parse(address)
        except InboundRefused:
            continue
        break
    if parsed is None:
        raise InboundRefused("no valid reply address")
    user_id, update_id, parent_id = parsed
    person = get_user_model().objects.filter(pk=user_id, is_active=True).first()
    sender = parseaddr(str(message.get("From", "")))[1]
    if person is None or sender.lower() != person.email.lower():
        raise InboundRefused("sender is not the person the address was made for")
    try:
        update = reply_update_visible_get(user=person, pk=update_id)
    except ObjectDoesNotExist as exc:
        raise InboundRefused("the person may not read the update") from exc
    # An answer to a reply deleted since the email went out answers the
    # update instead (its text is not lost).
    parent = reply_answerable(update=update, pk=parent_id) if parent_id else None
    return InboundReply(
        person=person,
        update=update,
        parent_id=parent.pk if parent is not None else None,
        text=email_reply_text(_message_text(message)),
    )
