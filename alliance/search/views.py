"""The search page: every kind of result the reader may see, grouped by kind, or
one kind page by page."""

from django.core.paginator import Paginator
from django.shortcuts import render
from django.views.decorators.http import require_safe

from alliance.registries.search import search_source
from alliance.search.forms import SearchForm
from alliance.search.selectors import (
    search_counts,
    search_grouped,
    search_hits,
    search_kind_results,
    search_kinds,
)

PAGE_SIZE = 20


@require_safe
def search(request):
    form = SearchForm(request.GET or None)
    context = {"form": form, "text": "", "kind": "", "groups": [], "page": None}
    if form.is_valid() and form.cleaned_data["q"]:
        text, kind = form.cleaned_data["q"], form.cleaned_data["kind"]
        context.update(text=text, kind=kind, site_search_text=text)
        if kind:
            counts = search_counts(user=request.user, text=text)
            page = Paginator(
                search_kind_results(user=request.user, text=text, kind=kind),
                PAGE_SIZE,
            ).get_page(request.GET.get("page"))
            context.update(
                page=page,
                hits=search_hits(search_source(kind), page.object_list, text),
                tabs=[
                    {"kind": k, "label": label, "count": counts[k]}
                    for k, label in search_kinds()
                ],
                total=sum(counts.values()),
            )
        else:
            groups = search_grouped(user=request.user, text=text)
            counts = {group.kind: group.count for group in groups}
            context.update(
                groups=groups,
                tabs=[
                    {"kind": k, "label": label, "count": counts.get(k, 0)}
                    for k, label in search_kinds()
                ],
                total=sum(counts.values()),
            )
    return render(request, "alliance/search/search.html", context)
