"""Saved scenarios in the admin: searchable and read-only, but for their words.

Scenarios are made by sharing (or by ``load_examples``), never here. Their inputs, pinned
assumption set and figures never change; an admin may correct a title or description (say,
to remove abuse), curate the gallery (which examples, in what order, their claim and
narrative), or delete a scenario. A worked example's finding is computed from its figures
and stays as computed.
"""

from __future__ import annotations

from django.contrib import admin
from django.utils.html import format_html

from .models import FROZEN_FIELDS, Scenario


@admin.register(Scenario)
class ScenarioAdmin(admin.ModelAdmin):
    list_display = ("title", "link", "assumption_set", "is_example", "has_migration", "created_at")
    list_filter = ("is_example", "assumption_set", "created_at")
    search_fields = ("title", "description", "slug", "claim")
    date_hierarchy = "created_at"
    list_select_related = ("assumption_set",)
    ordering = ("-created_at",)
    readonly_fields = (
        *(name.removesuffix("_id") for name in FROZEN_FIELDS),  # they decide the figures
        "finding",  # worked out from the figures when the example was loaded
        "reported",
    )
    fieldsets = (
        (None, {"fields": ("title", "description", "slug", "created_at")}),
        ("What it computes (never changes)", {"fields": ("assumption_set", "query", "figures")}),
        (
            "Migration",
            {
                "classes": ("collapse",),
                "fields": (
                    "migration_from",
                    "migration_to",
                    "rewrite_effort_weeks",
                    "rewrite_months",
                    "overlap_months",
                ),
            },
        ),
        (
            "Worked example",
            {
                "classes": ("collapse",),
                "fields": (
                    "is_example",
                    "example_order",
                    "claim",
                    "narrative",
                    "finding",
                    "reported",
                ),
            },
        ),
    )

    @admin.display(description="link")
    def link(self, obj: Scenario) -> str:
        return format_html('<a href="{}">/s/{}/</a>', obj.get_absolute_url(), obj.slug)

    @admin.display(description="migration", boolean=True)
    def has_migration(self, obj: Scenario) -> bool:
        return bool(obj.migration_from)

    def has_add_permission(self, request) -> bool:
        return False
