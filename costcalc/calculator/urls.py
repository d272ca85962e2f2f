from django.urls import include, path

from . import insight_views, views

app_name = "calculator"
# The decision panel and the parts it fetches on demand.
insight_patterns = [
    path("", insight_views.insight, name="insight"),
    path("sure/", insight_views.sure, name="sure"),
    path("hosting/", insight_views.hosting, name="hosting"),
]
urlpatterns = [
    path("", views.calculator, name="calculator"),
    path("insight/", include(insight_patterns)),
    path("workings/", views.workings, name="workings"),
    path("monthly/", views.monthly, name="monthly"),
]
