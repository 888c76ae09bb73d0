"""Pages of the working groups: index, group page, joining and leaving in place
(htmx, and plain forms without JavaScript), chairs' requests and invitations,
updates with minutes and action items, follow and mute."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils.functional import SimpleLazyObject
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from alliance.core.cache import shared_fragment
from alliance.core.forms import form_add_service_errors
from alliance.notifications.services.subscriptions import subscription_set
from alliance.registries.panels import panels_for
from alliance.registries.visibility import visible_pks
from alliance.working_groups.filters import WorkingGroupFilter
from alliance.working_groups.forms import (
    ActionItemFormSet,
    InviteForm,
    JoinForm,
    RequestDecisionForm,
    UpdateCorrectForm,
    UpdateForm,
    action_item_owners,
)
from alliance.working_groups.models import (
    ActionItem,
    WorkingGroup,
    WorkingGroupMembership,
    WorkingGroupUpdate,
)
from alliance.working_groups.overlays import group_box_html, group_updates_html
from alliance.working_groups.permissions import (
    can_complete_action_item,
    can_correct_update,
    can_follow_working_group,
    can_manage_working_group,
    can_post_update,
    can_view_roster,
)
from alliance.working_groups.selectors import (
    action_item_get,
    working_group_get,
    working_group_invitations,
    working_group_list_for,
    working_group_list_visible_to,
    working_group_meeting,
    working_group_membership_of,
    working_group_page_get,
    working_group_people_for_minutes,
    working_group_requests,
    working_group_roster,
    working_group_roster_audience,
    working_group_roster_organizations,
    working_group_seat_holders,
    working_group_update_get,
    working_group_update_list,
    working_group_update_versions,
)
from alliance.working_groups.services import (
    action_item_set_done,
    working_group_invitation_respond,
    working_group_invite_by_email,
    working_group_join,
    working_group_leave,
    working_group_request_decide,
    working_group_update_correct,
    working_group_update_post,
)
from members.selectors import (
    organization_entitlements,
    user_is_member,
    user_member_organization_list,
)

Membership = WorkingGroupMembership
INDEX_PAGE_SIZE = 30
UPDATES_ON_GROUP_PAGE = 10
UPDATES_PAGE_SIZE = 20
# The roster on a group's page comes a page at a time: the largest groups have
# hundreds of members.
ROSTER_PAGE_SIZE = 30


def _error_text(error: ValidationError) -> str:
    return " ".join(error.messages)


def _group_or_404(slug: str, user=None) -> WorkingGroup:
    try:
        return working_group_get(slug=slug, user=user)
    except WorkingGroup.DoesNotExist:
        raise Http404 from None


def _safe_next(request, fallback: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return fallback


def _voting_explanation(membership, group) -> dict | None:
    """Say why an active member has no vote, naming who holds the seats."""
    if not membership or membership.status != Membership.Status.ACTIVE:
        return None
    if membership.voting or not membership.non_voting_reason:
        return None
    explanation = {"reason": membership.non_voting_reason}
    if membership.non_voting_reason == Membership.NonVotingReason.SEAT_CAP:
        organization = membership.organization
        explanation.update(
            organization=organization,
            cap=organization_entitlements(organization).voting_seats_per_group,
            holders=working_group_seat_holders(group=group, organization=organization),
        )
    return explanation


def _member_organization_count(request, group, membership) -> int:
    if not request.user.is_authenticated:
        return 0
    if membership is not None and membership.status in Membership.OPEN_STATUSES:
        return 0  # the box shows their membership, not the ways to join
    annotated = getattr(group, "member_organization_count", None)
    if annotated is not None:
        return annotated
    return len(user_member_organization_list(request.user))


def _membership_context(request, group, membership, *, outcome=None):
    """Return what the join/leave box needs to show the person where they stand."""
    user = request.user
    organization_count = _member_organization_count(request, group, membership)
    # The ways to join show only to someone without an open membership.
    joins = user.is_authenticated and not (
        membership is not None and membership.status in Membership.OPEN_STATUSES
    )
    return {
        "group": group,
        "membership": membership,
        "member_organization_count": organization_count,
        "is_member": organization_count > 0,
        # Built only if the box shows one of its fields (a choice of
        # organization, a message to the chairs): most boxes show none.
        "join_form": (
            SimpleLazyObject(
                lambda: JoinForm(user=user, organizations=organization_count > 1)
            )
            if joins
            else None
        ),
        "voting_explanation": _voting_explanation(membership, group),
        "outcome": outcome,
    }


def _joined_outcome(membership) -> tuple[str, str]:
    group = membership.group
    if membership.status == Membership.Status.PENDING:
        if membership.role == Membership.Role.OBSERVER:
            text = _(
                "Your request to observe %(group)s was sent to its chairs. "
                "You will be notified of their decision."
            )
        else:
            text = _(
                "Your request to join %(group)s was sent to its chairs. "
                "You will be notified of their decision."
            )
        return "success", text % {"group": group.name}
    if membership.role == Membership.Role.OBSERVER:
        return "success", _("You joined %(group)s as an observer.") % {
            "group": group.name
        }
    values = {"group": group.name, "organization": membership.organization}
    if membership.voting:
        return "success", _(
            "You joined %(group)s as a voting member for %(organization)s."
        ) % values
    cap = organization_entitlements(membership.organization).voting_seats_per_group
    values["cap"] = cap
    return "warning", _(
        "You joined %(group)s for %(organization)s without a vote: its "
        "voting seats in this group (%(cap)s) are taken."
    ) % values


def _left_outcome(membership, previous_status) -> tuple[str, str]:
    group = membership.group.name
    if previous_status == Membership.Status.PENDING:
        return "success", _("You withdrew your request to join %(group)s.") % {
            "group": group
        }
    if previous_status == Membership.Status.INVITED:
        return "success", _("You declined the invitation to %(group)s.") % {
            "group": group
        }
    return "success", _("You left %(group)s.") % {"group": group}


def _respond_with_box(request, group, membership, outcome):
    """Answer a join/leave action: the refreshed box in place for htmx, a
    message and the group page otherwise."""
    if request.htmx:
        context = _membership_context(request, group, membership, outcome=outcome)
        template = (
            "alliance/working_groups/_card_actions.html"
            if request.POST.get("place") == "card"
            else "alliance/working_groups/_membership_oob.html"
        )
        context |= _roster_context(request, group, membership)
        return render(request, template, context)
    level, text = outcome
    getattr(messages, level)(request, text)
    return redirect(_safe_next(request, group.get_absolute_url()))


def _roster_context(request, group, membership, *, count=None) -> dict:
    """The roster a page at a time (``?roster=N``) and the organizations it
    represents, for those who may see it. ``count``: the active members, when
    already known (no second COUNT)."""
    if not can_view_roster(request.user, group, membership=membership):
        return {"can_view_roster": False, "roster": None, "organizations": []}
    active = membership is not None and membership.status == membership.Status.ACTIVE
    # The same for every reader who sees the same names: shared by audience.
    fragment = shared_fragment(
        ("groups", "organizations"),
        audience=working_group_roster_audience(request.user, viewer_is_member=active),
        parts=("roster", group.pk, request.GET.urlencode()),
        local="language",  # dates only (no times): one entry per language
    )
    if fragment.html is not None:
        return {"can_view_roster": True, "roster_fragment": fragment}
    paginator = Paginator(
        working_group_roster(group=group, viewer=request.user, viewer_is_member=active),
        ROSTER_PAGE_SIZE,
    )
    if count is not None:
        paginator.count = count  # a cached property: the page's COUNT is skipped
    roster = paginator.get_page(request.GET.get("roster"))
    return {
        "can_view_roster": True,
        "roster_fragment": fragment,
        "roster": roster,
        "organizations": working_group_roster_organizations(group=group),
    }


def working_group_list_view(request):
    filterset = WorkingGroupFilter(
        request.GET or None,
        queryset=working_group_list_for(user=request.user),
        request=request,
    )
    page = Paginator(filterset.qs, INDEX_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "alliance/working_groups/list.html",
        {
            "filter": filterset,
            "page": page,
            "groups": page.object_list,
            "is_member": user_is_member(request.user),
        },
    )


# What every reader of a group's page sees alike (_group_about.html), in order.
_ABOUT_PARTS = ("description", "trail", "heading", "charter", "talks")


def _about(group) -> dict:
    """The parts of a group's page that are the same for every reader (its
    description, heading, charter, where it talks), rendered once per group and
    language and shared until the group or its focus area changes."""
    fragment = shared_fragment(
        ("groups", "focus_areas"),
        audience="all",
        parts=("group-about", group.pk),
        local="language",  # dates only (the charter's last review)
    )
    if fragment.html is None:
        fragment.store(
            render_to_string(
                "alliance/working_groups/_group_about.html", {"group": group}
            )
        )
    parts = zip(_ABOUT_PARTS, fragment.html.split("<!--part-->"), strict=True)
    # Rendered by our own template, as the rest of the page.
    return {name: mark_safe(part) for name, part in parts}  # noqa: S308


def working_group_detail(request, slug):
    user = request.user
    try:
        group, membership = working_group_page_get(slug=slug, user=user)
    except WorkingGroup.DoesNotExist:
        raise Http404 from None
    visible = can_view_roster(user, group, membership=membership)
    manages = can_manage_working_group(user, group, membership=membership)
    updates_html = action_items_html = ""
    if visible:
        updates_html, action_items_html = group_updates_html(
            request, group, count=UPDATES_ON_GROUP_PAGE, can_manage=manages
        )
    followable = can_follow_working_group(user, group, membership=membership)
    follow_state = getattr(group, "follow_state", None) if followable else None
    context = {
        "group": group,
        "about": _about(group),
        "follow_html": _follow_box(
            request, group, membership, followable=followable, state=follow_state
        ),
        "updates_html": updates_html,
        "action_items_html": action_items_html,
        "can_manage": manages,
        "can_post": can_post_update(user, group, membership=membership),
        "waiting_requests": group.waiting_count if manages else 0,
        "can_follow": followable,
        "follow_state": follow_state,
        "panels": panels_for(
            "working_group", request, group=group, membership=membership
        ),
    }
    context |= _membership_context(request, group, membership)
    context["membership_html"] = _membership_box(request, group, context)
    context |= _roster_context(request, group, membership, count=group.member_count)
    return render(request, "alliance/working_groups/detail.html", context)


def _follow_box(request, group, membership, *, followable: bool, state) -> str:
    """The group page's follow box, shared by the readers in the same state."""
    if not followable:
        return ""
    member = membership is not None and membership.status == Membership.Status.ACTIVE
    # What the box shows: muted, "Following as a member", following, or none.
    shown = "mute" if state == "mute" else "member" if member else state or ""
    return group_box_html(
        request,
        "alliance/working_groups/_follow.html",
        parts=("follow-box", group.pk, shown),
        context=lambda: {
            "group": group,
            "can_follow": True,
            "follow_state": state,
            "membership": {"status": Membership.Status.ACTIVE if member else None},
        },
    )


def _membership_box(request, group, context) -> str:
    """The group page's membership box, shared by the signed-in readers without
    a membership who belong to as many member organizations (none or one: two
    or more are offered a choice of theirs); "" when it is the reader's own."""
    count = context["member_organization_count"]
    if context["membership"] is not None or count > 1:
        return ""
    if not request.user.is_authenticated:
        return ""
    return group_box_html(
        request,
        "alliance/working_groups/_membership.html",
        parts=("membership-box", group.pk, count),
        context=lambda: {
            "group": group,
            "user": {"is_authenticated": True},
            "membership": None,
            "member_organization_count": count,
            "join_form": JoinForm(user=None, organizations=False),
        },
    )


@require_POST
def working_group_join_view(request, slug):
    group = _group_or_404(slug)
    if not request.user.is_authenticated:
        return redirect_to_login(group.get_absolute_url())
    form = JoinForm(request.POST, user=request.user)
    if not form.is_valid():
        membership = working_group_membership_of(user=request.user, group=group)
        return _respond_with_box(
            request,
            group,
            membership,
            ("error", _("Choose one of your organizations and try again.")),
        )
    try:
        membership = working_group_join(
            group=group,
            user=request.user,
            organization=form.cleaned_data["organization"],
            as_observer=form.cleaned_data["as_observer"],
            message=form.cleaned_data["message"],
        )
    except ValidationError as error:
        membership = working_group_membership_of(user=request.user, group=group)
        return _respond_with_box(
            request, group, membership, ("error", _error_text(error))
        )
    return _respond_with_box(request, group, membership, _joined_outcome(membership))


@require_POST
def working_group_leave_view(request, slug):
    group = _group_or_404(slug)
    if not request.user.is_authenticated:
        return redirect_to_login(group.get_absolute_url())
    current = working_group_membership_of(user=request.user, group=group)
    try:
        membership = working_group_leave(group=group, user=request.user)
    except ValidationError as error:
        return _respond_with_box(request, group, current, ("error", _error_text(error)))
    outcome = _left_outcome(membership, current.status)
    return _respond_with_box(request, group, None, outcome)


@require_POST
def working_group_invitation_view(request, slug):
    group = _group_or_404(slug)
    if not request.user.is_authenticated:
        return redirect_to_login(group.get_absolute_url())
    membership = working_group_membership_of(user=request.user, group=group)
    if membership is None or membership.status != Membership.Status.INVITED:
        return _respond_with_box(
            request,
            group,
            membership,
            ("error", _("You have no open invitation to this group.")),
        )
    accept = request.POST.get("answer") == "accept"
    try:
        membership = working_group_invitation_respond(
            membership=membership, accept=accept
        )
    except ValidationError as error:
        return _respond_with_box(
            request, group, membership, ("error", _error_text(error))
        )
    if accept:
        return _respond_with_box(
            request, group, membership, _joined_outcome(membership)
        )
    return _respond_with_box(
        request, group, None, _left_outcome(membership, Membership.Status.INVITED)
    )


@login_required
@require_POST
def working_group_follow_view(request, slug):
    # The one "may see it" selector every follow path uses: a group the person
    # may not see is not found, as a missing one.
    if not working_group_list_visible_to(request.user).filter(slug=slug).exists():
        raise Http404
    group = _group_or_404(slug)
    membership = working_group_membership_of(user=request.user, group=group)
    state = request.POST.get("state") or None
    if state not in (None, "follow", "mute"):
        state = None
    subscription_set(user=request.user, target=group, state=state)
    texts = {
        "follow": _("You follow %(group)s: you will hear of its updates."),
        "mute": _("You muted %(group)s: you will not hear of its updates."),
        None: _("You no longer follow %(group)s by choice."),
    }
    if state is None and membership and membership.is_active:
        texts[None] = _("As a member, you hear of the updates of %(group)s.")
    text = texts[state] % {"group": group.name}
    if request.htmx:
        return render(
            request,
            "alliance/working_groups/_follow.html",
            {
                "group": group,
                "membership": membership,
                "follow_state": state,
                "can_follow": True,
                "follow_outcome": text,
            },
        )
    messages.success(request, text)
    return redirect(group.get_absolute_url())


def _manage_or_403(request, group):
    membership = working_group_membership_of(user=request.user, group=group)
    if not can_manage_working_group(request.user, group, membership=membership):
        raise PermissionDenied(_("Only the group's chairs and staff may do this."))


@login_required
def working_group_manage(request, slug):
    group = _group_or_404(slug)
    _manage_or_403(request, group)
    invite_form = InviteForm(request.POST or None)
    if request.method == "POST" and invite_form.is_valid():
        data = invite_form.cleaned_data
        try:
            working_group_invite_by_email(
                group=group,
                invited_by=request.user,
                email=data["email"],
                role=data["role"],
                message=data["message"],
            )
        except ValidationError as error:
            form_add_service_errors(invite_form, error)
        else:
            # The same answer whether or not the address has an account.
            messages.success(
                request,
                _(
                    "Done. If an account with the address %(email)s can be invited, "
                    "the person is invited now and finds the invitation on the "
                    "group page. The portal does not say whether an address has an "
                    "account: someone new signs up first, then you invite them again."
                )
                % {"email": data["email"]},
            )
            return redirect("alliance:working_group_manage", slug=group.slug)
    return render(
        request,
        "alliance/working_groups/manage.html",
        {
            "group": group,
            "requests": list(working_group_requests(group=group)),
            "invitations": list(working_group_invitations(group=group)),
            "invite_form": invite_form,
            "decision_form": RequestDecisionForm(),
        },
    )


@login_required
@require_POST
def working_group_request_decide_view(request, slug, pk):
    group = _group_or_404(slug)
    _manage_or_403(request, group)
    membership = get_object_or_404(
        Membership.objects.select_related("user", "organization"),
        pk=pk,
        group=group,
    )
    form = RequestDecisionForm(request.POST)
    outcome = None
    if form.is_valid():
        approve = form.cleaned_data["decision"] == "approve"
        try:
            membership = working_group_request_decide(
                membership=membership,
                decided_by=request.user,
                approve=approve,
                note=form.cleaned_data["note"],
                role=form.cleaned_data["role"] or None,
            )
        except ValidationError as error:
            outcome = ("error", _error_text(error))
        else:
            values = {"name": membership.user.public_name}
            if not approve:
                outcome = (
                    "success",
                    _("You declined the request of %(name)s.") % values,
                )
            elif membership.voting:
                outcome = ("success", _("%(name)s joined as a voting member.") % values)
            elif membership.role == Membership.Role.OBSERVER:
                outcome = ("success", _("%(name)s joined as an observer.") % values)
            else:
                outcome = (
                    "warning",
                    _(
                        "%(name)s joined without a vote: their organization's "
                        "voting seats in this group are taken."
                    )
                    % values,
                )
    else:
        outcome = ("error", _("Choose to approve or decline."))
    if request.htmx:
        return render(
            request,
            "alliance/working_groups/_request.html",
            {
                "group": group,
                "request_membership": membership,
                "decision_form": RequestDecisionForm(),
                "outcome": outcome,
            },
        )
    getattr(messages, outcome[0])(request, outcome[1])
    return redirect("alliance:working_group_manage", slug=group.slug)


def working_group_update_list_view(request, slug):
    group = _group_or_404(slug)
    if not can_view_roster(request.user, group):
        raise PermissionDenied(
            _("The updates of this group are visible to its members only.")
        )
    page = Paginator(working_group_update_list(group=group), UPDATES_PAGE_SIZE)
    page = page.get_page(request.GET.get("page"))
    return render(
        request,
        "alliance/working_groups/update_list.html",
        {"group": group, "page": page, "updates": page.object_list},
    )


class _SignIn(Exception):
    """The page needs a signed-in reader."""


def _readable_group_or_403(request, slug):
    group = _group_or_404(slug)
    if not can_view_roster(request.user, group):
        if not request.user.is_authenticated:
            raise _SignIn
        raise PermissionDenied(
            _("The updates of this group are visible to its members only.")
        )
    return group


def _update_or_404(group, pk, viewer=None) -> WorkingGroupUpdate:
    try:
        return working_group_update_get(group=group, pk=pk, viewer=viewer)
    except WorkingGroupUpdate.DoesNotExist:
        raise Http404 from None


def working_group_update_detail(request, slug, pk):
    try:
        group = _readable_group_or_403(request, slug)
    except _SignIn:
        return redirect_to_login(request.get_full_path())
    update = _update_or_404(group, pk, viewer=request.user)
    return render(
        request,
        "alliance/working_groups/update_detail.html",
        {
            "group": group,
            "update": update,
            "can_correct": can_correct_update(request.user, update),
            # The meeting is named only to those who may see it.
            "meeting_shown": bool(
                update.meeting_id
                and visible_pks(
                    "events.event", user=request.user, pks=[update.meeting_id]
                )
            ),
            # The conversation under it (alliance.conversation's replies).
            "panels": panels_for(
                "working_group_update", request, group=group, update=update
            ),
        },
    )


def _create_initial(request, meeting) -> dict:
    initial = {}
    kind = request.GET.get("kind")
    if kind in WorkingGroupUpdate.Kind.values:
        initial["kind"] = kind
    ballot = request.GET.get("ballot", "")
    if ballot.isdigit():
        initial["ballot"] = int(ballot)
    if meeting:
        initial.update(
            kind=WorkingGroupUpdate.Kind.MINUTES,
            title=_("Minutes: %(title)s") % {"title": meeting["title"]},
            meeting_date=meeting["date"],
            meeting=meeting["id"],
            attendees=meeting["attendee_ids"],
        )
    return initial


@login_required
def working_group_update_create(request, slug):
    group = _group_or_404(slug)
    if not can_post_update(request.user, group):
        raise PermissionDenied(
            _("Only the chairs and members of an active group post updates.")
        )
    meeting = working_group_meeting(
        group, request.POST.get("meeting") or request.GET.get("meeting")
    )
    # Who registered for the meeting is the chairs' to see (as on the attendee
    # list): only they get the attendance picker.
    people = (
        working_group_people_for_minutes(group=group, extra_ids=meeting["attendee_ids"])
        if meeting and can_manage_working_group(request.user, group)
        else None
    )
    owners = action_item_owners(group)
    form = UpdateForm(
        request.POST or None,
        group=group,
        people=people,
        initial=_create_initial(request, meeting),
    )
    items = ActionItemFormSet(
        request.POST or None, prefix="items", form_kwargs={"owners": owners}
    )
    if request.method == "POST" and form.is_valid() and items.is_valid():
        action_items = [f.as_input() for f in items.forms]
        data = form.cleaned_data
        try:
            update = working_group_update_post(
                group=group,
                author=request.user,
                kind=data["kind"],
                title=data["title"],
                body=data["body"],
                meeting_date=data.get("meeting_date"),
                action_items=[item for item in action_items if item],
                meeting_id=meeting["id"] if meeting else None,
                attendees=data.get("attendees") or None,
                ballot=data.get("ballot"),
            )
        except ValidationError as error:
            form_add_service_errors(form, error)
        else:
            if update.kind == WorkingGroupUpdate.Kind.MINUTES:
                text = _(
                    "Your minutes are posted; the group's members are notified "
                    "and each owner sees their action items on their dashboard."
                )
            else:
                text = _("Your update is posted; the group's members are notified.")
            messages.success(request, text)
            return redirect(update.get_absolute_url())
    return render(
        request,
        "alliance/working_groups/update_form.html",
        {"group": group, "form": form, "items": items, "meeting": meeting},
    )


@login_required
def working_group_update_edit(request, slug, pk):
    group = _group_or_404(slug)
    update = _update_or_404(group, pk)
    membership = working_group_membership_of(user=request.user, group=group)
    if not can_correct_update(request.user, update, membership=membership):
        raise PermissionDenied(
            _("Only the author and the group's chairs may correct this.")
        )
    people = None
    if update.kind == WorkingGroupUpdate.Kind.MINUTES and can_manage_working_group(
        request.user, group, membership=membership
    ):
        meeting = working_group_meeting(group, update.meeting_id)
        people = working_group_people_for_minutes(
            group=group,
            extra_ids=[p.pk for p in update.attendee_list]
            + (meeting["attendee_ids"] if meeting else []),
        )
    form = UpdateCorrectForm(
        request.POST or None,
        people=people,
        initial={
            "title": update.title,
            "body": update.body,
            "attendees": [p.pk for p in update.attendee_list],
        },
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            working_group_update_correct(
                update=update,
                editor=request.user,
                title=data["title"],
                body=data["body"],
                attendees=data.get("attendees") if people is not None else None,
            )
        except ValidationError as error:
            form_add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("Your correction is saved; the earlier version is kept."),
            )
            return redirect(update.get_absolute_url())
    return render(
        request,
        "alliance/working_groups/update_edit.html",
        {"group": group, "update": update, "form": form},
    )


def working_group_update_versions_view(request, slug, pk):
    try:
        group = _readable_group_or_403(request, slug)
    except _SignIn:
        return redirect_to_login(request.get_full_path())
    update = _update_or_404(group, pk)
    return render(
        request,
        "alliance/working_groups/update_versions.html",
        {
            "group": group,
            "update": update,
            "versions": working_group_update_versions(update=update),
        },
    )


@login_required
@require_POST
def action_item_done_view(request, pk):
    try:
        item = action_item_get(pk=pk)
    except ActionItem.DoesNotExist:
        raise Http404 from None
    if not can_complete_action_item(request.user, item):
        raise PermissionDenied(_("Only the owner and the group's chairs may do this."))
    done = request.POST.get("done", "1") != "0"
    item = action_item_set_done(item=item, done=done)
    item = action_item_get(pk=item.pk)
    text = (_("Marked done: %(text)s") if done else _("Open again: %(text)s")) % {
        "text": item.text
    }
    if request.htmx:
        return render(
            request,
            "alliance/working_groups/_action_item.html",
            {"item": item, "outcome": text, "place": request.POST.get("place")},
        )
    messages.success(request, text)
    return redirect(_safe_next(request, item.update.group.get_absolute_url()))
