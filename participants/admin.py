from django.contrib import admin

from participants.models import CoverageFigure, Employer, Holiday, InsuredPerson, Office


@admin.register(Office)
class OfficeAdmin(admin.ModelAdmin):
    search_fields = ["name"]


@admin.register(Employer)
class EmployerAdmin(admin.ModelAdmin):
    list_display = ["unit_code", "name", "office", "status", "ownership", "employees"]
    list_filter = ["status", "ownership", "payment_method", "office"]
    search_fields = ["unit_code", "tax_code", "name"]
    readonly_fields = ["search_text"]


@admin.register(InsuredPerson)
class InsuredPersonAdmin(admin.ModelAdmin):
    list_display = ["social_insurance_number", "full_name", "date_of_birth", "employer"]
    list_select_related = ["employer"]
    search_fields = [
        "social_insurance_number",
        "full_name",
        "search_text",
    ]  # with or without diacritics
    raw_id_fields = ["employer"]  # a province has tens of thousands of employers
    readonly_fields = ["search_text"]


@admin.register(CoverageFigure)
class CoverageFigureAdmin(admin.ModelAdmin):
    list_display = ["__str__", "year", "quarter", "compulsory_si", "voluntary_si", "ui", "hi"]
    list_filter = ["year", "quarter", "office"]
    list_select_related = ["office"]


@admin.register(Holiday)
class HolidayAdmin(admin.ModelAdmin):
    list_display = ["day", "name", "office"]
    list_filter = ["office"]
    date_hierarchy = "day"
