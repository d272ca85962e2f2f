from django.apps import AppConfig


class ScenariosConfig(AppConfig):
    name = "costcalc.scenarios"
    label = "scenarios"
    verbose_name = "Saved scenarios"
    default_auto_field = "django.db.models.BigAutoField"
