"""With production settings staff need a second factor before the admin opens.

AdminRequiresMFAMiddleware reads ALLIANCE_ADMIN_REQUIRE_MFA on every request, so
the tests switch it in-process; what production and the local demo set is read
from the settings modules themselves, in fresh processes.
"""

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

from tests.members.factories import UserFactory
from tests.security.conftest import settings_of

MFA_MESSAGE = "Set up two-factor authentication before you use the admin"


@pytest.fixture
def require_mfa(settings, production_settings):
    assert production_settings["ALLIANCE_ADMIN_REQUIRE_MFA"] is True
    settings.ALLIANCE_ADMIN_REQUIRE_MFA = True


def test_production_requires_mfa_for_the_admin_and_the_local_demo_does_not(
    production_settings,
):
    assert production_settings["ALLIANCE_ADMIN_REQUIRE_MFA"] is True
    demo = settings_of("alliance.settings.base")
    assert demo["ALLIANCE_ADMIN_REQUIRE_MFA"] is False


@pytest.mark.parametrize("path", ["/admin/", "/admin/members/organization/"])
def test_staff_without_mfa_are_sent_to_set_it_up(client, staff_user, require_mfa, path):
    client.force_login(staff_user)
    response = client.get(path, follow=True)
    assert response.redirect_chain[0] == ("/accounts/2fa/", 302)
    assert response.status_code == 200
    shown = [str(message) for message in response.context["messages"]]
    assert any(MFA_MESSAGE in message for message in shown), shown
    assert MFA_MESSAGE in response.content.decode()


def test_staff_with_an_activated_authenticator_reach_the_admin(
    client, staff_user, require_mfa
):
    TOTP.activate(staff_user, generate_totp_secret())
    client.force_login(staff_user)
    response = client.get("/admin/")
    assert response.status_code == 200
    assert b"Staff console" in response.content


def test_people_who_are_not_staff_are_not_sent_to_mfa(client, member, require_mfa):
    client.force_login(member)
    response = client.get("/admin/")
    # Not staff: the admin asks them to sign in as staff, MFA is not the question.
    assert response.status_code == 302
    assert not response["Location"].startswith("/accounts/2fa/")


def test_without_the_setting_staff_reach_the_admin_without_mfa(
    client, settings, staff_user
):
    settings.ALLIANCE_ADMIN_REQUIRE_MFA = False
    client.force_login(staff_user)
    assert client.get("/admin/").status_code == 200


def test_a_staff_account_created_in_the_admin_flow_is_not_exempt(
    client, require_mfa, db
):
    """A plain staff member (not superuser) is held back the same way."""
    person = UserFactory(is_staff=True)
    client.force_login(person)
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/2fa/"
