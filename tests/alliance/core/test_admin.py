"""Admin actions that apply a service row by row tell staff what happened."""

from django.contrib import messages
from django.contrib.admin import AdminSite, ModelAdmin
from django.contrib.messages.storage.fallback import FallbackStorage
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import RequestFactory
from django.utils.translation import ngettext_lazy

from alliance.core.admin import admin_apply
from alliance.focus_areas.models import FocusArea

DONE = ngettext_lazy("%(count)d area done.", "%(count)d areas done.", "count")


def _request():
    request = RequestFactory().post("/admin/")
    request.session = {}
    request._messages = FallbackStorage(request)
    return request


def _apply(objects, service):
    request = _request()
    done = admin_apply(
        ModelAdmin(FocusArea, AdminSite()), request, objects, service, success=DONE
    )
    return done, [(m.level, m.message) for m in messages.get_messages(request)]


def test_the_count_and_each_refusal_are_reported_by_name(db):
    fine, refused, forbidden = FocusArea.objects.order_by("number")[:3]

    def service(area):
        if area == refused:
            raise ValidationError(["Not this one.", "Really."])
        if area == forbidden:
            raise PermissionDenied

    done, shown = _apply([fine, refused, forbidden], service)
    assert done == 1
    assert shown == [
        (messages.SUCCESS, "1 area done."),
        (messages.ERROR, f"{refused}: Not this one. Really."),
        (messages.ERROR, f"{forbidden}: You may not do this."),
    ]


def test_nothing_done_is_a_warning(db):
    done, shown = _apply([], lambda area: None)
    assert (done, shown) == (0, [(messages.WARNING, "0 areas done.")])
