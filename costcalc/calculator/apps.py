from django.apps import AppConfig


class CalculatorConfig(AppConfig):
    name = "costcalc.calculator"
    verbose_name = "Calculator"
    default_auto_field = "django.db.models.BigAutoField"
