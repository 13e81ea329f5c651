"""Fill the template application in the template database (run by benchmarks/run once)."""

from __future__ import annotations

import json

from benchmarks.common import django_setup

if __name__ == "__main__":
    django_setup()
    from benchmarks.seed import make_template

    print(json.dumps({"template": make_template()}))
