from django.shortcuts import get_object_or_404, render

from alliance.focus_areas.models import FocusArea
from alliance.focus_areas.selectors import focus_area_list
from alliance.registries.panels import panels_for
from alliance.working_groups.selectors import working_group_list


def focus_area_list_view(request):
    return render(
        request, "alliance/focus_area_list.html", {"focus_areas": focus_area_list()}
    )


def focus_area_detail(request, slug):
    focus_area = get_object_or_404(FocusArea, slug=slug)
    return render(
        request,
        "alliance/focus_area_detail.html",
        {
            "focus_area": focus_area,
            "working_groups": working_group_list(focus_area=focus_area),
            "panels": panels_for("focus_area", request, focus_area=focus_area),
        },
    )
