from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "filing.documents"
    label = "documents"
    verbose_name = "文书"

    def ready(self) -> None:
        # Registers the font check with `manage.py check`.
        from filing.documents import checks  # noqa: F401
