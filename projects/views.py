"""Pages of the catalog: lists, entry page, forms, reviewer's queue."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from alliance.core.cache import shared_fragment
from alliance.core.decorators import sign_in_when_hidden
from alliance.core.forms import form_add_service_errors
from alliance.core.visitor_pages import visitor_page
from alliance.notifications.selectors import subscription_state
from alliance.notifications.services.subscriptions import subscription_set
from members.models import Organization
from members.selectors import organization_list_active, user_member_organizations
from projects.filters import CatalogEntryFilter
from projects.forms import EntryForm, ReviewForm
from projects.models import CatalogEntry, Contribution, Review
from projects.permissions import (
    can_create_entry,
    can_edit_entry,
    can_join_entry,
    can_review_entry,
    can_submit_for_vetting,
    can_view_entry,
)
from projects.selectors import (
    entry_get_for_page,
    entry_history,
    entry_list_visible_to,
    entry_team_role,
    review_queue_for,
    reviewer_organizations,
    user_is_catalog_reviewer,
    user_sees_whole_catalog,
)
from projects.services.entries import (
    LIFECYCLE_STEPS,
    entry_create,
    entry_owner_scope,
    entry_set_lifecycle,
    entry_update,
)
from projects.services.team import (
    contribution_join,
    contribution_leave,
    contribution_remove,
    contribution_set_role,
)
from projects.services.vetting import (
    entry_submit_for_vetting,
    review_create,
    review_organization_for,
)

PAGE_SIZE = 24
# What the catalog list shows comes from these (bumped by their models' writes).
CATALOG_CACHE_NAMESPACES = ("catalog", "organizations", "groups", "focus_areas")


def _forbidden(request, reason: str):
    return render(request, "projects/forbidden.html", {"reason": reason}, status=403)


def _entry_or_404(request, slug) -> CatalogEntry:
    entry = entry_get_for_page(user=request.user, slug=slug)
    if entry is None:
        raise Http404(_("No catalog entry here, or it is visible to members only."))
    return entry


def _owner_choices(user):
    if user.is_staff:
        return organization_list_active()
    return user_member_organizations(user)


@visitor_page(CATALOG_CACHE_NAMESPACES)
def catalog(request):
    sees_all = user_sees_whole_catalog(request.user)
    # The filters and results are the same for every reader who sees the same
    # entries: shared by audience, dropped by any write to what they show.
    fragment = shared_fragment(
        CATALOG_CACHE_NAMESPACES,
        audience="member" if sees_all else "public",
        parts=("catalog", request.GET.urlencode()),
        local="language",  # no times: one entry per language, whatever the zone
    )
    context = {
        "fragment": fragment,
        "sees_all": sees_all,
        "may_create": can_create_entry(request.user),
        "is_reviewer": user_is_catalog_reviewer(request.user),
    }
    if fragment.html is None:
        visible = entry_list_visible_to(request.user)
        filterset = CatalogEntryFilter(
            request.GET, queryset=visible, facets_from=visible
        )
        page = Paginator(filterset.qs, PAGE_SIZE).get_page(request.GET.get("page"))
        context |= {"filter": filterset, "page": page, "entries": page.object_list}
    return render(request, "projects/catalog.html", context)


@sign_in_when_hidden
def entry_detail(request, slug):
    entry = _entry_or_404(request, slug)
    user = request.user
    reviews = list(entry.reviews.all())
    current = [r for r in reviews if r.round == entry.vetting_round]
    return render(
        request,
        "projects/entry_detail.html",
        {
            "entry": entry,
            "team": list(entry.contributions.all()),
            "organizations": _team_organizations(entry),
            "reviews": reviews,
            "approving_organizations": {r.organization_id for r in current if r.counts},
            "my_review": next((r for r in current if r.reviewer_id == user.pk), None),
            "status_changes": list(entry.status_changes.all()),
            "team_role": entry_team_role(user, entry),
            "follow_state": subscription_state(user=user, target=entry),
            "may_edit": can_edit_entry(user, entry),
            "may_submit": can_submit_for_vetting(user, entry),
            "may_review": can_review_entry(user, entry),
            "may_join": can_join_entry(user, entry),
            "lifecycle_steps": _lifecycle_steps(entry),
        },
    )


def _team_organizations(entry) -> list[Organization]:
    """Return the owners, then the other organizations the team represents."""
    seen, result = set(), []
    for organization in [*entry.owners.all()] + [
        c.organization for c in entry.contributions.all() if c.organization
    ]:
        if organization.pk not in seen:
            seen.add(organization.pk)
            result.append(organization)
    return result


def _lifecycle_steps(entry) -> list[tuple[str, str]]:
    labels = dict(CatalogEntry.Lifecycle.choices)
    return [(step, labels[step]) for step in LIFECYCLE_STEPS.get(entry.lifecycle, ())]


@login_required
def entry_create_view(request):
    if not can_create_entry(request.user):
        return _forbidden(
            request,
            _(
                "Only people of member organizations can add entries. Ask your "
                "organization's primary contact to confirm your affiliation."
            ),
        )
    owner_choices = _owner_choices(request.user)
    initial = {}
    if owner_choices.count() == 1:
        initial["owners"] = list(owner_choices)
    form = EntryForm(
        request.POST or None,
        owner_choices=owner_choices,
        initial=initial,
        instance=CatalogEntry(),
    )
    if request.method == "POST" and form.is_valid():
        try:
            entry = entry_create(
                author=request.user,
                owners=form.cleaned_data["owners"],
                owner_scope=entry_owner_scope(request.user),
                **form.service_fields(),
            )
        except ValidationError as error:
            form_add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("“%(name)s” is in the catalog. Members can see it now.")
                % {"name": entry.name}
                + (
                    " " + _("Submit it for vetting to have it listed publicly.")
                    if entry.is_vettable
                    else ""
                ),
            )
            return redirect(entry)
    return render(request, "projects/entry_form.html", {"form": form})


@login_required
def entry_edit(request, slug):
    entry = _entry_or_404(request, slug)
    if not can_edit_entry(request.user, entry):
        return _forbidden(request, _("Only the entry's maintainers can edit it."))
    form = EntryForm(
        request.POST or None,
        owner_choices=_owner_choices(request.user),
        instance=entry,
    )
    if request.method == "POST" and form.is_valid():
        try:
            entry = entry_update(
                entry=entry,
                actor=request.user,
                owners=form.cleaned_data["owners"],
                owner_scope=entry_owner_scope(request.user),
                **form.service_fields(),
            )
        except ValidationError as error:
            form_add_service_errors(form, error)
        else:
            note = _("Your changes are saved.")
            if entry.changed_since_vetting:
                note += " " + _(
                    "The entry now shows that it changed since it was vetted."
                )
            messages.success(request, note)
            return redirect(entry)
    return render(request, "projects/entry_form.html", {"form": form, "entry": entry})


@login_required
@require_POST
def entry_submit(request, slug):
    entry = _entry_or_404(request, slug)
    if not can_edit_entry(request.user, entry):
        return _forbidden(request, _("Only the entry's maintainers can submit it."))
    try:
        entry_submit_for_vetting(entry=entry, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _(
                "Submitted for vetting. Reviewers have been asked; you will hear "
                "about each review."
            ),
        )
    return redirect(entry)


@login_required
def entry_review(request, slug):
    entry = _entry_or_404(request, slug)
    if not can_review_entry(request.user, entry):
        if entry_team_role(request.user, entry):
            reason = _("You are on this entry's team, so you cannot review it.")
        elif entry.vetting_status not in CatalogEntry.REVIEWABLE:
            reason = _("This entry is not waiting for review.")
        else:
            reason = _(
                "Reviewers are people whose organization may review catalog "
                "entries, and the chairs of the benchmarks working group."
            )
        return _forbidden(request, reason)
    organizations = reviewer_organizations(request.user)
    form = ReviewForm(request.POST or None, organizations=organizations)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            review = review_create(
                entry=entry,
                reviewer=request.user,
                organization=review_organization_for(
                    request.user, data.pop("organization")
                ),
                **data,
            )
        except ValidationError as error:
            form_add_service_errors(form, error)
        else:
            entry.refresh_from_db()
            if entry.is_vetted:
                message = _("Thank you. With your approval the entry is now vetted.")
            elif review.verdict == Review.Verdict.APPROVE and not review.counts:
                message = _(
                    "Thank you. Your approval is recorded, but it does not count "
                    "toward vetting: your organization owns this entry or works "
                    "on it, or you review without a member organization."
                )
            else:
                message = _("Thank you. Your review is posted on the entry.")
            messages.success(request, message)
            return redirect(entry)
    return render(
        request,
        "projects/review_form.html",
        {"entry": entry, "form": form, "organizations": organizations},
    )


@login_required
@require_POST
def entry_follow(request, slug):
    entry = _entry_or_404(request, slug)
    state = request.POST.get("state") or None
    if state not in (None, "follow", "mute"):
        state = None
    subscription_set(user=request.user, target=entry, state=state)
    if request.htmx:
        return render(
            request,
            "projects/_follow.html",
            {
                "entry": entry,
                "follow_state": state,
                "team_role": entry_team_role(request.user, entry),
            },
        )
    messages.success(
        request,
        {
            "follow": _("You follow this entry now."),
            "mute": _("You will not hear about this entry."),
            None: _("You no longer follow this entry."),
        }[state],
    )
    return redirect(entry)


@login_required
@require_POST
def entry_join(request, slug):
    entry = _entry_or_404(request, slug)
    action = request.POST.get("action")
    error = None
    try:
        if action == "leave":
            contribution_leave(entry=entry, user=request.user)
        elif can_join_entry(request.user, entry):
            contribution_join(entry=entry, user=request.user)
        else:
            error = _("Only members can join an entry's team.")
    except ValidationError as exc:
        error = " ".join(exc.messages)
    if request.htmx:
        entry = _entry_or_404(request, slug)
        return render(
            request,
            "projects/_team.html",
            {
                "entry": entry,
                "team": list(entry.contributions.all()),
                "team_role": entry_team_role(request.user, entry),
                "may_join": can_join_entry(request.user, entry),
                "may_edit": can_edit_entry(request.user, entry),
                "team_error": error,
            },
        )
    if error:
        messages.error(request, error)
    elif action == "leave":
        messages.success(request, _("You left the team."))
    else:
        messages.success(request, _("You joined the team as a contributor."))
    return redirect(entry)


@login_required
@require_POST
def entry_team(request, slug):
    entry = _entry_or_404(request, slug)
    if not can_edit_entry(request.user, entry):
        return _forbidden(request, _("Only the entry's maintainers manage its team."))
    posted = request.POST.get("contribution", "")
    contribution = get_object_or_404(
        Contribution, entry=entry, pk=int(posted) if posted.isdigit() else 0
    )
    action = request.POST.get("action")
    try:
        if action == "remove":
            contribution_remove(contribution=contribution)
            messages.success(
                request,
                _("%(name)s is no longer on the team.")
                % {"name": contribution.user.public_name},
            )
        elif action in Contribution.Role.values:
            contribution_set_role(contribution=contribution, role=action)
            messages.success(
                request,
                _("%(name)s: role changed to “%(role)s”.")
                % {
                    "name": contribution.user.public_name,
                    "role": contribution.get_role_display(),
                },
            )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect(entry)


@login_required
@require_POST
def entry_lifecycle(request, slug):
    entry = _entry_or_404(request, slug)
    if not can_edit_entry(request.user, entry):
        return _forbidden(request, _("Only the entry's maintainers can do this."))
    try:
        entry = entry_set_lifecycle(
            entry=entry, actor=request.user, lifecycle=request.POST.get("lifecycle", "")
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("The entry is now “%(lifecycle)s”.")
            % {"lifecycle": entry.get_lifecycle_display()},
        )
    return redirect(entry)


def entry_history_view(request, slug):
    entry = _entry_or_404(request, slug)
    if not can_view_entry(request.user, entry):
        raise Http404
    return render(
        request,
        "projects/entry_history.html",
        {"entry": entry, "versions": entry_history(entry)},
    )


@login_required
def review_queue(request):
    if not user_is_catalog_reviewer(request.user):
        return _forbidden(
            request,
            _(
                "The review queue is for reviewers: people whose organization may "
                "review catalog entries, and the chairs of the benchmarks working "
                "group."
            ),
        )
    return render(
        request,
        "projects/review_queue.html",
        {"entries": review_queue_for(request.user)[:200]},
    )
