from django.contrib import admin
from django.urls import include, path

from costcalc.calculator import views
from costcalc.ratelimit import ratelimit

# Password guessing is the admin's one anonymous write: limit it like every other write.
admin.site.login = ratelimit("admin-login", limit=10, window=60)(admin.site.login)

urlpatterns = [
    path("", include("costcalc.calculator.urls")),
    path("assumptions/", include("costcalc.assumptions.urls")),
    path("api/v1/", include("costcalc.api.urls")),
    path("", include("costcalc.scenarios.urls")),
    path("healthz", views.healthz, name="healthz"),
    # Browsers ask for /favicon.ico whatever the page says (the admin's pages say nothing).
    path("favicon.ico", views.favicon),
    path("admin/", admin.site.urls),
]
