"""The one time-zone rule: IANA names only."""

import zoneinfo

import pytest
from django.core.exceptions import ValidationError

from alliance.core.time_zones import (
    TIME_ZONE_CHOICES,
    time_zone_get,
    validate_time_zone,
)


@pytest.mark.parametrize(
    "name", ["Europe/Berlin", "UTC", "America/Argentina/Buenos_Aires"]
)
def test_iana_names_pass(name):
    validate_time_zone(name)
    validate_time_zone(zoneinfo.ZoneInfo(name))
    assert time_zone_get(name) == zoneinfo.ZoneInfo(name)


@pytest.mark.parametrize(
    "name", ["localtime", "Factory", "posixrules", "Mars/Olympus", "", None, 5]
)
def test_everything_else_is_refused(name):
    # Issue 17, item 18: "localtime" is in zoneinfo.available_timezones().
    with pytest.raises(ValidationError) as refused:
        validate_time_zone(name)
    assert refused.value.messages == [
        "Unknown time zone; use an IANA name such as Europe/Berlin."
    ]


def test_the_menu_offers_iana_names_only():
    values = [value for value, _label in TIME_ZONE_CHOICES]
    assert "Europe/Berlin" in values
    assert "localtime" not in values
    assert values == sorted(values)
