"""Sign-up, verification, sign-in, MFA, rate limits and the profile."""

import datetime
import re
import time

import pytest
import time_machine
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse

from members.models import User
from members.services import user_update_profile
from tests.members.factories import PASSWORD, UserFactory

SIGNUP = "/accounts/signup/"
LOGIN = "/accounts/login/"


def _sign_in(client, email, password=PASSWORD):
    return client.post(LOGIN, {"login": email, "password": password})


def test_signup_verification_email_and_sign_in(
    client, db, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):  # the mail is queued
        response = client.post(
            SIGNUP,
            {
                "email": "New.Person@Example.org",
                "password1": PASSWORD,
                "password2": PASSWORD,
            },
        )
    assert response.status_code == 302
    assert response["Location"] == "/accounts/confirm-email/"
    # Not signed in before the address is verified.
    assert client.get("/dashboard/").status_code == 302

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["new.person@example.org"]
    link = re.search(
        r"http://testserver(/accounts/confirm-email/[^\s]+/)", message.body
    )
    assert link, message.body

    confirm_page = client.get(link.group(1))
    assert confirm_page.status_code == 200
    assert b"new.person@example.org" in confirm_page.content
    response = client.post(link.group(1))
    assert response.status_code == 302
    assert response["Location"] == "/dashboard/"
    dashboard = client.get("/dashboard/")
    assert dashboard.status_code == 200
    assert b"Welcome" in dashboard.content

    client.post("/accounts/logout/")
    assert client.get("/dashboard/").status_code == 302
    response = _sign_in(client, "new.person@example.org")
    assert response.status_code == 302
    assert client.get("/dashboard/").status_code == 200


def test_unverified_address_cannot_sign_in(
    client, db, django_capture_on_commit_callbacks
):
    UserFactory(email="unverified@example.org", verified=False)
    with django_capture_on_commit_callbacks(execute=True):  # the mail is queued
        response = _sign_in(client, "unverified@example.org")
    # allauth sends a new verification email instead of signing in.
    assert response.status_code == 302
    assert response["Location"] == "/accounts/confirm-email/"
    assert client.get("/dashboard/").status_code == 302
    assert mail.outbox[-1].to == ["unverified@example.org"]


def test_sign_in_by_emailed_code(client, user, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):  # the mail is queued
        response = client.post("/accounts/login/code/", {"email": user.email})
    assert response.status_code == 302
    code = re.search(r"^([A-Z0-9]{4}-[A-Z0-9]{4})$", mail.outbox[-1].body, re.M).group(
        1
    )
    response = client.post(response["Location"], {"code": code})
    assert response.status_code == 302
    assert client.get("/dashboard/").status_code == 200


def test_failed_sign_ins_are_rate_limited(client, user):
    for _ in range(5):
        response = _sign_in(client, user.email, "wrong password")
        assert b"not correct" in response.content
    # Even the right password is refused once the limit is reached.
    response = _sign_in(client, user.email)
    assert response.status_code in (200, 429)
    assert b"Too many failed login attempts" in response.content
    assert client.get("/dashboard/").status_code == 302


def _totp_code(secret: str) -> str:
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))


def test_totp_setup_and_challenge_at_next_sign_in(client, user):
    _sign_in(client, user.email)
    # Setting up a second factor asks for the password again first.
    assert client.get("/accounts/2fa/totp/activate/").status_code == 302
    client.post("/accounts/reauthenticate/", {"password": PASSWORD})
    page = client.get("/accounts/2fa/totp/activate/")
    assert page.status_code == 200
    secret = client.session["mfa.totp.secret"]
    response = client.post("/accounts/2fa/totp/activate/", {"code": _totp_code(secret)})
    assert response.status_code == 302
    assert Authenticator.objects.filter(user=user, type="totp").exists()

    client.post("/accounts/logout/")
    response = _sign_in(client, user.email)
    assert response["Location"] == "/accounts/2fa/authenticate/"
    # The password alone does not sign in.
    assert client.get("/dashboard/").status_code == 302
    with time_machine.travel(datetime.timedelta(seconds=60), tick=True):
        response = client.post("/accounts/2fa/authenticate/", {"code": "000000"})
        assert b"Incorrect code" in response.content
        response = client.post(
            "/accounts/2fa/authenticate/", {"code": _totp_code(secret)}
        )
        assert response.status_code == 302
        assert client.get("/dashboard/").status_code == 200


def test_profile_change_is_saved_and_shown(client, user):
    client.force_login(user)
    response = client.post(
        reverse("members:profile"),
        {
            "name": "Ada Example",
            "display_name": "Ada",
            "bio": "Evaluates models.",
            "timezone": "Europe/Berlin",
            "language": "en",
            "directory_visibility": "public",
        },
        follow=True,
    )
    assert b"Your profile has been saved." in response.content
    user.refresh_from_db()
    assert (user.display_name, str(user.timezone)) == ("Ada", "Europe/Berlin")
    assert b"Ada" in client.get("/dashboard/").content


def test_profile_refuses_an_unknown_time_zone(client, user):
    client.force_login(user)
    response = client.post(
        reverse("members:profile"),
        {
            "timezone": "Mars/Olympus",
            "language": "en",
            "directory_visibility": "public",
        },
    )
    assert response.status_code == 200
    assert b"Select a valid choice" in response.content
    user.refresh_from_db()
    assert str(user.timezone) == "UTC"


def test_profile_refuses_the_pseudo_time_zone_localtime(client, user):
    # Issue 17, item 18: the menu, the form and the model accepted "localtime".
    client.force_login(user)
    page = client.get(reverse("members:profile")).content.decode()
    assert 'value="localtime"' not in page
    assert 'value="Europe/Berlin"' in page
    response = client.post(
        reverse("members:profile"),
        {"timezone": "localtime", "language": "en", "directory_visibility": "public"},
    )
    assert response.status_code == 200
    user.refresh_from_db()
    assert str(user.timezone) == "UTC"
    with pytest.raises(ValidationError) as refused:
        user_update_profile(user=user, timezone="localtime")
    assert "timezone" in refused.value.error_dict


def test_profile_refuses_bidirectional_overrides_in_names(client, user):
    # Issue 17, item 20.
    client.force_login(user)
    response = client.post(
        reverse("members:profile"),
        {
            "display_name": "\u202enimdA ffatS",
            "timezone": "UTC",
            "language": "en",
            "directory_visibility": "public",
        },
    )
    assert response.status_code == 200
    assert "change the direction of the text" in response.content.decode()
    user.refresh_from_db()
    assert "\u202e" not in user.display_name


def test_each_person_sees_times_in_their_time_zone(client, db):
    instant = datetime.datetime(2026, 1, 15, 12, 0, tzinfo=datetime.UTC)
    for tz, expected in (("Asia/Tokyo", "9 p.m."), ("America/New_York", "7 a.m.")):
        person = UserFactory(timezone=tz)
        client.force_login(person)
        User.objects.filter(pk=person.pk).update(last_login=instant)
        page = client.get("/dashboard/").content.decode()
        assert f"Jan. 15, 2026, {expected} ({tz})" in page


def test_sessions_can_be_listed_and_ended(client, user):
    other = client.__class__()
    _sign_in(other, user.email)
    _sign_in(client, user.email)
    page = client.get("/accounts/sessions/")
    assert page.status_code == 200
    response = client.post("/accounts/sessions/", follow=True)
    assert response.status_code == 200
    # The other browser's session has ended; this one lives on.
    assert other.get("/dashboard/").status_code == 302
    assert client.get("/dashboard/").status_code == 200


def test_account_mail_is_queued_and_a_refusing_mail_server_breaks_nothing(
    client, db, settings, tmp_path, django_capture_on_commit_callbacks
):
    """Issue 18 item 3 (and issue 17 item 6): account emails go through the
    outbox. With no mail server answering, sign-up still succeeds, the
    verification mail waits in the outbox and arrives once a server accepts it."""
    from django.utils import timezone

    from alliance.notifications.models import OutboxEmail
    from alliance.notifications.services.outbox import outbox_send
    from tests.alliance.notifications.conftest import SMTPRecorder, free_port

    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = free_port()  # nothing listens: connections are refused
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_TIMEOUT = 2

    with django_capture_on_commit_callbacks() as queued:
        response = client.post(
            SIGNUP,
            {"email": "new@example.org", "password1": PASSWORD, "password2": PASSWORD},
        )
    # The request answered without talking to any mail server.
    assert response.status_code == 302
    assert response["Location"] == "/accounts/confirm-email/"
    assert User.objects.filter(email="new@example.org").exists()
    email = OutboxEmail.objects.get(to_email="new@example.org")
    assert email.status == "queued" and email.key.startswith("account:")
    assert "/accounts/confirm-email/" in email.body_text

    for callback in queued:  # the worker tries: the server refuses
        callback()
    email.refresh_from_db()
    assert (email.status, email.attempts) == ("queued", 1)

    recorder = SMTPRecorder(tmp_path)
    try:
        settings.EMAIL_PORT = recorder.port
        OutboxEmail.objects.filter(pk=email.pk).update(next_attempt_at=timezone.now())
        assert outbox_send(email_ids=[email.pk])["sent"] == 1
        [received] = recorder.messages()
    finally:
        recorder.stop()
    assert received["to"] == ["new@example.org"]
    assert "/accounts/confirm-email/" in received["text"]


def test_sign_up_costs_the_same_for_an_existing_address(
    client, user, monkeypatch, django_capture_on_commit_callbacks
):
    """Issue 17 item 6: a new address cost a password hash and an SMTP round
    trip, an existing one neither, so the answer's timing told them apart. Now
    both hash the password and both queue one email; the answers are the same.
    (The times are measured by bench/signup_timing.py, not here.)"""
    from django.contrib.auth.hashers import MD5PasswordHasher

    from alliance.notifications.models import OutboxEmail

    hashed = []
    real_encode = MD5PasswordHasher.encode

    def counting_encode(self, password, salt, *args, **kwargs):
        hashed.append(1)
        return real_encode(self, password, salt, *args, **kwargs)

    monkeypatch.setattr(MD5PasswordHasher, "encode", counting_encode)

    def sign_up(email):
        hashed.clear()
        client.logout()
        with django_capture_on_commit_callbacks() as queued:
            response = client.post(
                SIGNUP, {"email": email, "password1": PASSWORD, "password2": PASSWORD}
            )
        return response.status_code, response["Location"], len(hashed), len(queued)

    assert sign_up(user.email) == sign_up("someone.new@example.org")
    assert sign_up(user.email)[2] == 1  # one hash each
    assert OutboxEmail.objects.filter(to_email=user.email).count() >= 1


def test_account_mails_to_one_address_are_rate_limited(client, user):
    """Issue 17 item 6: probes must not flood a person with mail. Whatever asks
    (here password resets, a minute apart so their own limit lets each through),
    one address gets at most ten account emails an hour; the answer stays the
    same."""
    from alliance.notifications.models import OutboxEmail

    start = datetime.datetime(2026, 3, 2, 9, 0, tzinfo=datetime.UTC)
    for minute in range(12):
        with time_machine.travel(start + datetime.timedelta(minutes=minute)):
            response = client.post("/accounts/password/reset/", {"email": user.email})
        assert response.status_code == 302
    assert OutboxEmail.objects.filter(to_email=user.email).count() == 10
