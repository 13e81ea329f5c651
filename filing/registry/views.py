"""The public filed list and one entry's page; no login, nothing but public facts."""

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from filing.registry.forms import RegistryFilterForm
from filing.registry.models import FiledSpace

PAGE_SIZE = 50


def filed_list(request: HttpRequest) -> HttpResponse:
    """Searchable, filterable, paginated; a constant number of queries whatever the page."""
    form = RegistryFilterForm(request.GET)
    spaces = form.apply(FiledSpace.objects.listed().select_related("province", "city"))
    page = Paginator(spaces, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "registry/list.html", {"form": form, "page": page})


def filed_space_detail(request: HttpRequest, pk: int) -> HttpResponse:
    space = get_object_or_404(
        FiledSpace.objects.listed().select_related("province", "city", "authority", "call"),
        pk=pk,
    )
    return render(request, "registry/detail.html", {"space": space})
