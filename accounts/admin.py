from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.utils.translation import gettext_lazy as _

from accounts.models import Agency, User


@admin.register(User)
class DeskUserAdmin(UserAdmin):
    list_display = ["username", "get_full_name", "role", "agency", "is_active"]
    list_filter = ["role", "agency", "is_active", "offices"]
    filter_horizontal = ["offices", "groups", "user_permissions"]
    fieldsets = (
        *UserAdmin.fieldsets,
        (_("Vai trò và phạm vi"), {"fields": ["role", "offices", "agency", "language"]}),
    )


@admin.register(Agency)
class AgencyAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "email"]
