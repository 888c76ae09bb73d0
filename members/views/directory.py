"""The public member directory, organization pages, logos and the people
directory for members."""

from django.contrib.auth.views import redirect_to_login
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_safe

from alliance.core.cache import shared_fragment
from alliance.core.decorators import sign_in_when_hidden
from alliance.core.visitor_pages import visitor_page
from alliance.registries.panels import panels_for
from members.filters import OrganizationFilter, PersonFilter
from members.permissions import can_manage_organization, can_see_member_details
from members.selectors import organization_visible_to
from members.selectors.directory import (
    organization_directory,
    organization_directory_countries,
    organization_page,
    people_directory,
)

# 24 cards keep a page of the directory under 40 KB of HTML for members (who
# see each organization's details).
DIRECTORY_PAGE_SIZE = 24
PEOPLE_PAGE_SIZE = 50
# What the directory shows comes from these (bumped by their models' writes).
DIRECTORY_CACHE_NAMESPACES = ("organizations", "groups", "focus_areas")


@visitor_page(DIRECTORY_CACHE_NAMESPACES)
def directory(request):
    detailed = can_see_member_details(request.user)
    # The same for every reader of one audience (the details are for members;
    # staff see no "Join" button): shared, dropped by any write to what it shows.
    audience = "member" if detailed else "public"
    if request.user.is_staff:
        audience = "staff"
    fragment = shared_fragment(
        DIRECTORY_CACHE_NAMESPACES,
        audience=audience,
        parts=("directory", request.GET.urlencode()),
        local="language",  # no times: one entry per language, whatever the zone
    )
    if fragment.html is not None:
        return render(request, "members/directory.html", {"fragment": fragment})
    filters = OrganizationFilter(
        request.GET, queryset=organization_directory(detailed=detailed)
    )
    # Pages of organizations in tier order; each page is grouped by tier.
    page = Paginator(filters.qs, DIRECTORY_PAGE_SIZE).get_page(request.GET.get("page"))
    # Any country is a valid filter (checked above); the list offers those of
    # members, and the one chosen (not 250 options in every page's HTML).
    country = filters.form.fields["country"]
    offered = organization_directory_countries() | {request.GET.get("country", "")}
    country.choices = [
        (code, name) for code, name in country.choices if not code or code in offered
    ]
    organizations = list(page.object_list)
    # A tier that began on the previous page says so in its heading here.
    tier_continued = False
    if organizations and page.has_previous():
        previous_tier_id = filters.qs.values_list("tier_id", flat=True)[
            page.start_index() - 2
        ]
        tier_continued = previous_tier_id == organizations[0].tier_id
    return render(
        request,
        "members/directory.html",
        {
            "fragment": fragment,
            "filters": filters,
            "page": page,
            "organizations": organizations,
            "tier_continued": tier_continued,
            "detailed": detailed,
            # Only a filter makes the list "filtered" (not the page number).
            "filtered": any(request.GET.get(name) for name in filters.form.fields),
        },
    )


@sign_in_when_hidden
def organization_detail(request, slug):
    organization = get_object_or_404(organization_visible_to(request.user), slug=slug)
    detailed = can_see_member_details(request.user)
    return render(
        request,
        "members/organization_detail.html",
        {
            "organization": organization,
            "detailed": detailed,
            "can_manage": can_manage_organization(request.user, organization),
            **organization_page(organization=organization, detailed=detailed),
            "panels": panels_for("organization", request, organization=organization),
        },
    )


@require_safe
def organization_logo(request, slug):
    organization = get_object_or_404(organization_visible_to(request.user), slug=slug)
    if not organization.logo:
        raise Http404
    try:
        handle = organization.logo.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(handle, content_type="image/png")
    versioned = request.GET.get("v") and organization.logo_url.endswith(
        f"v={request.GET['v']}"
    )
    public = organization.is_active_member
    response["Cache-Control"] = (
        f"{'public' if public else 'private'}, "
        f"max-age={31_536_000 if versioned else 300}"
        + (", immutable" if versioned else "")
    )
    # A logo is only ever an image: never let a browser run it as anything else.
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def people(request):
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not can_see_member_details(request.user):
        return render(request, "members/members_only.html", status=403)
    filters = PersonFilter(
        request.GET, queryset=people_directory(detailed=True), request=request
    )
    page = Paginator(filters.qs, PEOPLE_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "members/people.html",
        {"filters": filters, "page": page, "people": page.object_list},
    )
