"""Registering for events: seats, the waitlist, attendance.

Every write here locks the event row first (``select_for_update``), so two
requests for the last seat are served one after the other and confirmed
registrations never exceed the capacity.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from alliance.notifications.services.activities import activity_record
from events.models import Event, Registration
from events.services._common import event_context, event_lock
from members.selectors import user_member_organizations


def _seat_free(event: Event, organization_id: int | None) -> bool:
    """Return whether one more confirmed seat fits (the event row is locked)."""
    confirmed = Registration.objects.filter(
        event=event, status=Registration.Status.CONFIRMED
    )
    if event.capacity is not None and confirmed.count() >= event.capacity:
        return False
    if event.seats_per_organization is not None and organization_id is not None:
        taken = confirmed.filter(organization_id=organization_id).count()
        if taken >= event.seats_per_organization:
            return False
    return True


def waitlist_position(registration: Registration) -> int | None:
    """Return the person's place on the waitlist (1 is next), or None."""
    if registration.status != Registration.Status.WAITLISTED:
        return None
    return Registration.objects.filter(
        event_id=registration.event_id,
        status=Registration.Status.WAITLISTED,
        id__lte=registration.id,
    ).count()


def _check_open(event: Event, now) -> None:
    if event.status == Event.Status.CANCELLED:
        raise ValidationError(_("This event has been cancelled."))
    if event.status != Event.Status.PUBLISHED:
        raise ValidationError(_("This event is not open for registration yet."))
    if event.registration_opens_at and now < event.registration_opens_at:
        raise ValidationError(
            _("Registration has not opened yet; it opens on %(when)s.")
            % {
                "when": date_format(
                    timezone.localtime(event.registration_opens_at),
                    "DATETIME_FORMAT",
                )
            }
        )
    if now >= event.registration_closes:
        raise ValidationError(_("Registration for this event has closed."))


def registration_add_locked(
    *, event: Event, user, organization_id: int | None, show_on_list: bool, now
) -> tuple[Registration, bool]:
    """Give the person a seat, or a place on the waitlist when none is free; the
    caller holds the event's row lock and has checked that registration is open.
    Return the person's registration and whether this call made it."""
    existing = Registration.objects.filter(
        event=event, user=user, status__in=Registration.ACTIVE_STATUSES
    ).first()
    if existing is not None:
        return existing, False
    confirmed = _seat_free(event, organization_id)
    registration = Registration.objects.create(
        event=event,
        user=user,
        organization_id=organization_id,
        status=(
            Registration.Status.CONFIRMED
            if confirmed
            else Registration.Status.WAITLISTED
        ),
        show_on_list=show_on_list,
        created_at=now,
        confirmed_at=now if confirmed else None,
    )
    return registration, True


def registration_check_open(event: Event, now) -> None:
    """Raise ``ValidationError`` unless the event takes registrations now."""
    _check_open(event, now)


def user_registration_organization_id(user) -> int | None:
    """Return the organization a person's seats count against (their first
    member organization by name), or None."""
    organization = user_member_organizations(user).order_by("name").first()
    return organization.pk if organization else None


@transaction.atomic
def registration_create(
    *, event: Event, user, show_on_list: bool = False
) -> Registration:
    """Register the person: a confirmed seat while one is free, else the waitlist.

    Returns the person's registration; its ``created`` is True when this call
    made it and False when they were already registered (decided under the
    event's row lock, so of simultaneous calls exactly one says True)."""
    organization_id = user_registration_organization_id(user)
    event = event_lock(event.pk)
    now = timezone.now()
    _check_open(event, now)
    registration, created = registration_add_locked(
        event=event,
        user=user,
        organization_id=organization_id,
        show_on_list=show_on_list,
        now=now,
    )
    if created:
        activity_record(
            kind="registration_confirmed",
            target=event,
            actor=user,
            recipients=[user],
            context=event_context(
                event,
                status=registration.status,
                position=waitlist_position(registration),
            ),
        )
    registration.created = created
    return registration


def registration_promote_waitlisted(*, event: Event) -> list[Registration]:
    """Give free seats to the waitlist in arrival order and tell each person
    promoted; the caller holds the event's row lock."""
    if event.status != Event.Status.PUBLISHED or event.has_started:
        return []
    confirmed = Registration.objects.filter(
        event=event, status=Registration.Status.CONFIRMED
    )
    total = confirmed.count()
    per_org = dict(
        confirmed.exclude(organization_id=None)
        .values_list("organization_id")
        .annotate(n=Count("id"))
    )
    promoted = []
    now = timezone.now()
    waiting = Registration.objects.filter(
        event=event, status=Registration.Status.WAITLISTED
    ).select_related("user")
    for registration in waiting.order_by("id"):
        if event.capacity is not None and total >= event.capacity:
            break
        org = registration.organization_id
        cap = event.seats_per_organization
        if cap is not None and org is not None and per_org.get(org, 0) >= cap:
            continue
        registration.status = Registration.Status.CONFIRMED
        registration.confirmed_at = registration.promoted_at = now
        registration.save(update_fields=["status", "confirmed_at", "promoted_at"])
        total += 1
        if org is not None:
            per_org[org] = per_org.get(org, 0) + 1
        promoted.append(registration)
        activity_record(
            kind="registration_promoted",
            target=event,
            recipients=[registration.user],
            context=event_context(event),
        )
    return promoted


@transaction.atomic
def registration_cancel(*, registration: Registration, actor=None) -> Registration:
    """Cancel a registration; a freed seat goes to the first person waiting."""
    event = event_lock(registration.event_id)
    registration = Registration.objects.get(pk=registration.pk)
    if registration.status == Registration.Status.CANCELLED:
        return registration
    if event.has_started:
        raise ValidationError(
            _("The event has started; registrations can no longer be changed.")
        )
    was_confirmed = registration.status == Registration.Status.CONFIRMED
    registration.status = Registration.Status.CANCELLED
    registration.cancelled_at = timezone.now()
    registration.save(update_fields=["status", "cancelled_at"])
    if was_confirmed:
        registration_promote_waitlisted(event=event)
    return registration


@transaction.atomic
def registration_set_visibility(
    *, registration: Registration, show_on_list: bool
) -> Registration:
    """Choose whether other attendees see the person on the list."""
    if registration.show_on_list != show_on_list:
        registration.show_on_list = show_on_list
        registration.save(update_fields=["show_on_list"])
    return registration


@transaction.atomic
def registration_mark_attended(
    *, registration: Registration, attended: bool | None
) -> Registration:
    """Record whether the person came (None: not recorded)."""
    if registration.status != Registration.Status.CONFIRMED:
        raise ValidationError(_("Only confirmed attendees can be marked as present."))
    registration.attended = attended
    registration.save(update_fields=["attended"])
    return registration


@transaction.atomic
def registrations_close_for_user(user) -> int:
    """Cancel the person's registrations for events still to come (their account
    is closing), promoting whoever waits; return how many."""
    upcoming = Registration.objects.filter(
        Q(event__starts_at__gt=timezone.now()),
        user=user,
        status__in=Registration.ACTIVE_STATUSES,
    )
    count = 0
    for registration in upcoming.order_by("event_id"):
        registration_cancel(registration=registration, actor=user)
        count += 1
    return count
