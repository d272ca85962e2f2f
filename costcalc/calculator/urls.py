from django.urls import path

from . import insight_views, views

app_name = "calculator"
urlpatterns = [
    path("", views.calculator, name="calculator"),
    path("insight/", insight_views.insight, name="insight"),
    path("insight/sure/", insight_views.sure, name="sure"),
    path("workings/", views.workings, name="workings"),
    path("monthly/", views.monthly, name="monthly"),
]
