from django.urls import include, path

from . import views

app_name = "scenarios"
urlpatterns = [
    path("s/", views.share, name="share"),
    # A saved scenario's page and the pages below its link.
    path(
        "s/<slug:slug>/",
        include(
            [
                path("", views.detail, name="detail"),
                path("migration/", views.migration_preview, name="migration"),
                path("recompute/", views.recompute, name="recompute"),
                path("report/", views.report, name="report"),
                path("export.csv", views.export_csv, name="export_csv"),
                path("export.json", views.export_json, name="export_json"),
                path("export.xlsx", views.export_xlsx, name="export_xlsx"),
            ]
        ),
    ),
    path("scenarios/", views.gallery, name="gallery"),
    path("compare/", views.compare, name="compare"),
]
