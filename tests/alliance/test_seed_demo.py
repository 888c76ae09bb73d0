"""seed_demo fills the portal and can run again without duplicating anything."""

from io import StringIO

from django.apps import apps
from django.core.management import call_command

from members.models import Organization

COUNTED = [
    "members.User",
    "members.Organization",
    "members.Affiliation",
    "alliance.WorkingGroup",
    "alliance.WorkingGroupMembership",
]


def _counts():
    counted = list(COUNTED)
    for label in ("projects.CatalogEntry", "events.Event"):
        try:
            apps.get_model(label)
        except LookupError:
            continue
        counted.append(label)
    return {label: apps.get_model(label).objects.count() for label in counted}


def test_seed_demo_is_idempotent(db):
    out = StringIO()
    call_command("seed_demo", stdout=out)
    assert "Demo admin: admin@alliance.example / alliance-demo-admin" in out.getvalue()
    first = _counts()
    call_command("seed_demo", stdout=StringIO())
    assert _counts() == first
    # The 57 founding members of the announcement, with their real names; the
    # demo's other organizations say they are fictional.
    assert Organization.objects.exclude(name__endswith="(fictional)").count() == 57
    assert Organization.objects.filter(name="CERN", country="CH").exists()
    assert all(count > 0 for count in first.values()), first


def test_seed_demo_scale_adds_synthetic_people(db):
    call_command("seed_demo", "--scale", "300", stdout=StringIO())
    first = _counts()
    assert first["members.User"] >= 300
    call_command("seed_demo", "--scale", "300", stdout=StringIO())
    assert _counts() == first
