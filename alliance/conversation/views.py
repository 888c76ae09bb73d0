"""Pages and actions of the conversation: the replies under an update (a
section of the update's page, updated in place by htmx), posting, editing,
deleting, earlier versions, following an update's conversation, and the
endpoint a mail provider posts inbound replies to."""

import base64
import binascii
import hmac
import logging

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from alliance.conversation.forms import ReplyEditForm, ReplyForm
from alliance.conversation.models import Reply
from alliance.conversation.permissions import (
    can_delete_reply,
    can_edit_reply,
    can_reply,
)
from alliance.conversation.selectors import (
    mention_candidates,
    mention_handle,
    reply_get,
    reply_list,
    reply_update_visible_get,
    reply_versions,
)
from alliance.conversation.services import (
    InboundRefused,
    reply_delete,
    reply_edit,
    reply_email_parse,
    reply_post,
)
from alliance.core.forms import form_add_service_errors
from alliance.notifications.selectors import subscription_state
from alliance.notifications.services.subscriptions import subscription_set

logger = logging.getLogger(__name__)
TEMPLATE = "alliance/conversation/_replies.html"
POSTED = gettext_lazy(
    "Your reply is posted; the people who follow this update hear of it."
)


def replies_context(
    request, *, update, group=None, form=None, outcome=None, failed_reply=None
) -> dict:
    """Return what the replies section of an update's page shows (a constant
    number of queries, whatever the number of replies)."""
    user = request.user
    group = group or update.group
    update.group = group
    may_reply = can_reply(user, update)
    replies = list(reply_list(update=update))
    for reply in replies:
        reply.may_edit = can_edit_reply(user, reply)
        # Chairing is read once per request (a memo), whatever the replies.
        reply.may_delete = can_delete_reply(user, reply, group=group)
    return {
        "update": update,
        "group": group,
        "replies": replies,
        "reply_count": sum(1 for reply in replies if not reply.is_deleted),
        "can_reply": may_reply,
        "form": form or ReplyForm(),
        "failed_reply": failed_reply,
        "outcome": outcome,
        "handles": (
            [mention_handle(person) for person in mention_candidates(group=group)]
            if may_reply
            else []
        ),
        "follow_state": (
            subscription_state(user=user, target=update)
            if user.is_authenticated
            else None
        ),
        "signed_in": user.is_authenticated,
    }


def replies_panel_context(request, *, update, group=None, **kwargs) -> dict:
    """The replies section as a panel of the update's page
    (``panel_register("working_group_update", ...)``)."""
    return replies_context(request, update=update, group=group)


def _update_or_404(user, pk):
    try:
        return reply_update_visible_get(user=user, pk=pk)
    except ObjectDoesNotExist:
        raise Http404 from None


def _reply_or_404(user, pk) -> Reply:
    try:
        return reply_get(pk=pk, user=user)
    except ObjectDoesNotExist:
        raise Http404 from None


def _answer(request, update, text, *, level="success", form=None, failed=None):
    """Answer an action: the replies section again for htmx, else a message and
    the update's page."""
    if request.htmx:
        context = replies_context(
            request, update=update, form=form, outcome=text, failed_reply=failed
        )
        context["outcome_level"] = level
        return render(request, TEMPLATE, {"panel": context})
    getattr(messages, level)(request, text)
    return redirect(f"{update.get_absolute_url()}#replies")


def _errors_text(form) -> str:
    return " ".join(str(m) for errors in form.errors.values() for m in errors)


@login_required
@require_POST
def reply_create_view(request, pk):
    update = _update_or_404(request.user, pk)
    if not can_reply(request.user, update):
        raise PermissionDenied(_("Only the members of an active group reply."))
    form = ReplyForm(request.POST)
    if form.is_valid():
        try:
            reply_post(
                update=update,
                author=request.user,
                body=form.cleaned_data["body"],
                parent_id=form.cleaned_data.get("parent"),
            )
        except ValidationError as error:
            form_add_service_errors(form, error)
        else:
            return _answer(
                request,
                update,
                str(POSTED),
            )
    return _answer(
        request,
        update,
        _("Your reply was not posted: %(reason)s") % {"reason": _errors_text(form)},
        level="error",
        form=form,
    )


@login_required
def reply_edit_view(request, pk):
    reply = _reply_or_404(request.user, pk)
    if not can_edit_reply(request.user, reply):
        raise PermissionDenied(_("Only the author may edit a reply."))
    update = reply.update
    form = ReplyEditForm(request.POST or None, initial={"body": reply.body})
    if request.method == "POST" and form.is_valid():
        try:
            reply_edit(reply=reply, body=form.cleaned_data["body"])
        except ValidationError as error:
            form_add_service_errors(form, error)
        else:
            return _answer(
                request, update, _("Your reply is changed; its earlier text is kept.")
            )
    if request.method == "POST" and request.htmx:
        return _answer(
            request,
            update,
            _("Your reply was not changed: %(reason)s")
            % {"reason": _errors_text(form)},
            level="error",
            failed=reply.pk,
        )
    return render(
        request,
        "alliance/conversation/reply_edit.html",
        {"reply": reply, "update": update, "group": update.group, "form": form},
    )


@login_required
@require_POST
def reply_delete_view(request, pk):
    reply = _reply_or_404(request.user, pk)
    if not can_delete_reply(request.user, reply):
        raise PermissionDenied(
            _("Only the author and the group's chairs may delete it.")
        )
    reply_delete(reply=reply, by=request.user)
    return _answer(request, reply.update, _("The reply is deleted."))


def reply_versions_view(request, pk):
    reply = _reply_or_404(request.user, pk)
    return render(
        request,
        "alliance/conversation/reply_versions.html",
        {
            "reply": reply,
            "update": reply.update,
            "group": reply.update.group,
            "versions": reply_versions(reply=reply) if not reply.is_deleted else [],
        },
    )


def reply_link_view(request, pk):
    """Where a search result or a link to a reply leads: its place on the
    update's page."""
    reply = _reply_or_404(request.user, pk)
    return redirect(f"{reply.update.get_absolute_url()}#{reply.anchor}")


@login_required
@require_POST
def update_follow_view(request, pk):
    update = _update_or_404(request.user, pk)
    state = request.POST.get("state") or None
    if state not in (None, "follow", "mute"):
        state = None
    subscription_set(user=request.user, target=update, state=state)
    texts = {
        "follow": _("You follow the replies to this update."),
        "mute": _("You muted the replies to this update."),
        None: _("You hear of the replies to this update if you take part in it."),
    }
    return _answer(request, update, texts[state])


def _inbound_authorized(request) -> bool:
    secret = settings.INBOUND_EMAIL_SECRET
    header = request.headers.get("Authorization", "")
    scheme, _sep, value = header.partition(" ")
    given = ""
    if scheme.lower() == "bearer":
        given = value.strip()
    elif scheme.lower() == "basic":
        try:
            given = base64.b64decode(value.strip()).decode().partition(":")[2]
        except (binascii.Error, UnicodeDecodeError):
            given = ""
    return bool(given) and hmac.compare_digest(given.encode(), secret.encode())


FORM_TYPES = ("multipart/form-data", "application/x-www-form-urlencoded")


def _reply_from_email(raw: bytes) -> Reply:
    """Post the reply an inbound email carries, or refuse it with nothing posted."""
    inbound = reply_email_parse(raw=raw)
    if not can_reply(inbound.person, inbound.update):
        raise InboundRefused("the person may not reply in the group")
    try:
        return reply_post(
            update=inbound.update,
            author=inbound.person,
            body=inbound.text,
            parent_id=inbound.parent_id,
            via_email=True,
        )
    except ValidationError as exc:
        raise InboundRefused("; ".join(exc.messages)) from exc


@csrf_exempt
@require_POST
def inbound_email_view(request):
    """A mail provider posts each email sent to a reply address here: the raw
    message as the body (``Content-Type: message/rfc822``) or as the form field
    ``email`` (as SendGrid's raw Inbound Parse does), with the password
    ``INBOUND_EMAIL_SECRET``. 201: posted; 403: refused (nothing posted; the
    provider should not retry)."""
    if not settings.INBOUND_EMAIL_SECRET:
        raise Http404
    if not _inbound_authorized(request):
        return HttpResponse(status=401, headers={"WWW-Authenticate": "Basic"})
    if request.content_type in FORM_TYPES:
        raw = request.POST.get("email", "").encode()
    else:
        raw = request.body
    if not raw:
        return HttpResponse("no message", status=400, content_type="text/plain")
    try:
        reply = _reply_from_email(raw)
    except InboundRefused as refusal:
        logger.info("Inbound email refused: %s", refusal)
        return HttpResponse("refused", status=403, content_type="text/plain")
    return HttpResponse(f"reply {reply.pk}", status=201, content_type="text/plain")
