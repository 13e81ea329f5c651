"""Applications for the registry's tests, started the way applicants start them."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from filing.applications.constants import Status
from filing.applications.models import Application
from filing.applications.services import start_application
from filing.calls.models import Call

SHANGHAI = ZoneInfo("Asia/Shanghai")


def filed_application(
    call_code: str,
    track: str,
    filler,
    space_name: str,
    *,
    when: datetime,
    values: dict[str, Any] | None = None,
) -> Application:
    """An application started while its call was open, whose filing has been decided.

    Deciding the filing is the reviews app's work (reviews.services.decide_filing); these tests
    only need its outcome, so the status is set directly.
    """
    app = start_application(
        Call.objects.get(code=call_code),
        actor=filler,
        track=track,
        space_name=space_name,
        now=when.replace(tzinfo=SHANGHAI),
    )
    return mark_filed(app, values)


def mark_filed(app: Application, values: dict[str, Any] | None = None) -> Application:
    Application.objects.filter(pk=app.pk).update(
        status=Status.FILED, values={**app.values, **(values or {})}
    )
    app.refresh_from_db()
    return app
