"""The platform's URLs and one more: the ceiling every benchmark is compared with."""

from django.urls import path

from benchmarks.views import ceiling, upload_ceiling
from filing.urls import urlpatterns as platform

urlpatterns = [
    path("bench/ceiling/", ceiling, name="bench_ceiling"),
    path("bench/upload/", upload_ceiling, name="bench_upload"),
    *platform,
]
