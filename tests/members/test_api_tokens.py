"""Personal API tokens: create in the settings, use from a script, revoke."""

import re

from members.models import ApiToken


def test_token_create_use_and_revoke(client, api_client, user):
    client.force_login(user)
    page = client.post("/members/me/api-tokens/", {"name": "Nightly sync"})
    assert page.status_code == 200
    raw = re.search(rb'id="new-token">([^<]+)<', page.content).group(1).decode()
    assert raw.startswith("alp_")

    token = ApiToken.objects.get(user=user)
    assert token.name == "Nightly sync"
    assert raw not in (token.key_hash, token.prefix)  # only a hash is stored

    # The list shows the token again, but never its key.
    listing = client.get("/members/me/api-tokens/")
    assert b"Nightly sync" in listing.content
    assert raw.encode() not in listing.content

    api_client.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")
    response = api_client.get("/api/v1/me/")
    assert response.status_code == 200
    assert response.json()["email"] == user.email

    response = client.post(f"/members/me/api-tokens/{token.pk}/revoke/", follow=True)
    assert b"revoked" in response.content
    response = api_client.get("/api/v1/me/")
    assert response.status_code == 401
    assert "revoked" in response.json()["errors"]["detail"][0]


def test_someone_elses_token_cannot_be_revoked(client, user, member):
    from members.services import api_token_create

    token, _raw = api_token_create(user=member, name="Theirs")
    client.force_login(user)
    response = client.post(f"/members/me/api-tokens/{token.pk}/revoke/")
    assert response.status_code == 404
    token.refresh_from_db()
    assert token.is_active


def test_a_made_up_token_gets_401(api_client, db):
    api_client.credentials(HTTP_AUTHORIZATION="Bearer alp_not-a-real-token")
    response = api_client.get("/api/v1/me/")
    assert response.status_code == 401
    assert set(response.json()) == {"errors"}
