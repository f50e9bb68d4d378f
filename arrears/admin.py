from django.contrib import admin

from arrears.models import Balance, Contribution, InterestRate, Payment


@admin.register(InterestRate)
class InterestRateAdmin(admin.ModelAdmin):
    list_display = ["valid_from", "daily_rate", "note"]


@admin.register(Contribution)
class ContributionAdmin(admin.ModelAdmin):
    list_display = ["employer", "period", "employees", "total", "due_on"]
    list_filter = ["period"]
    search_fields = ["employer__unit_code"]
    raw_id_fields = ["employer"]


@admin.register(Payment)
class PaymentAdmin(admin.ModelAdmin):
    list_display = ["reference", "employer", "paid_on", "amount"]
    search_fields = ["reference", "employer__unit_code"]
    raw_id_fields = ["employer"]


@admin.register(Balance)
class BalanceAdmin(admin.ModelAdmin):
    list_display = ["employer", "as_of", "arrears", "months_in_arrears", "interest", "bucket"]
    list_filter = ["bucket"]
    raw_id_fields = ["employer"]
