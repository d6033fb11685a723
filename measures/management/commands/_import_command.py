"""What the two measures import commands share: read the file, check every row, store all or nothing."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from measures import importing


class ImportCommand(BaseCommand):
    expect = ""  # "measures" or "values": what measures.importing.import_file is to read

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path)

    def handle(self, *args, path: Path, **options):
        try:
            content = path.read_bytes()
        except OSError as problem:
            raise CommandError(f"Cannot read {path}: {problem.strerror}") from None
        try:
            preview = importing.import_file(content=content, expect=self.expect)
        except importing.ImportFileProblem as problem:
            raise CommandError(f"{path}: {problem}. Nothing was imported.") from None
        except importing.ImportRefused as refused:
            lines = "\n".join(str(p) for p in refused.preview.problems)
            raise CommandError(f"{path} was refused; nothing was imported:\n{lines}") from None
        summary = ", ".join(f"{n} {what.lower()}" for what, n in sorted(preview.outcome_counts)) or "no rows"
        self.stdout.write(self.style.SUCCESS(f"Imported {path}: {summary}."))
