from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from filing.orgs.models import Authority, Invitation, Organisation, User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    fieldsets = (
        *BaseUserAdmin.fieldsets,
        (_("所属"), {"fields": ("full_name", "phone", "role", "organisation", "authority")}),
    )
    list_display = ["username", "full_name", "role", "organisation", "authority", "is_active"]
    list_filter = ["role", "is_active", "authority__kind"]
    search_fields = ["username", "full_name", "email"]


@admin.register(Authority)
class AuthorityAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "region", "parent", "acts_for"]
    list_filter = ["kind"]
    search_fields = ["name", "code"]


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "credit_code", "nature", "city", "zone"]
    list_filter = ["nature", "province"]
    search_fields = ["name", "credit_code"]


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ["email", "organisation", "created_at", "expires_at", "accepted_at", "revoked"]
    readonly_fields = ["token_hash"]
