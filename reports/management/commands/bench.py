"""`manage.py bench`: the benchmark (benchmarks/command.py). The tooling lives outside the apps; this
command only makes it reachable through manage.py."""

from benchmarks.command import Command

__all__ = ["Command"]
