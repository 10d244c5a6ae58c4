from django.contrib import admin

from execsponsor.exchange.models import ImportBatch, ImportMapping


@admin.register(ImportMapping)
class ImportMappingAdmin(admin.ModelAdmin):
    raw_id_fields = ("created_by",)


@admin.register(ImportBatch)
class ImportBatchAdmin(admin.ModelAdmin):
    list_display = ("file_name", "kind", "source", "status", "created_at")
    readonly_fields = ("upload_path", "upload_size", "applied", "report")
