"""Every URL pattern of the project, by name, as the URLconf declares it."""

from __future__ import annotations

from collections.abc import Iterator

from django.urls import URLPattern, URLResolver, get_resolver


def url_patterns(
    resolver: URLResolver | None = None, prefix: str = "", namespace: str = ""
) -> Iterator[tuple[str, str, URLPattern]]:
    """(name with its namespaces, route, pattern) of every pattern, unnamed ones with name ""."""
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            inner = namespace
            if pattern.namespace:
                inner = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
            yield from url_patterns(pattern, route, inner)
        else:
            name = ""
            if pattern.name:
                name = f"{namespace}:{pattern.name}" if namespace else pattern.name
            yield name, route, pattern


def project_url_names() -> set[str]:
    """The names of the project's own pages: Django's admin site is counted as one entry."""
    names = set()
    for name, route, _pattern in url_patterns():
        if route.startswith("admin/"):
            names.add("admin:*")
        elif name:
            names.add(name)
        else:
            raise AssertionError(f"URL pattern without a name: {route}")
    return names
