from django.contrib import admin

from filing.registry.models import FiledSpace

# What may become known after a space is entered (the decision's 文号 and date, its 序号 in the
# published list); everything else comes from the filing decision or the published list.
EDITABLE = ("decision_document", "filed_on", "position")


@admin.register(FiledSpace)
class FiledSpaceAdmin(admin.ModelAdmin):
    """Read-mostly: entries are made by filing decisions and by load_registry, never added or
    deleted here; the document number, the date and the 序号 may be completed."""

    list_display = [
        "space_name",
        "host_entity_name",
        "province",
        "level",
        "year",
        "batch",
        "position",
        "decision_document",
        "is_rehearsal",
    ]
    list_filter = ["level", "track_kind", "year", "is_rehearsal", "province"]
    search_fields = ["space_name", "host_entity_name", "operator_name", "decision_document"]
    list_select_related = ["province"]

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in self.model._meta.fields if f.name not in EDITABLE]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
