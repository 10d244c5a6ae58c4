from django.contrib import admin

from execsponsor.insights.models import (
    CsmRating,
    HealthSnapshot,
    ImpactAnalysis,
    MeasureSnapshotRow,
    ProgramKpiSnapshot,
    RelationshipStrength,
)


@admin.register(HealthSnapshot)
class HealthSnapshotAdmin(admin.ModelAdmin):
    raw_id_fields = ("account",)


@admin.register(RelationshipStrength)
class RelationshipStrengthAdmin(admin.ModelAdmin):
    raw_id_fields = ("contact",)


@admin.register(ProgramKpiSnapshot)
class ProgramKpiSnapshotAdmin(admin.ModelAdmin):
    pass


@admin.register(MeasureSnapshotRow)
class MeasureSnapshotRowAdmin(admin.ModelAdmin):
    list_display = ("snapshot", "kind", "position", "name")
    list_filter = ("kind",)
    raw_id_fields = ("snapshot",)


@admin.register(ImpactAnalysis)
class ImpactAnalysisAdmin(admin.ModelAdmin):
    list_display = ("as_of", "computed_at", "computed_by", "seconds")
    readonly_fields = ("result",)


@admin.register(CsmRating)
class CsmRatingAdmin(admin.ModelAdmin):
    list_display = ("account", "rating", "rated_on", "rated_by")
    list_filter = ("rating",)
    raw_id_fields = ("account", "rated_by")
