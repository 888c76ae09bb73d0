"""The admin where staff run the membership: organizations, applications,
tiers, affiliations, domains, invitations; CSV import and export; history."""

import csv
import io

from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db.models import Count, Q
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext, ngettext, ngettext_lazy
from django.utils.translation import gettext_lazy as _
from django_countries import countries
from modeltranslation.admin import TranslationAdmin
from simple_history.admin import SimpleHistoryAdmin

from alliance.core.admin import DefaultingListFilter, admin_apply
from alliance.core.exports import csv_cell
from members.forms import (
    ApprovalForm,
    OrganizationImportForm,
    RejectionForm,
    StatusChangeForm,
)
from members.logos import logo_reencode
from members.models import (
    Affiliation,
    ApiToken,
    EmailDomain,
    Invitation,
    MembershipApplication,
    Organization,
    RenewalNotice,
    Tier,
    User,
)
from members.selectors.staff import organization_status_change_preview
from members.services import PROFILE_FIELDS
from members.services.applications import (
    APPLICATION_FIELDS,
    application_approve,
    application_reject,
    application_review_start,
)
from members.services.domains import email_domain_verify
from members.services.imports import (
    OrganizationImportError,
    organization_import_csv,
    organization_import_preview,
)
from members.services.invitations import invitation_revoke
from members.services.organizations import (
    organization_renew,
    organization_set_status,
)


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    ordering = ["email"]
    list_display = [
        "email",
        "name",
        "display_name",
        "language",
        "is_staff",
        "is_active",
        "closed_at",
    ]
    list_filter = ["is_staff", "is_superuser", "is_active", "language"]
    search_fields = ["email", "name", "display_name"]
    readonly_fields = ["last_login", "date_joined", "closed_at"]
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (
            _("Profile"),
            {"fields": PROFILE_FIELDS},
        ),
        (
            _("Permissions"),
            {
                "fields": (
                    "is_active",
                    "is_staff",
                    "is_superuser",
                    "groups",
                    "user_permissions",
                )
            },
        ),
        (_("Dates"), {"fields": ("last_login", "date_joined", "closed_at")}),
    )
    add_fieldsets = (
        (None, {"classes": ("wide",), "fields": ("email", "password1", "password2")}),
    )


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "user",
        "prefix",
        "created_at",
        "last_used_at",
        "revoked_at",
    ]
    list_filter = ["revoked_at"]
    search_fields = ["name", "user__email", "prefix"]
    readonly_fields = ["prefix", "created_at", "last_used_at"]
    list_select_related = ["user"]


# --- CSV export ----------------------------------------------------------------


# Signs the file staff saw in the import preview, to apply exactly it.
IMPORT_SALT = "members.organization-import"


def _csv_response(filename: str, header: list[str], rows) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.write("\ufeff")  # lets spreadsheets detect UTF-8
    writer = csv.writer(response)
    writer.writerow(header)
    for row in rows:
        writer.writerow([csv_cell(value) for value in row])
    return response


# --- Tiers -----------------------------------------------------------------------


@admin.register(Tier)
class TierAdmin(TranslationAdmin, SimpleHistoryAdmin):
    list_display = [
        "name",
        "rank",
        "max_contacts",
        "voting_seats_per_group",
        "may_review_catalog",
        "may_publish_events",
        "active_organizations",
    ]
    prepopulated_fields = {"slug": ["name"]}

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                active_count=Count(
                    "organizations",
                    filter=Q(organizations__status=Organization.Status.ACTIVE),
                )
            )
        )

    @admin.display(description=_("active members"), ordering="active_count")
    def active_organizations(self, obj):
        return obj.active_count


# --- Organizations -----------------------------------------------------------------


class OrganizationStatusFilter(DefaultingListFilter):
    """Status filter that shows active members unless told otherwise."""

    title = _("status")
    parameter_name = "status"
    default = Organization.Status.ACTIVE

    def lookups(self, request, model_admin):
        return [*Organization.Status.choices, ("all", _("All"))]


class CountryInUseFilter(admin.SimpleListFilter):
    """Countries that organizations are in (not all 250)."""

    title = _("country")
    parameter_name = "country"

    def lookups(self, request, model_admin):
        codes = (
            Organization.objects.order_by().values_list("country", flat=True).distinct()
        )
        return sorted(
            ((code, countries.name(code)) for code in codes), key=lambda c: str(c[1])
        )

    def queryset(self, request, queryset):
        return queryset.filter(country=self.value()) if self.value() else queryset


class AffiliationInline(admin.TabularInline):
    model = Affiliation
    extra = 0
    autocomplete_fields = ["user"]
    fields = ["user", "role", "status", "source", "started_at", "ended_at"]
    show_change_link = True

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("user", "organization")


class EmailDomainInline(admin.TabularInline):
    model = EmailDomain
    extra = 0
    fields = ["domain", "verified_at", "verified_by", "added_by", "created_at"]
    readonly_fields = ["verified_by", "added_by", "created_at"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("verified_by", "added_by")


class OrganizationAdminForm(forms.ModelForm):
    website = forms.URLField(
        label=_("Website"), required=False, assume_scheme="https", max_length=200
    )

    class Meta:
        model = Organization
        fields = "__all__"  # noqa: DJ007 - the admin edits every field

    def clean_logo(self):
        logo = self.cleaned_data.get("logo")
        if isinstance(logo, UploadedFile):
            return logo_reencode(logo, slug=self.cleaned_data.get("slug") or "logo")
        return logo


# What each workflow action does, how the message after it reads, and
# whether staff must give a reason (always when access ends).
ORGANIZATION_STATUS_ACTIONS = {
    Organization.Status.LAPSED: (
        _("Mark as lapsed…"),
        ngettext_lazy(
            "%(count)d organization is now lapsed.",
            "%(count)d organizations are now lapsed.",
            "count",
        ),
    ),
    Organization.Status.SUSPENDED: (
        _("Suspend…"),
        ngettext_lazy(
            "%(count)d organization is now suspended.",
            "%(count)d organizations are now suspended.",
            "count",
        ),
    ),
    Organization.Status.FORMER: (
        _("Mark as former member…"),
        ngettext_lazy(
            "%(count)d organization is now a former member.",
            "%(count)d organizations are now former members.",
            "count",
        ),
    ),
    Organization.Status.ACTIVE: (
        _("Reactivate…"),
        ngettext_lazy(
            "%(count)d organization is active again.",
            "%(count)d organizations are active again.",
            "count",
        ),
    ),
}


@admin.register(Organization)
class OrganizationAdmin(SimpleHistoryAdmin):
    form = OrganizationAdminForm
    list_display = [
        "name",
        "kind",
        "country",
        "tier",
        "status",
        "member_since",
        "renewal_due",
        "people",
        "contacts",
        "pending",
    ]
    list_filter = [OrganizationStatusFilter, "kind", "tier", CountryInUseFilter]
    search_fields = ["name", "slug", "website", "email_domains__domain"]
    prepopulated_fields = {"slug": ["name"]}
    list_select_related = ["tier"]
    filter_horizontal = ["focus_areas"]
    date_hierarchy = "renewal_due"
    inlines = [AffiliationInline, EmailDomainInline]
    change_list_template = "admin/members/organization/change_list.html"
    actions = [
        "export_members_csv",
        "export_contacts_csv",
        "renew_one_year",
        "mark_active",
        "mark_lapsed",
        "mark_suspended",
        "mark_former",
    ]

    def get_readonly_fields(self, request, obj=None):
        # Its membership state changes only through the workflow buttons, which
        # show what the change does and keep the reason.
        readonly = list(super().get_readonly_fields(request, obj))
        return [*readonly, "status"] if obj else readonly

    def get_queryset(self, request):
        active = Q(affiliations__status=Affiliation.Status.ACTIVE)
        return (
            super()
            .get_queryset(request)
            .select_related("tier")
            .prefetch_related("focus_areas")
            .annotate(
                people_count=Count("affiliations", filter=active, distinct=True),
                contact_count=Count(
                    "affiliations",
                    filter=active & Q(affiliations__role__in=Affiliation.CONTACT_ROLES),
                    distinct=True,
                ),
                pending_count=Count(
                    "affiliations",
                    filter=Q(affiliations__status=Affiliation.Status.PENDING),
                    distinct=True,
                ),
            )
        )

    @admin.display(description=_("people"), ordering="people_count")
    def people(self, obj):
        return obj.people_count

    @admin.display(description=_("contacts"), ordering="contact_count")
    def contacts(self, obj):
        return obj.contact_count

    @admin.display(description=_("awaiting approval"), ordering="pending_count")
    def pending(self, obj):
        return obj.pending_count or ""

    @admin.action(description=_("Export selected organizations as CSV"))
    def export_members_csv(self, request, queryset):
        header = [
            "name", "slug", "kind", "country", "tier", "status", "member_since",
            "renewal_due", "website", "people", "contacts",
        ]  # fmt: skip
        rows = (
            [
                org.name,
                org.slug,
                org.kind,
                org.country.code,
                org.tier.slug if org.tier else "",
                org.status,
                org.member_since,
                org.renewal_due,
                org.website,
                org.people_count,
                org.contact_count,
            ]  # fmt: skip
            for org in queryset.order_by("name")
        )
        return _csv_response(
            f"members-{timezone.localdate():%Y-%m-%d}.csv", header, rows
        )

    @admin.action(description=_("Export contacts of selected organizations as CSV"))
    def export_contacts_csv(self, request, queryset):
        contacts = (
            Affiliation.objects.filter(
                organization__in=queryset.values("pk"),
                status=Affiliation.Status.ACTIVE,
                role__in=Affiliation.CONTACT_ROLES,
            )
            .select_related("user", "organization")
            .order_by("organization__name", "role", "user__email")
        )
        header = ["organization", "name", "email", "role", "since", "language"]
        rows = (
            [
                a.organization.name,
                a.user.get_full_name(),
                a.user.email,
                a.role,
                a.started_at.date(),
                a.user.language,
            ]  # fmt: skip
            for a in contacts
        )
        return _csv_response(
            f"contacts-{timezone.localdate():%Y-%m-%d}.csv", header, rows
        )

    @admin.action(description=_("Renew for one year"))
    def renew_one_year(self, request, queryset):
        admin_apply(
            self,
            request,
            queryset,
            lambda organization: organization_renew(organization=organization),
            success=ngettext_lazy(
                "%(count)d organization renewed for a year.",
                "%(count)d organizations renewed for a year.",
                "count",
            ),
        )

    def _status_change(self, request, organizations, status):
        """Show what the change will do (people who lose member access, votes
        that end, events affected) and ask for a reason; apply it on POST and
        show the changed organizations."""
        organizations = list(organizations)
        required = status != Organization.Status.ACTIVE
        applying = request.method == "POST" and "apply" in request.POST
        form = StatusChangeForm(request.POST if applying else None, required=required)
        if applying and form.is_valid():
            reason = form.cleaned_data["reason"]
            admin_apply(
                self,
                request,
                organizations,
                lambda organization: organization_set_status(
                    organization=organization,
                    status=status,
                    reason=reason,
                    actor=request.user,
                ),
                success=ORGANIZATION_STATUS_ACTIONS[status][1],
            )
            ids = ",".join(str(o.pk) for o in organizations)
            return HttpResponseRedirect(
                reverse("admin:members_organization_changelist")
                + f"?status={status}&id__in={ids}"
            )
        label = ORGANIZATION_STATUS_ACTIONS[status][0]
        return render(
            request,
            "admin/members/organization/status_change.html",
            {
                **self.admin_site.each_context(request),
                "opts": self.model._meta,
                "title": str(label).rstrip("…"),
                "status": status,
                "status_label": Organization.Status(status).label,
                "ends_access": required,
                "previews": [
                    organization_status_change_preview(o) for o in organizations
                ],
                "form": form,
                "bulk": request.POST.get("action", "") != "",
                "action_name": f"mark_{status}",
                "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
            },
        )

    def _status_action(status):
        def action(self, request, queryset):
            return self._status_change(request, queryset, status)

        action.__name__ = f"mark_{status}"
        return admin.action(description=ORGANIZATION_STATUS_ACTIONS[status][0])(action)

    mark_active = _status_action(Organization.Status.ACTIVE)
    mark_lapsed = _status_action(Organization.Status.LAPSED)
    mark_suspended = _status_action(Organization.Status.SUSPENDED)
    mark_former = _status_action(Organization.Status.FORMER)

    def status_view(self, request, pk, status):
        organization = get_object_or_404(Organization, pk=pk)
        if not self.has_change_permission(request, organization):
            return HttpResponse(status=403)
        if status not in ORGANIZATION_STATUS_ACTIONS:
            raise Http404
        return self._status_change(request, [organization], status)

    def get_urls(self):
        return [
            path(
                "import/",
                self.admin_site.admin_view(self.import_view),
                name="members_organization_import",
            ),
            path(
                "<int:pk>/status/<str:status>/",
                self.admin_site.admin_view(self.status_view),
                name="members_organization_status",
            ),
            *super().get_urls(),
        ]

    def import_view(self, request):
        """Import organizations from CSV in two steps: the file's changes are
        shown first, and applied when staff confirm them."""
        if not self.has_add_permission(request) or not self.has_change_permission(
            request
        ):
            return HttpResponse(status=403)
        form = OrganizationImportForm(request.POST or None, request.FILES or None)
        problem = preview = signed = None
        if request.method == "POST" and "apply" in request.POST:
            # The second step: apply the file whose changes staff just saw.
            try:
                text = signing.loads(
                    request.POST["apply"], salt=IMPORT_SALT, max_age=3600
                )
            except signing.BadSignature:
                return HttpResponse(status=400)
            try:
                result = organization_import_csv(file=io.BytesIO(text.encode()))
            except OrganizationImportError as exc:
                problem = exc
            else:
                self.message_user(
                    request,
                    gettext(
                        "Import done: %(created)s organizations created, "
                        "%(updated)s updated."
                    )
                    % result,
                    messages.SUCCESS,
                )
                return HttpResponseRedirect(
                    reverse("admin:members_organization_changelist") + "?status=all"
                )
        elif request.method == "POST" and form.is_valid():
            # The first step: show every change, write nothing.
            raw = form.cleaned_data["file"].read()
            try:
                preview = organization_import_preview(file=io.BytesIO(raw))
            except OrganizationImportError as exc:
                problem = exc
            else:
                text = raw.decode("utf-8-sig")
                signed = signing.dumps(text, salt=IMPORT_SALT, compress=True)
        return render(
            request,
            "admin/members/organization/import.html",
            {
                **self.admin_site.each_context(request),
                "opts": self.model._meta,
                "title": gettext("Import organizations from CSV"),
                "form": form,
                "problem": problem,
                "preview": preview,
                "signed": signed,
                "tiers": Tier.objects.order_by("rank"),
            },
            status=400 if problem else 200,
        )


# --- Applications --------------------------------------------------------------------


class ApplicationStatusFilter(DefaultingListFilter):
    """Status filter that shows the queue (awaiting a decision) by default."""

    title = _("status")
    parameter_name = "status"
    default = "queue"
    default_values = MembershipApplication.AWAITING_DECISION

    def lookups(self, request, model_admin):
        return [
            (self.default, _("Awaiting a decision")),
            *MembershipApplication.Status.choices,
            ("all", _("All")),
        ]


@admin.register(MembershipApplication)
class MembershipApplicationAdmin(SimpleHistoryAdmin):
    list_display = [
        "organization_name",
        "applicant",
        "kind",
        "country",
        "status",
        "submitted_at",
        "decided_at",
    ]
    list_filter = [ApplicationStatusFilter, "kind", "focus_areas"]
    search_fields = ["organization_name", "applicant__email", "applicant__name"]
    list_select_related = ["applicant"]
    ordering = ["submitted_at", "created_at"]
    change_form_template = "admin/members/membershipapplication/change_form.html"
    actions = ["start_review", "approve_selected", "reject_selected"]
    fieldsets = (
        (
            _("Organization"),
            {"fields": (*APPLICATION_FIELDS, "focus_areas")},
        ),
        (
            _("Applicant"),
            {
                "fields": (
                    "applicant",
                    "accepted_code_of_conduct_at",
                    "accepted_antitrust_policy_at",
                )
            },
        ),
        (
            _("Decision"),
            {
                "fields": (
                    "status",
                    "submitted_at",
                    "decided_at",
                    "decided_by",
                    "decision_reason",
                    "organization",
                )
            },
        ),
    )

    def has_add_permission(self, request):
        return False  # people apply on the site, never through the admin

    def change_view(self, request, object_id, form_url="", extra_context=None):
        # Nothing here is edited by hand; decisions have their own buttons.
        extra_context = {
            **(extra_context or {}),
            "show_save": False,
            "show_save_and_continue": False,
            "show_save_and_add_another": False,
        }
        return super().change_view(request, object_id, form_url, extra_context)

    def get_readonly_fields(self, request, obj=None):
        # Decisions go through the buttons and actions, which call the services.
        return [f for fs in self.fieldsets for f in fs[1]["fields"]]

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path(
                "<int:pk>/approve/",
                view(self.approve_view),
                name="members_membershipapplication_approve",
            ),
            path(
                "<int:pk>/reject/",
                view(self.reject_view),
                name="members_membershipapplication_reject",
            ),
            *super().get_urls(),
        ]

    def _change_url(self, application):
        return reverse(
            "admin:members_membershipapplication_change", args=[application.pk]
        )

    def _decision_page(self, request, application, form, decision):
        return render(
            request,
            "admin/members/membershipapplication/decision.html",
            {
                **self.admin_site.each_context(request),
                "opts": self.model._meta,
                "original": application,
                "title": gettext("Approve the application of %(name)s")
                % {"name": application.organization_name}
                if decision == "approve"
                else gettext("Reject the application of %(name)s")
                % {"name": application.organization_name},
                "form": form,
                "decision": decision,
                "applications": [application],
            },
        )

    def approve_view(self, request, pk):
        application = get_object_or_404(MembershipApplication, pk=pk)
        if not self.has_change_permission(request, application):
            return HttpResponse(status=403)
        form = ApprovalForm(request.POST if request.method == "POST" else None)
        if request.method == "POST" and form.is_valid():
            try:
                application_approve(
                    application=application,
                    decided_by=request.user,
                    tier=form.cleaned_data["tier"],
                    reason=form.cleaned_data["reason"],
                )
            except ValidationError as exc:
                form.add_error(None, exc.messages)
            else:
                application.refresh_from_db()
                self.message_user(
                    request,
                    gettext(
                        "%(name)s is now an active member; %(person)s is its primary "
                        "contact and has been notified."
                    )
                    % {
                        "name": application.organization.name,
                        "person": application.applicant.public_name,
                    },
                    messages.SUCCESS,
                )
                return HttpResponseRedirect(self._change_url(application))
        return self._decision_page(request, application, form, "approve")

    def reject_view(self, request, pk):
        application = get_object_or_404(MembershipApplication, pk=pk)
        if not self.has_change_permission(request, application):
            return HttpResponse(status=403)
        form = RejectionForm(request.POST if request.method == "POST" else None)
        if request.method == "POST" and form.is_valid():
            try:
                application_reject(
                    application=application,
                    decided_by=request.user,
                    reason=form.cleaned_data["reason"],
                )
            except ValidationError as exc:
                form.add_error(None, exc.messages)
            else:
                self.message_user(
                    request,
                    gettext("The application of %(name)s was rejected.")
                    % {"name": application.organization_name},
                    messages.SUCCESS,
                )
                return HttpResponseRedirect(self._change_url(application))
        return self._decision_page(request, application, form, "reject")

    def _apply(self, request, queryset, service, success, **kwargs):
        admin_apply(
            self,
            request,
            queryset,
            lambda application: service(application=application, **kwargs),
            success=success,
        )

    @admin.action(description=_("Start reviewing selected applications"))
    def start_review(self, request, queryset):
        self._apply(
            request,
            queryset,
            application_review_start,
            ngettext_lazy(
                "%(count)d application is now under review.",
                "%(count)d applications are now under review.",
                "count",
            ),
            reviewer=request.user,
        )

    def _bulk_decision(self, request, queryset, decision, form_class, service, success):
        """Ask once for what the decision needs (a reason; for approval a tier),
        listing the applications; then decide each and say how many."""
        form = form_class(request.POST if "apply" in request.POST else None)
        if "apply" in request.POST and form.is_valid():
            self._apply(
                request,
                queryset,
                service,
                success,
                decided_by=request.user,
                **form.cleaned_data,
            )
            return None
        count = queryset.count()
        title = (
            ngettext(
                "Approve %(count)d application", "Approve %(count)d applications", count
            )
            if decision == "approve"
            else ngettext(
                "Reject %(count)d application", "Reject %(count)d applications", count
            )
        )
        return render(
            request,
            "admin/members/membershipapplication/decision.html",
            {
                **self.admin_site.each_context(request),
                "opts": self.model._meta,
                "title": title % {"count": count},
                "form": form,
                "decision": decision,
                "bulk": True,
                "action_name": f"{decision}_selected",
                "applications": queryset,
                "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
            },
        )

    @admin.action(description=_("Approve selected applications…"))
    def approve_selected(self, request, queryset):
        return self._bulk_decision(
            request,
            queryset,
            "approve",
            ApprovalForm,
            application_approve,
            ngettext_lazy(
                "%(count)d application approved; the applicant was notified.",
                "%(count)d applications approved; the applicants were notified.",
                "count",
            ),
        )

    @admin.action(description=_("Reject selected applications…"))
    def reject_selected(self, request, queryset):
        return self._bulk_decision(
            request,
            queryset,
            "reject",
            RejectionForm,
            application_reject,
            ngettext_lazy(
                "%(count)d application rejected; the applicant was notified.",
                "%(count)d applications rejected; the applicants were notified.",
                "count",
            ),
        )


# --- Affiliations, domains, invitations, renewal notices ------------------------------


@admin.register(Affiliation)
class AffiliationAdmin(SimpleHistoryAdmin):
    list_display = ["user", "organization", "role", "status", "source", "started_at"]
    list_filter = ["status", "role", "source", "organization__status"]
    search_fields = ["user__email", "user__name", "organization__name"]
    autocomplete_fields = ["user", "organization"]
    list_select_related = ["user", "organization"]
    date_hierarchy = "started_at"


@admin.register(EmailDomain)
class EmailDomainAdmin(SimpleHistoryAdmin):
    list_display = ["domain", "organization", "verified_at", "verified_by", "added_by"]
    list_filter = [("verified_at", admin.EmptyFieldListFilter)]
    search_fields = ["domain", "organization__name"]
    autocomplete_fields = ["organization"]
    list_select_related = ["organization", "verified_by", "added_by"]
    readonly_fields = ["verified_at", "verified_by", "added_by", "created_at"]
    actions = ["verify"]

    @admin.action(description=_("Verify selected domains"))
    def verify(self, request, queryset):
        admin_apply(
            self,
            request,
            queryset,
            lambda domain: email_domain_verify(
                email_domain=domain, verified_by=request.user
            ),
            success=ngettext_lazy(
                "%(count)d domain verified.", "%(count)d domains verified.", "count"
            ),
        )


@admin.register(Invitation)
class InvitationAdmin(SimpleHistoryAdmin):
    list_display = [
        "email",
        "organization",
        "role",
        "invited_by",
        "created_at",
        "expires_at",
        "accepted_at",
        "revoked_at",
    ]
    list_filter = [
        ("accepted_at", admin.EmptyFieldListFilter),
        ("revoked_at", admin.EmptyFieldListFilter),
        "role",
    ]
    search_fields = ["email", "organization__name"]
    list_select_related = ["organization", "invited_by"]
    readonly_fields = [
        "organization",
        "email",
        "role",
        "invited_by",
        "created_at",
        "expires_at",
        "accepted_at",
        "accepted_by",
        "revoked_at",
    ]
    actions = ["withdraw"]

    def has_add_permission(self, request):
        return False  # contacts invite from their organization's page

    @admin.action(description=_("Withdraw selected invitations"))
    def withdraw(self, request, queryset):
        admin_apply(
            self,
            request,
            queryset,
            lambda invitation: invitation_revoke(invitation=invitation),
            success=gettext("Invitations withdrawn."),
        )


@admin.register(RenewalNotice)
class RenewalNoticeAdmin(admin.ModelAdmin):
    list_display = ["organization", "kind", "renewal_due", "sent_at"]
    list_filter = ["kind"]
    search_fields = ["organization__name"]
    list_select_related = ["organization"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
