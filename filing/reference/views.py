from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from filing.reference.models import HighTechField

MAX_SUGGESTIONS = 15


def field_search(request: HttpRequest) -> HttpResponse:
    """Suggestions for the field picker (an htmx fragment): leaves only."""
    query = request.GET.get("q", "")[:50]
    items = HighTechField.objects.selectable().search(query)[:MAX_SUGGESTIONS]
    return render(request, "reference/field_suggestions.html", {"items": items, "query": query})


def catalogue(request: HttpRequest) -> HttpResponse:
    """The whole catalogue as a page, searchable, so applicants can find their field."""
    query = request.GET.get("q", "")[:50]
    items = HighTechField.objects.all()
    if query:
        items = HighTechField.objects.selectable().search(query)
    page = Paginator(items, 100).get_page(request.GET.get("page"))
    return render(request, "reference/catalogue.html", {"page": page, "query": query})
