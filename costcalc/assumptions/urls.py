from django.urls import path

from . import views

app_name = "assumptions"
urlpatterns = [
    path("", views.set_list, name="list"),
    path("<slug:slug>/", views.set_detail, name="detail"),
    path("<slug:slug>/v<int:version>/", views.set_detail, name="version"),
]
