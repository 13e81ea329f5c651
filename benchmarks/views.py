"""Minimal views, served by the same server, middleware and database as the platform's pages:
what any page costs at the least, so a benchmark can say how far above that floor a page is."""

from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.views.decorators.csrf import csrf_exempt


def ceiling(request: HttpRequest) -> HttpResponse:
    """One trivial query, a few bytes out."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return HttpResponse("ok", content_type="text/plain")


@csrf_exempt
def upload_ceiling(request: HttpRequest) -> HttpResponse:
    """Django's own handling of an upload (streamed to a temporary file), and nothing else."""
    sizes = [f.size for f in request.FILES.getlist("file")]
    return HttpResponse(" ".join(map(str, sizes)), content_type="text/plain")
