from django.contrib import admin
from django.urls import include, path

from costcalc.calculator import views

urlpatterns = [
    path("", include("costcalc.calculator.urls")),
    path("assumptions/", include("costcalc.assumptions.urls")),
    path("healthz", views.healthz, name="healthz"),
    path("admin/", admin.site.urls),
]
