"""Load a trust profile (a TOML file): the trust's names and public words, goals, pillars, themes, committees
and optionally measures (reports.trust_profile says how it matches, checks and never deletes)."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from reports.trust_profile import ProfileRefused, trust_profile_load


class Command(BaseCommand):
    help = (
        "Loads a trust profile (TOML). Idempotent (matched by slug, committees by name); --dry-run previews "
        "the changes; a file with any problem is refused whole, each problem named with its line and key."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", nargs="?", default=None, help="The profile (default: the TRUST_PROFILE setting).")
        parser.add_argument("--dry-run", action="store_true", help="Say what would change; change nothing.")

    def handle(self, *args, **options):
        path = Path(options["path"] or settings.TRUST_PROFILE)
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            raise CommandError(f"Cannot read {path}: {error}") from error
        try:
            changes = trust_profile_load(text, dry_run=options["dry_run"])
        except ProfileRefused as refusal:
            raise CommandError(
                f"{path} was not loaded (nothing changed): {refusal}.\n" + "\n".join(refusal.problems)
            ) from refusal
        for line in changes:
            self.stdout.write(f"  {line}")
        verdict = "Dry run: nothing written" if options["dry_run"] else "Loaded"
        self.stdout.write(self.style.SUCCESS(f"{verdict} ({path})."))
