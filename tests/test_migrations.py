"""Every app's migrations apply backwards to zero and forwards again, on the suite's database."""

from django.apps import apps
from django.core.management import call_command
from django.db import connection
from django.db.migrations.loader import MigrationLoader
from django.test import TransactionTestCase


class MigrationsTests(TransactionTestCase):
    def test_no_model_change_lacks_a_migration(self):
        call_command("makemigrations", "--check", "--dry-run", verbosity=0)

    def test_each_app_migrates_back_to_zero_and_forward_again(self):
        loader = MigrationLoader(connection)
        ours = sorted({app for app, _ in loader.disk_migrations if app in self.project_apps()})
        self.assertIn("assumptions", ours)
        for app in reversed(ours):
            call_command("migrate", app, "zero", verbosity=0)
        tables = connection.introspection.table_names()
        self.assertFalse([t for t in tables if t.startswith(tuple(f"{a}_" for a in ours))])
        call_command("migrate", verbosity=0)
        tables = connection.introspection.table_names()
        self.assertIn("assumptions_assumptionset", tables)

    @staticmethod
    def project_apps():
        return {c.label for c in apps.get_app_configs() if c.name.startswith("costcalc.")}
