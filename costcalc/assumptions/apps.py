from django.apps import AppConfig


class AssumptionsConfig(AppConfig):
    name = "costcalc.assumptions"
    verbose_name = "Assumptions"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from .models import AssumptionSet
        from .selectors import forget_published

        post_save.connect(forget_published, sender=AssumptionSet, dispatch_uid="forget-published")
        post_delete.connect(
            forget_published, sender=AssumptionSet, dispatch_uid="forget-published-delete"
        )
