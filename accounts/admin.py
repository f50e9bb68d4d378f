from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.db.models import Count, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from accounts.models import Agency, User


@admin.register(User)
class DeskUserAdmin(UserAdmin):
    list_display = ["username", "get_full_name", "role", "agency", "is_active"]
    list_filter = ["role", "agency__kind", "agency", "is_active", "offices"]
    filter_horizontal = ["offices", "communes", "groups", "user_permissions"]
    autocomplete_fields = ["agency"]
    fieldsets = (
        *UserAdmin.fieldsets,
        (
            _("Vai trò và phạm vi"),
            {
                "fields": ["role", "offices", "communes", "agency", "language"],
                "description": _(
                    "Cán bộ thu và lãnh đạo BHXH cơ sở: các BHXH cơ sở phụ trách (cán bộ thu có "
                    "thể giới hạn ở một số xã/phường). Cán bộ cơ quan phối hợp: cơ quan của họ."
                ),
            },
        ),
    )


@admin.register(Agency)
class AgencyAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "kind", "area", "email"]
    list_filter = ["kind"]
    search_fields = ["code", "name"]
    filter_horizontal = ["communes"]
    fields = ["kind", "code", "name", "communes", "address", "email"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Agency]:
        return super().get_queryset(request).annotate(commune_count=Count("communes"))

    @admin.display(description=_("địa bàn"))
    def area(self, agency: Agency) -> str:
        count = getattr(agency, "commune_count", None)
        if count is None:
            count = agency.communes.count()
        if not count:
            return str(_("Toàn tỉnh"))
        return str(_("%(n)s xã/phường") % {"n": count})
