from django.contrib import admin

from participants.models import District, Employer


@admin.register(District)
class DistrictAdmin(admin.ModelAdmin):
    search_fields = ["name"]


@admin.register(Employer)
class EmployerAdmin(admin.ModelAdmin):
    list_display = ["unit_code", "name", "district", "status", "ownership", "employees"]
    list_filter = ["status", "ownership", "payment_method", "district"]
    search_fields = ["unit_code", "tax_code", "name"]
    readonly_fields = ["search_text"]
