"""The platform's settings plus the benchmark's ceiling view (benchmarks/urls.py).

Only benchmarks/run uses this module (DJANGO_SETTINGS_MODULE=benchmarks.settings); production
never mounts the ceiling view.
"""

from filing.settings import *  # noqa: F403

ROOT_URLCONF = "benchmarks.urls"
