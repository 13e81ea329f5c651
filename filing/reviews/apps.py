from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReviewsConfig(AppConfig):
    name = "filing.reviews"
    label = "reviews"
    verbose_name = _("审核推荐")

    def ready(self) -> None:
        from filing.reviews import receivers  # noqa: F401
