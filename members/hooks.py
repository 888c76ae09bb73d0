"""How the members app takes part in alliance-wide flows: allauth's sign-up and
email-confirmation signals, who follows an organization, its dashboard and home
panels, its staff-report section, the personal-data export, the renewal job and
the demo data."""

from allauth.account.signals import email_confirmed, user_signed_up
from django.db.models.signals import post_save
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from alliance.core.cache import cache_bump_on_write
from alliance.registries.audiences import audience_register
from alliance.registries.demo import demo_register
from alliance.registries.notification_kinds import (
    notification_group_register,
    notification_kind_register,
)
from alliance.registries.panels import panel_register
from alliance.registries.personal_data import personal_data_register
from alliance.registries.report_sections import (
    report_section_register,
    report_trend_register,
)
from alliance.registries.schedules import schedule_register
from alliance.registries.search import search_source_register
from alliance.registries.staff_counts import staff_count_register
from members.models import Affiliation, Organization, Tier, User
from members.panels import dashboard_membership, home_join, home_newest
from members.reports import (
    applications_per_week,
    applications_waiting,
    new_members_per_week,
)
from members.selectors import (
    organization_member_ids,
    organization_viewer_ids,
    organization_visible_to,
    user_member_organizations,
)
from members.selectors.directory import (
    organization_search,
    organization_search_audience,
    organization_search_personal,
    people_search,
    people_search_audience,
)
from members.selectors.people import user_personal_data
from members.selectors.staff import membership_staff_counts
from members.services import api_tokens_end
from members.services.domains import (
    affiliation_request_by_domain,
    email_address_confirmed,
)


def _on_user_signed_up(sender, request, user, **kwargs):
    affiliation_request_by_domain(user=user)


def _on_email_confirmed(sender, request, email_address, **kwargs):
    email_address_confirmed(user=email_address.user, email=email_address.email)


def _on_user_saved(sender, instance, created, **kwargs):
    # Django keeps the new raw password in ``_password`` from set_password() until
    # save() has finished (it then tells the password validators), so this sees
    # every change of password: the account pages, a reset, the admin, the shell.
    if not created and getattr(instance, "_password", None) is not None:
        api_tokens_end(user=instance)


def _organization_url(slug) -> str:
    return reverse("members:organization_detail", kwargs={"slug": slug})


def connect() -> None:
    """Register the members app's receivers, panels and hooks (from AppConfig.ready)."""
    # Shared caches of what shows organizations and people (alliance.core.cache).
    for model in (Organization, Tier, Affiliation):
        cache_bump_on_write(model, "organizations")
    # A new account shows nowhere until an affiliation links it (and a sign-up
    # must cost the same for a new address as for a known one).
    cache_bump_on_write(
        User, "organizations", unless_only=("last_login",), on_create=False
    )
    # Its kinds of notification, under their heading of the preferences page
    # and the digest (alliance.registries.notification_kinds).
    notification_group_register("membership", label=_("Membership"), order=10)
    notification_kind_register(
        "application_submitted",
        app="members",
        label=_("Application submitted"),
        group="membership",
    )
    notification_kind_register(
        "application_approved",
        app="members",
        label=_("Application approved"),
        group="membership",
    )
    notification_kind_register(
        "application_rejected",
        app="members",
        label=_("Application rejected"),
        group="membership",
    )
    notification_kind_register(
        "affiliation_requested",
        app="members",
        label=_("Affiliation to approve"),
        group="membership",
    )
    notification_kind_register(
        "renewal_due",
        app="members",
        label=_("Membership renewal due"),
        group="membership",
    )
    notification_kind_register(
        "membership_lapsed",
        app="members",
        label=_("Membership lapsed"),
        group="membership",
    )
    notification_kind_register(
        "organization_joined",
        app="members",
        label=_("New member organization"),
        group="membership",
        email="digest",
        bundle_heading=ngettext_lazy(
            "%(count)s organization joined", "%(count)s organizations joined", "count"
        ),
    )
    staff_count_register("membership", build=membership_staff_counts, order=10)
    user_signed_up.connect(_on_user_signed_up, dispatch_uid="members-domain")
    email_confirmed.connect(_on_email_confirmed, dispatch_uid="members-domain")
    post_save.connect(_on_user_saved, sender=User, dispatch_uid="members-tokens")
    audience_register(
        Organization,
        member_ids=organization_member_ids,
        visible_to=organization_visible_to,
        viewer_ids=organization_viewer_ids,
        followed_by=user_member_organizations,
    )
    personal_data_register("members", user_personal_data)
    search_source_register(
        "organizations",
        label=_("Organizations"),
        search=organization_search,
        url_keys=("slug",),
        url=_organization_url,
        order=10,
        shared=("organizations",),
        audience=organization_search_audience,
        personal=organization_search_personal,
    )
    # A person's result leads to the page of their first organization, which
    # lists them as they chose (the people directory is for members only).
    search_source_register(
        "people",
        label=_("People"),
        search=people_search,
        url_keys=("search_organization",),
        url=_organization_url,
        order=20,
        shared=("organizations",),
        audience=people_search_audience,
    )
    report_section_register(
        "applications",
        title=_("Applications waiting"),
        build=applications_waiting,
        order=15,
    )
    report_trend_register(
        "applications",
        label=_("Applications submitted"),
        counts=applications_per_week,
        order=10,
    )
    report_trend_register(
        "new_members",
        label=_("New member organizations"),
        counts=new_members_per_week,
        order=20,
    )
    panel_register(
        "dashboard",
        template="members/_dashboard_membership.html",
        context=dashboard_membership,
        order=20,
    )
    panel_register(
        "home", template="members/_home_join.html", context=home_join, order=90
    )
    # Last on the home page, after every app's sections.
    panel_register(
        "home",
        template="members/_home_newest.html",
        context=home_newest,
        order=100,
        shared=("organizations",),
    )
    schedule_register(
        "members: renewal reminders and lapses",
        task="members.tasks.renewals_process_task",
        crontab={"minute": "15", "hour": "6"},
        description=f"Reminds primary contacts {Organization.RENEWAL_WINDOW.days} "
        "days before renewal and lapses memberships whose renewal date has passed.",
    )
    demo_register("members", seed="members.demo.seed", order=10)
