"""Pages of a person's notifications: inbox, preferences, subscriptions and the
one-click unsubscribe."""

from csp.decorators import csp
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from alliance.focus_areas.selectors import focus_area_list_visible_to
from alliance.notifications.forms import NotificationPreferencesForm
from alliance.notifications.models import Delivery, Subscription
from alliance.notifications.selectors import (
    followable_get,
    notification_bundles,
    notification_list,
    notification_unread_count,
    subscription_level_rows,
    subscription_overview,
)
from alliance.notifications.services.activities import notification_mark_read
from alliance.notifications.services.digests import digest_preview
from alliance.notifications.services.emails import unsubscribe_token_parse
from alliance.notifications.services.preferences import (
    default_choice,
    kind_groups,
    notification_preferences_set,
    notification_settings_get,
    notification_unsubscribe,
    preference_table,
    unsubscribe_scope_label,
)
from alliance.notifications.services.subscriptions import (
    subscription_delete,
    subscription_levels_set,
    subscription_set,
)
from alliance.registries.notification_kinds import (
    notification_kind_choices,
    notification_kind_keys,
)

PAGE_SIZE = 30


def _inbox_filters(params) -> dict:
    """The inbox's filters from a query or form: unread only, and a group of
    kinds (an unknown group shows everything)."""
    groups = {key: (label, kinds) for key, label, kinds in kind_groups()}
    group = params.get("group", "")
    return {
        "unread_only": params.get("show") == "unread",
        "group": group if group in groups else "",
        "kinds": groups[group][1] if group in groups else None,
        "kind_groups": [(key, label) for key, (label, _kinds) in groups.items()],
    }


def _inbox_context(request, filters: dict, page_number=None) -> dict:
    """The page of the inbox with its notifications in lines, similar news of a
    week bundled (a constant number of queries)."""
    page = Paginator(
        notification_list(
            recipient=request.user,
            unread_only=filters["unread_only"],
            kinds=filters["kinds"],
        ),
        PAGE_SIZE,
    ).get_page(page_number)
    # News about what a person follows (it goes to the digest by default) is
    # bundled; what is addressed to them stays a line of its own.
    entries = notification_bundles(
        page.object_list,
        bundle_kinds=[
            kind
            for kind in notification_kind_keys()
            if default_choice(kind).email == Delivery.DIGEST
        ],
        kind_labels=dict(notification_kind_choices()),
    )
    return {
        "page": page,
        "entries": entries,
        # The page links keep the filters, also in the list an htmx POST (mark
        # all read) answers with, whose own query string is empty.
        "filter_query": _filter_query(filters),
        **filters,
    }


def _filter_query(filters: dict) -> str:
    """The inbox's filters as a query string ("show=unread&group=events")."""
    return urlencode(
        [
            (key, value)
            for key, value in (
                ("show", "unread" if filters["unread_only"] else ""),
                ("group", filters["group"]),
            )
            if value
        ]
    )


@login_required
def notification_list_view(request):
    filters = _inbox_filters(request.GET)
    return render(
        request,
        "alliance/notification_list.html",
        _inbox_context(request, filters, request.GET.get("page")),
    )


def _inbox_response(request, notification=None, status: str = ""):
    """Answer htmx with the changed item (or list), what happened and the bell,
    else redirect to the inbox (keeping its filters)."""
    if not request.htmx:
        query = _filter_query(_inbox_filters(request.POST))
        url = reverse("alliance:notification_list")
        return redirect(f"{url}?{query}" if query else url)
    context = {
        "unread_notification_count": notification_unread_count(recipient=request.user),
        "oob": True,
        "status": status,
    }
    if notification is not None:
        context["n"] = notification
        return render(request, "alliance/_notification_item.html", context)
    context.update(_inbox_context(request, _inbox_filters(request.POST)))
    return render(request, "alliance/_notification_items.html", context)


@login_required
@require_POST
def notification_read_view(request, pk):
    notification = get_object_or_404(notification_list(recipient=request.user), pk=pk)
    notification_mark_read(recipient=request.user, notification_id=notification.pk)
    notification.refresh_from_db()
    return _inbox_response(request, notification)


@login_required
@require_http_methods(["GET", "POST"])
def notification_open_view(request, pk):
    """Follow a notification's link; a POST (the inbox's link is a form) also
    marks it read. A GET changes nothing, so a link from another site cannot."""
    notification = get_object_or_404(notification_list(recipient=request.user), pk=pk)
    if request.method == "POST":
        notification_mark_read(recipient=request.user, notification_id=notification.pk)
    target = notification.url
    if not target or not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect("alliance:notification_list")
    return redirect(target)


@login_required
@require_POST
def notification_read_all_view(request):
    """Mark all read: every notification, or those of the group of kinds shown."""
    filters = _inbox_filters(request.POST)
    count = notification_mark_read(recipient=request.user, kinds=filters["kinds"])
    status = (
        ngettext(
            "Marked %(count)s notification read.",
            "Marked %(count)s notifications read.",
            count,
        )
        % {"count": count}
        if count
        else _("Nothing was unread.")
    )
    if not request.htmx:
        messages.success(request, status)
    return _inbox_response(request, status=status)


@login_required
def notification_preferences_view(request):
    settings_row = notification_settings_get(user=request.user)
    table = preference_table(user=request.user)
    initial = {
        "digest_frequency": settings_row.digest_frequency,
        "digest_hour": settings_row.digest_hour,
        "digest_weekday": settings_row.digest_weekday,
        "staff_report": settings_row.staff_report,
    }
    for kind, choice in table.items():
        initial[f"email__{kind}"] = choice.email
        initial[f"inbox__{kind}"] = choice.inbox
    # A row per focus area; what the person set on one is shown there, not
    # among the things they follow.
    areas = subscription_level_rows(
        user=request.user, targets=focus_area_list_visible_to(request.user)
    )
    area_types = {row["content_type"].pk for row in areas}
    followed = [
        row
        for group in subscription_overview(user=request.user)
        for row in group["rows"]
        if row["target"] is not None and row["content_type"].pk not in area_types
    ]
    form = NotificationPreferencesForm(
        request.POST or None,
        initial=initial,
        staff=request.user.is_staff,
        followed=followed,
        areas=areas,
    )
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                notification_preferences_set(
                    user=request.user,
                    digest_frequency=form.cleaned_data["digest_frequency"],
                    digest_hour=form.cleaned_data["digest_hour"],
                    digest_weekday=form.cleaned_data["digest_weekday"],
                    staff_report=form.cleaned_data.get("staff_report"),
                    kinds=form.kinds_data(),
                )
                subscription_levels_set(user=request.user, levels=form.levels_data())
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Your notification preferences are saved."))
            return redirect("alliance:notification_preferences")
    return render(
        request,
        "alliance/notification_preferences.html",
        {
            "form": form,
            "settings_row": settings_row,
            "kind_errors": any(
                name.startswith(("email__", "inbox__")) for name in form.errors
            ),
        },
    )


@login_required
def digest_preview_view(request):
    """The person's next digest as it would be sent now: subject, the email as it
    looks (framed from digest_preview_email_view) and its text. Nothing is
    sent, nothing marked."""
    return render(
        request,
        "alliance/digest_preview.html",
        {"preview": digest_preview(user=request.user)},
    )


# The email's HTML is shown as sent, in a sandboxed frame of the preview page
# only: its inline styles allowed, nothing else (no scripts, no requests).
EMAIL_FRAME_CSP = {
    "default-src": ["'none'"],
    "style-src": ["'unsafe-inline'"],
    "img-src": ["'self'", "data:"],
    "frame-ancestors": ["'self'"],
    "base-uri": ["'none'"],
    "form-action": ["'none'"],
}


@login_required
@xframe_options_sameorigin
@csp(EMAIL_FRAME_CSP)
def digest_preview_email_view(request):
    """The HTML part of the person's next digest, exactly as it would be sent."""
    email = digest_preview(user=request.user)["email"]
    if email is None:
        raise Http404
    return HttpResponse(email.body_html, content_type="text/html; charset=utf-8")


@login_required
def subscription_list_view(request):
    return render(
        request,
        "alliance/subscription_list.html",
        {"groups": subscription_overview(user=request.user)},
    )


@login_required
@require_POST
def subscription_change_view(request):
    """Follow, mute or reset (default) one thing the person may see; or remove
    one of their choices by its id (``subscription``), also when what it was
    about was deleted or is hidden from them now."""
    subscription_id = request.POST.get("subscription", "")
    if subscription_id:
        if not subscription_id.isdigit() or not subscription_delete(
            user=request.user, subscription_id=int(subscription_id)
        ):
            raise Http404
        messages.success(request, _("Removed."))
        return redirect("alliance:subscription_list")
    state = request.POST.get("state") or None
    if state not in ("watch", "follow", "mute", None):
        raise Http404
    # Missing and hidden give the same 404: nobody learns what exists.
    target = followable_get(
        user=request.user, label=request.POST.get("type", ""), pk=request.POST.get("id")
    )
    if target is None:
        raise Http404
    subscription_set(user=request.user, target=target, state=state)
    if state == Subscription.State.MUTE:
        text = _("You muted “%(name)s”: you hear nothing more about it.")
    elif state == Subscription.State.WATCH:
        text = _("You watch “%(name)s”: every activity reaches you by email at once.")
    elif state == Subscription.State.FOLLOW:
        text = _("You follow “%(name)s”.")
    else:
        text = _("“%(name)s” is back to the default: you hear of it while you belong.")
    messages.success(request, text % {"name": target})
    return redirect("alliance:subscription_list")


@csrf_exempt
def unsubscribe_view(request, token):
    """Stop one kind of email: a confirmation page on GET (link scanners follow
    links), the change on POST, including RFC 8058 one-click from mail clients."""
    parsed = unsubscribe_token_parse(token)
    User = get_user_model()
    person = User.objects.filter(pk=parsed[0]).first() if parsed else None
    if person is None:
        return render(
            request, "alliance/unsubscribe.html", {"invalid": True}, status=400
        )
    _user_id, scope = parsed
    if request.method == "POST":
        try:
            what = notification_unsubscribe(user=person, scope=scope)
        except ValidationError:
            return render(
                request, "alliance/unsubscribe.html", {"invalid": True}, status=400
            )
        if request.POST.get("List-Unsubscribe") == "One-Click":
            return HttpResponse(_("Unsubscribed."), content_type="text/plain")
        return render(
            request, "alliance/unsubscribe.html", {"done": True, "what": what}
        )
    what = unsubscribe_scope_label(scope)
    if what is None:
        return render(
            request, "alliance/unsubscribe.html", {"invalid": True}, status=400
        )
    return render(
        request, "alliance/unsubscribe.html", {"what": what, "email": person.email}
    )
