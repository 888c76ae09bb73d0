"""Walk every URL pattern of the project and build a URL for each one."""

import re
from dataclasses import dataclass, field

from django.urls import URLPattern, URLResolver, get_resolver, reverse


@dataclass(frozen=True)
class Route:
    """One URL pattern: its full route as declared, its name and its parameters."""

    route: str
    name: str | None
    params: tuple[str, ...] = field(default=())
    positional: int = 0


def _params(pattern) -> tuple[tuple[str, ...], int]:
    regex = pattern.regex
    named = tuple(regex.groupindex)
    positional = 0 if named else regex.groups
    return named, positional


def _walk(patterns, prefix="", namespace=None, params=()):
    for pattern in patterns:
        named, positional = _params(pattern.pattern)
        if isinstance(pattern, URLResolver):
            ns = ":".join(n for n in (namespace, pattern.namespace) if n) or None
            yield from _walk(
                pattern.url_patterns,
                prefix + str(pattern.pattern),
                ns,
                params + named,
            )
        elif isinstance(pattern, URLPattern):
            name = pattern.name
            if name and namespace:
                name = f"{namespace}:{name}"
            yield Route(prefix + str(pattern.pattern), name, params + named, positional)


def all_routes() -> list[Route]:
    """Return every URL pattern the resolver knows, in declaration order."""
    seen: dict[str, Route] = {}
    for route in _walk(get_resolver().url_patterns):
        seen.setdefault(route.route, route)
    return list(seen.values())


def build_url(route: Route, values: dict[str, str], positional=("1", "1")) -> str:
    """Reverse the route with the given parameter values (only those it takes)."""
    if route.name is None:
        return _fill(route.route, values)
    if route.positional:
        return reverse(route.name, args=list(positional)[: route.positional])
    return reverse(route.name, kwargs={p: values[p] for p in route.params})


def _fill(route: str, values: dict[str, str]) -> str:
    """Fill an unnamed route (the admin's redirects and catch-all) by hand."""
    url = re.sub(r"\(\?P<(\w+)>[^)]*\)", lambda m: values[m[1]], route)
    url = re.sub(r"<(?:\w+:)?(\w+)>", lambda m: values[m[1]], url)
    url = url.replace("^", "").replace("$", "")
    if re.search(r"[()\[\]*+?<>]", url):
        raise ValueError(f"cannot fill the route {route!r}; name it or extend _fill")
    return "/" + url
