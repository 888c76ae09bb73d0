"""Who works on a catalog entry: maintainers and contributors."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from members.models import Organization
from members.selectors import user_member_organizations
from projects.models import CatalogEntry, Contribution
from projects.services.vetting import entry_independence_recheck


def _maintainer_count(entry: CatalogEntry) -> int:
    return Contribution.objects.filter(
        entry=entry, role=Contribution.Role.MAINTAINER
    ).count()


def _refuse_if_last_maintainer(contribution: Contribution, message: str) -> None:
    if contribution.is_maintainer and _maintainer_count(contribution.entry) <= 1:
        raise ValidationError(message)


@transaction.atomic
def contribution_join(
    *,
    entry: CatalogEntry,
    user,
    role: str = Contribution.Role.CONTRIBUTOR,
    organization: Organization | None = None,
) -> Contribution:
    """Put the person on the entry's team, representing one of their
    organizations."""
    CatalogEntry.objects.select_for_update().get(pk=entry.pk)
    if Contribution.objects.filter(entry=entry, user=user).exists():
        raise ValidationError(_("You are already on this entry's team."))
    if entry.lifecycle == CatalogEntry.Lifecycle.ARCHIVED:
        raise ValidationError(_("This entry is archived; its team is closed."))
    if organization is None:
        organization = user_member_organizations(user).order_by("name").first()
    contribution = Contribution.objects.create(
        entry=entry, user=user, role=role, organization=organization
    )
    entry_independence_recheck(entry=entry, actor=user)
    return contribution


@transaction.atomic
def contribution_leave(*, entry: CatalogEntry, user) -> None:
    """Take the person off the entry's team; the last maintainer cannot leave."""
    CatalogEntry.objects.select_for_update().get(pk=entry.pk)
    contribution = Contribution.objects.filter(entry=entry, user=user).first()
    if contribution is None:
        return
    _refuse_if_last_maintainer(
        contribution,
        _(
            "You are the last maintainer: make someone else a maintainer before "
            "you leave."
        ),
    )
    contribution.delete()


@transaction.atomic
def contribution_set_role(*, contribution: Contribution, role: str) -> Contribution:
    """Make a team member a maintainer or a contributor; an entry keeps at least
    one maintainer."""
    CatalogEntry.objects.select_for_update().get(pk=contribution.entry_id)
    contribution.refresh_from_db()
    if role not in Contribution.Role.values:
        raise ValidationError(_("Unknown role."))
    if role != Contribution.Role.MAINTAINER:
        _refuse_if_last_maintainer(
            contribution, _("An entry needs at least one maintainer.")
        )
    contribution.role = role
    contribution.save(update_fields=["role"])
    return contribution


@transaction.atomic
def contribution_remove(*, contribution: Contribution) -> None:
    """Take someone off an entry's team; an entry keeps at least one maintainer."""
    CatalogEntry.objects.select_for_update().get(pk=contribution.entry_id)
    _refuse_if_last_maintainer(
        contribution, _("An entry needs at least one maintainer.")
    )
    contribution.delete()


@transaction.atomic
def catalog_account_closed(user) -> None:
    """End the person's places on catalog teams; their reviews stay, under the
    name they were written with."""
    Contribution.objects.filter(user=user).delete()
