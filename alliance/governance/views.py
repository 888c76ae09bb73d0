"""Pages of ballots: the list, opening a ballot (chairs for their group, staff
for the member organizations), the ballot with its vote form and its result,
voting and naming a delegate."""

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import (
    ObjectDoesNotExist,
    PermissionDenied,
    ValidationError,
)
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from alliance.core.forms import form_add_service_errors
from alliance.governance.forms import BallotForm, DelegateForm, VoteForm
from alliance.governance.models import Ballot
from alliance.governance.permissions import (
    ballot_vote_refusal,
    can_name_delegate,
    can_open_alliance_ballot,
    can_open_group_ballot,
)
from alliance.governance.selectors import (
    ballot_delegates,
    ballot_get,
    ballot_list,
    ballot_vote_count,
    ballot_voters,
    ballot_voting_rights,
    organization_people,
)
from alliance.governance.services import (
    ballot_close,
    ballot_delegate_name,
    ballot_open,
    ballot_vote_cast,
)
from alliance.working_groups.selectors import (
    working_group_decisions_citing,
    working_group_get,
    working_group_membership_of,
)

PAGE_SIZE = 20


def _ballot_or_404(pk: int, user) -> Ballot:
    try:
        ballot = ballot_get(pk=pk, user=user)
    except Ballot.DoesNotExist:
        raise Http404 from None
    if ballot.phase == "counting":
        # The closing job is late: the first reader computes the result (once).
        ballot_close(ballot_id=ballot.pk)
        ballot.refresh_from_db(fields=["status", "result", "closed_at"])
    return ballot


def ballot_list_view(request):
    page = Paginator(ballot_list(user=request.user), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "alliance/governance/list.html",
        {
            "page": page,
            "ballots": page.object_list,
            "can_open_alliance_ballot": can_open_alliance_ballot(request.user),
        },
    )


def _open_ballot(request, *, group=None):
    form = BallotForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            ballot = ballot_open(
                created_by=request.user,
                group=group,
                options=data["options"],
                **{name: data[name] for name in BallotForm.Meta.fields},
            )
        except ValidationError as error:
            form_add_service_errors(form, error)
        else:
            messages.success(
                request, _("The ballot is open; those who may vote are told.")
            )
            return redirect(ballot.get_absolute_url())
    return render(
        request, "alliance/governance/form.html", {"form": form, "group": group}
    )


def ballot_create_view(request):
    """Staff open a ballot of the member organizations."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not can_open_alliance_ballot(request.user):
        raise PermissionDenied(
            _("Only staff open ballots of the member organizations.")
        )
    return _open_ballot(request)


def ballot_create_for_group_view(request, slug):
    """A chair opens a ballot of the group's voting seats."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    try:
        group = working_group_get(slug=slug, user=request.user)
    except ObjectDoesNotExist:  # the group's DoesNotExist
        raise Http404 from None
    if not can_open_group_ballot(request.user, group):
        raise PermissionDenied(_("Only the group’s chairs and staff open ballots."))
    return _open_ballot(request, group=group)


def _shown_votes(ballot: Ballot, user) -> list | None:
    """Who voted, for those who may know: the group's members and staff (a group
    ballot), members and staff (an alliance ballot, which is only shown to them)."""
    if not user.is_authenticated:
        return None
    if ballot.scope == Ballot.Scope.GROUP and not user.is_staff:
        membership = working_group_membership_of(user=user, group=ballot.group)
        if membership is None or membership.status != "active":
            return None
    return list(ballot_voters(ballot))


def _detail_context(request, ballot: Ballot, *, form=None, refusal=None) -> dict:
    user = request.user
    rights = ballot_voting_rights(ballot, user)
    refusal = refusal or ballot_vote_refusal(user, ballot, rights)
    forms = []
    if refusal is None:
        for right in rights:
            if not (right.may_vote or right.vote):
                continue
            initial = {"organization": right.organization.pk}
            # The previous holder's choice in a secret ballot stays unknown.
            shows_choice = right.vote is not None and not (
                ballot.secret and right.inherited
            )
            if shows_choice:
                initial["option"] = right.vote.option_id
            bound = (
                form
                if form is not None
                and form.data.get("organization") == str(right.organization.pk)
                else None
            )
            forms.append(
                {
                    "right": right,
                    "form": bound or VoteForm(ballot=ballot, initial=initial),
                    "shows_choice": shows_choice,
                }
            )
    delegate_forms = []
    if ballot.scope == Ballot.Scope.ALLIANCE and ballot.status == Ballot.Status.OPEN:
        named = ballot_delegates(
            ballot=ballot, organization_ids=[r.organization.pk for r in rights]
        )
        for right in rights:
            if can_name_delegate(user, ballot, right.organization):
                form_ = DelegateForm(
                    auto_id=f"id_%s_{right.organization.pk}",
                    initial={"organization": right.organization.pk},
                    organization=right.organization,
                    people=organization_people(right.organization),
                )
                delegate_forms.append(
                    {
                        "organization": right.organization,
                        "form": form_,
                        "current": named.get(right.organization.pk),
                    }
                )
    votes = _shown_votes(ballot, user)
    result = ballot.result or None
    if result:
        labels = {o.pk: o.label for o in ballot.option_list}
        result = dict(result)
        result["rows"] = [
            dict(row, label=labels.get(row["id"], row["text"]))
            for row in result["options"]
        ]
        result["winner_label"] = labels.get(result.get("winner"))
    return {
        "ballot": ballot,
        "group": ballot.group,
        "vote_forms": forms,
        "refusal": refusal,
        "vote_count": ballot_vote_count(ballot),
        "votes": votes,
        "show_choices": not ballot.secret and ballot.status == Ballot.Status.CLOSED,
        "delegate_forms": delegate_forms,
        "result": result,
        "decisions": working_group_decisions_citing(ballot_id=ballot.pk, user=user)
        if ballot.group_id
        else [],
        "can_record_decision": bool(
            ballot.group_id
            and ballot.status == Ballot.Status.CLOSED
            and can_open_group_ballot(user, ballot.group)
        ),
    }


def ballot_detail(request, pk):
    ballot = _ballot_or_404(pk, request.user)
    return render(
        request, "alliance/governance/detail.html", _detail_context(request, ballot)
    )


@require_POST
def ballot_vote_view(request, pk):
    ballot = _ballot_or_404(pk, request.user)
    user = request.user
    if not user.is_authenticated:
        return redirect_to_login(ballot.get_absolute_url())
    refusal = ballot_vote_refusal(user, ballot, ballot_voting_rights(ballot, user))
    form = VoteForm(request.POST, ballot=ballot)
    if refusal is None and form.is_valid():
        try:
            ballot_vote_cast(
                ballot=ballot,
                user=user,
                option_id=form.cleaned_data["option"],
                organization=form.cleaned_data.get("organization"),
            )
        except ValidationError as error:
            refusal = " ".join(error.messages)
        else:
            messages.success(
                request,
                _("Your vote is recorded. You may change it until the ballot closes."),
            )
            return redirect(ballot.get_absolute_url())
    status = 403 if refusal else 400
    return render(
        request,
        "alliance/governance/detail.html",
        _detail_context(request, ballot, form=form, refusal=refusal),
        status=status,
    )


@require_POST
def ballot_delegate_view(request, pk):
    ballot = _ballot_or_404(pk, request.user)
    user = request.user
    if not user.is_authenticated:
        return redirect_to_login(ballot.get_absolute_url())
    rights = {r.organization.pk: r for r in ballot_voting_rights(ballot, user)}
    try:
        right = rights[int(request.POST.get("organization", ""))]
    except (KeyError, ValueError):
        right = None
    if right is None or not can_name_delegate(user, ballot, right.organization):
        raise PermissionDenied(
            _("Only a primary contact of the organization names its delegate.")
        )
    form = DelegateForm(
        request.POST,
        organization=right.organization,
        people=organization_people(right.organization),
    )
    if form.is_valid():
        try:
            ballot_delegate_name(
                ballot=ballot,
                organization=right.organization,
                delegate=form.cleaned_data["delegate"],
                named_by=user,
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request,
                _("%(name)s may now cast the vote of %(organization)s.")
                % {
                    "name": form.cleaned_data["delegate"].public_name,
                    "organization": right.organization.name,
                },
            )
    else:
        messages.error(request, _("Choose a person of your organization."))
    return redirect(ballot.get_absolute_url())
