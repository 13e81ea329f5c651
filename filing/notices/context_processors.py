"""The unread count in the site header: one query, and only when a page shows it."""

from django.utils.functional import SimpleLazyObject

from filing.notices.models import Notice


def unread_notices(request) -> dict:
    def count() -> int:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return 0
        return Notice.objects.unread_count(user)

    return {"unread_notice_count": SimpleLazyObject(count)}
