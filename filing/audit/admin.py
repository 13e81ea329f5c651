from django.contrib import admin

from filing.audit.models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """Read-only: nobody adds, changes or deletes audit rows, superusers included."""

    list_display = ["at", "actor_label", "event", "object_repr", "ip_address"]
    list_filter = ["event"]
    search_fields = ["actor_label", "object_repr", "event"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
