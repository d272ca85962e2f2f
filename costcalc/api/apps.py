from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "costcalc.api"
    label = "api"
    verbose_name = "API and command line"
