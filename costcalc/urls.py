from django.contrib import admin
from django.urls import include, path

from costcalc.calculator import views
from costcalc.ratelimit import client_ip, posted_username, ratelimit

# Password guessing is the admin's one anonymous write: limit it like every other write, per
# address and per account, so that guesses from many addresses at one account count together.
login_limit = ratelimit("admin-login", limit=10, window=60, keys=(client_ip, posted_username))
admin.site.login = login_limit(admin.site.login)
# The analysts' workshop, named as ours rather than "Django administration".
admin.site.site_header = "costcalc workshop"
admin.site.site_title = "costcalc workshop"
admin.site.index_title = "Assumption sets, their figures and sources"

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
