"""What the import commands share: the draft set and the file they name, the --source-*
options of a file whose source the person importing may name, and the report printed (or an
import that cannot go ahead told as a command error)."""

from __future__ import annotations

import datetime

from django.core.management.base import BaseCommand, CommandError

from costcalc.assumptions.importers import ImportProblem
from costcalc.assumptions.importers.apply import GivenSource


class ImportCommand(BaseCommand):
    file_help = ""  # what the file is
    # Set, the command takes --source-title, --source-url, --source-publisher and
    # --source-date, whose help this is: what the file's date is taken from without it.
    source_date_help = ""

    def add_arguments(self, parser):
        parser.add_argument("set", help="the draft set: slug@version, or its id")
        parser.add_argument("file", help=self.file_help)
        self.add_options(parser)
        if self.source_date_help:
            parser.add_argument("--source-title", default="", help="the source's title")
            parser.add_argument("--source-url", default="", help="where the file was published")
            parser.add_argument("--source-publisher", default="", help="who published it")
            parser.add_argument(
                "--source-date", type=datetime.date.fromisoformat, help=self.source_date_help
            )

    def add_options(self, parser) -> None:
        """The command's own options."""

    def run_import(self, aset: str, path: str, options: dict) -> list[str]:
        """The import (an apply function); returns its report's lines."""
        raise NotImplementedError

    def handle(self, *args, **options):
        try:
            report = self.run_import(options["set"], options["file"], options)
        except (ImportProblem, ValueError) as problem:
            raise CommandError(str(problem)) from None
        self.stdout.write("\n".join(report))

    @staticmethod
    def source(options) -> GivenSource:
        return GivenSource.named(options)
