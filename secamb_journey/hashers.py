"""The password hasher: Argon2id at OWASP's first recommended setting, rather than Django's PBKDF2 default.

Issue 15: a sign-in cost about 0.6-0.7 s of CPU with PBKDF2-SHA256 at Django 5.2's 1,000,000
iterations, so a shift change (100 staff signing in within a minute) kept both cores of a 2-core web
server busy for over half that minute, and everything else waited behind it (loadtest/signin_burst.py
measures it; the README's Sign-in section has the figures). Argon2id with 19 MiB of memory, 2 passes
and 1 lane is one of the settings OWASP's Password Storage Cheat Sheet gives as equivalent to PBKDF2
at 600,000 iterations, costs about a tenth of the CPU, and is memory-hard, so guessing on GPUs gains far
less than against PBKDF2. Django's own Argon2 defaults (100 MiB, 8 lanes) cost about 60% of PBKDF2's
CPU and 100 MiB per concurrent sign-in: too much for a small server under a burst.

Same algorithm name ("argon2") as Django's hasher: a stored Argon2 hash with other parameters is
verified and then re-hashed at these on the next sign-in, as is any PBKDF2 hash (settings.PASSWORD_HASHERS
keeps PBKDF2 second).
"""

from django.contrib.auth.hashers import Argon2PasswordHasher


class Argon2idPasswordHasher(Argon2PasswordHasher):
    time_cost = 2
    memory_cost = 19 * 1024  # KiB
    parallelism = 1
