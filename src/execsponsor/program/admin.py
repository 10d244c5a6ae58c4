from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from execsponsor.program.models import (
    AlignmentChecklist,
    MatchingRun,
    Objective,
    PairRule,
    ProgramReview,
    ProgramSetting,
    RandomisedCohort,
    RebalanceBatch,
    RebalanceProposal,
    ReviewDecision,
    RoleCharter,
    SelectionRun,
    Sponsorship,
    SupportingExecutive,
)


@admin.register(Sponsorship)
class SponsorshipAdmin(SimpleHistoryAdmin):
    list_display = ("__str__", "status", "cadence_days", "started_on")
    list_filter = ("status",)
    raw_id_fields = ("account", "executive", "introducer", "approved_by", "matching_run")
    filter_horizontal = ("counterparts",)
    list_select_related = ("account", "executive__user")


@admin.register(SupportingExecutive)
class SupportingExecutiveAdmin(SimpleHistoryAdmin):
    raw_id_fields = ("sponsorship", "executive", "added_by")


@admin.register(Objective)
class ObjectiveAdmin(SimpleHistoryAdmin):
    raw_id_fields = ("account", "sponsorship", "owner")


@admin.register(RoleCharter)
class RoleCharterAdmin(SimpleHistoryAdmin):
    raw_id_fields = ("updated_by",)


@admin.register(AlignmentChecklist)
class AlignmentChecklistAdmin(SimpleHistoryAdmin):
    raw_id_fields = ("sponsorship", "ae_by", "sponsor_by")


@admin.register(PairRule)
class PairRuleAdmin(admin.ModelAdmin):
    raw_id_fields = ("executive", "account", "created_by")


@admin.register(ProgramSetting)
class ProgramSettingAdmin(admin.ModelAdmin):
    raw_id_fields = ("updated_by",)


@admin.register(SelectionRun)
class SelectionRunAdmin(admin.ModelAdmin):
    raw_id_fields = ("created_by",)


@admin.register(RandomisedCohort)
class RandomisedCohortAdmin(admin.ModelAdmin):
    list_display = ("drawn_on", "seed", "tolerance", "cut_off_score", "slots")
    raw_id_fields = ("selection_run", "matching_run", "created_by")


@admin.register(MatchingRun)
class MatchingRunAdmin(admin.ModelAdmin):
    raw_id_fields = ("created_by", "approved_by")


@admin.register(RebalanceBatch)
class RebalanceBatchAdmin(admin.ModelAdmin):
    raw_id_fields = ("created_by", "applied_by")


@admin.register(RebalanceProposal)
class RebalanceProposalAdmin(admin.ModelAdmin):
    raw_id_fields = ("batch", "account", "from_sponsorship", "to_executive", "created_sponsorship")


@admin.register(ProgramReview)
class ProgramReviewAdmin(admin.ModelAdmin):
    raw_id_fields = ("created_by",)


@admin.register(ReviewDecision)
class ReviewDecisionAdmin(admin.ModelAdmin):
    raw_id_fields = ("review", "account", "owner")
