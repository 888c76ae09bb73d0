"""The search page: every kind of result the reader may see, grouped by kind, or
one kind page by page."""

from django.core.paginator import Paginator
from django.shortcuts import render
from django.views.decorators.http import require_safe

from alliance.core.cache import shared_fragment
from alliance.registries.search import search_source
from alliance.search.forms import SearchForm
from alliance.search.selectors import (
    search_audience,
    search_grouped,
    search_hits,
    search_kind_results,
    search_kinds,
    search_namespaces,
    search_results,
)

PAGE_SIZE = 20


@require_safe
def search(request):
    form = SearchForm(request.GET or None)
    context = {
        "form": form,
        "text": "",
        "kind": "",
        "groups": [],
        "page": None,
        "fragment": None,
    }
    if not (form.is_valid() and form.cleaned_data["q"]):
        return render(request, "alliance/search/search.html", context)
    text, kind = form.cleaned_data["q"], form.cleaned_data["kind"]
    page_number = request.GET.get("page") or ""
    # The results are the same for every reader with the same audience and
    # nothing of their own among them: shared, dropped by a write to any kind.
    fragment = shared_fragment(
        search_namespaces(),
        audience=search_audience(request.user),
        parts=("search", text, kind, page_number),
        local="language",
    )
    context.update(text=text, kind=kind, site_search_text=text, fragment=fragment)
    if fragment.html is not None:
        return render(request, "alliance/search/search.html", context)
    if kind:
        results = search_results(user=request.user, text=text)
        counts = {k: kind_results.count for k, kind_results in results.items()}
        page = Paginator(
            search_kind_results(
                user=request.user, text=text, kind=kind, results=results
            ),
            PAGE_SIZE,
        ).get_page(page_number)
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
