"""Replies on working-group updates, minutes and decisions, and the versions an
edit keeps. A reply's visibility is its update's (``alliance.working_groups``
decides who may read an update)."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from alliance.core.markdown import MarkdownField


class Reply(models.Model):
    """One reply in the conversation under an update. Threads are one level
    deep: a reply answers the update or another reply (``parent``); every reply
    in a thread shares the thread's first reply (``thread``), under which it is
    shown flat, saying whom it answers."""

    update = models.ForeignKey(
        "alliance.WorkingGroupUpdate",
        on_delete=models.CASCADE,
        related_name="replies",
        verbose_name=_("update"),
    )
    parent = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="answers",
        verbose_name=_("in reply to"),
    )
    thread = models.ForeignKey(
        "self",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="thread_replies",
        verbose_name=_("thread"),
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="group_replies",
        verbose_name=_("author"),
    )
    body = MarkdownField(_("text"), blank=True, help_text=_("Markdown is supported."))
    via_email = models.BooleanField(_("sent by email"), default=False)
    created_at = models.DateTimeField(_("posted"), default=timezone.now)
    edited_at = models.DateTimeField(_("edited"), null=True, blank=True)
    deleted_at = models.DateTimeField(_("deleted"), null=True, blank=True)
    deleted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("deleted by"),
    )
    mentioned = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="reply_mentions",
        verbose_name=_("mentioned"),
    )

    class Meta:
        verbose_name = _("reply")
        verbose_name_plural = _("replies")
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["update", "created_at"])]

    def __str__(self):
        if self.deleted_at:
            return str(_("Deleted reply"))
        return self.body[:60]

    @property
    def is_deleted(self) -> bool:
        return self.deleted_at is not None

    @property
    def anchor(self) -> str:
        return f"reply-{self.pk}"


class ReplyVersion(models.Model):
    """A text a reply had before its author edited it."""

    reply = models.ForeignKey(
        Reply,
        on_delete=models.CASCADE,
        related_name="versions",
        verbose_name=_("reply"),
    )
    body = models.TextField(_("text"))
    written_at = models.DateTimeField(_("written"))
    replaced_at = models.DateTimeField(_("replaced"), default=timezone.now)

    class Meta:
        verbose_name = _("earlier version of a reply")
        verbose_name_plural = _("earlier versions of replies")
        ordering = ["reply", "written_at", "id"]

    def __str__(self):
        return self.body[:60]
