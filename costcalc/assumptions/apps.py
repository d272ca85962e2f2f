from django.apps import AppConfig


class AssumptionsConfig(AppConfig):
    name = "costcalc.assumptions"
    verbose_name = "Assumptions"
    default_auto_field = "django.db.models.BigAutoField"
