from django.urls import path

from . import views

app_name = "scenarios"
urlpatterns = [
    path("s/", views.share, name="share"),
    path("s/<slug:slug>/", views.detail, name="detail"),
    path("s/<slug:slug>/migration/", views.migration_preview, name="migration"),
    path("s/<slug:slug>/recompute/", views.recompute, name="recompute"),
    path("s/<slug:slug>/report/", views.report, name="report"),
    path("s/<slug:slug>/export.csv", views.export_csv, name="export_csv"),
    path("s/<slug:slug>/export.json", views.export_json, name="export_json"),
    path("s/<slug:slug>/export.xlsx", views.export_xlsx, name="export_xlsx"),
    path("scenarios/", views.gallery, name="gallery"),
    path("compare/", views.compare, name="compare"),
]
