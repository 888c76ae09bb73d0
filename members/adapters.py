"""allauth hooks: new accounts start in the language they signed up in, and every
account email (address verification, password reset, sign-in code, "you already
have an account") goes out through the outbox like every other email."""

import logging

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context as allauth_context
from allauth.core import ratelimit
from django.conf import settings
from django.contrib.sites.shortcuts import get_current_site
from django.utils import translation

from members.services import account_email_queue

logger = logging.getLogger(__name__)


class AccountAdapter(DefaultAccountAdapter):
    def save_user(self, request, user, form, commit=True):
        language = translation.get_language() or settings.LANGUAGE_CODE
        user.language = language if language in dict(settings.LANGUAGES) else "en"
        return super().save_user(request, user, form, commit=commit)

    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        """Render the email now (its links need the request) and queue it in the
        outbox: the request never waits on the mail server, a refusing or hung
        server never breaks it, and a failed delivery is retried. Besides the
        limit per kind (``ACCOUNT_RATE_LIMITS``), one address gets at most
        ``account_mail`` account emails; more are dropped, silently, so the
        answer says nothing about the address either way."""
        request = allauth_context.request
        if request is not None and not ratelimit.consume(
            request, action="account_mail", key=email.lower()
        ):
            logger.warning(
                "Account email %s to one address held back: rate limit", template_prefix
            )
            return
        ctx = {
            "request": request,
            "email": email,
            "current_site": get_current_site(request),
        }
        ctx.update(context)
        message = self.render_mail(template_prefix, email, ctx)
        account_email_queue(
            message=message,
            kind=template_prefix.rsplit("/", 1)[-1],
            language=translation.get_language() or settings.LANGUAGE_CODE,
        )
