from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def _on_user_signed_up(sender, request, user, **kwargs):
    from members.services.domains import affiliation_request_by_domain

    affiliation_request_by_domain(user=user)


def _on_email_confirmed(sender, request, email_address, **kwargs):
    from members.services.domains import email_address_confirmed

    email_address_confirmed(user=email_address.user, email=email_address.email)


class MembersConfig(AppConfig):
    name = "members"
    verbose_name = _("Members")

    def ready(self):
        from allauth.account.signals import email_confirmed, user_signed_up

        from alliance.hooks import personal_data_register
        from alliance.panels import panel_register
        from alliance.report_sections import report_section_register
        from members.panels import dashboard_membership, home_join
        from members.reports import applications_waiting
        from members.selectors.people import user_personal_data

        user_signed_up.connect(_on_user_signed_up, dispatch_uid="members-domain")
        email_confirmed.connect(_on_email_confirmed, dispatch_uid="members-domain")
        personal_data_register("members", user_personal_data)
        report_section_register(
            "applications",
            title=_("Applications waiting"),
            build=applications_waiting,
            order=15,
        )
        panel_register(
            "dashboard",
            template="members/_dashboard_membership.html",
            context=dashboard_membership,
            order=10,
        )
        panel_register(
            "home", template="members/_home_join.html", context=home_join, order=90
        )
