"""Settings for loadtest/signin_burst.py's server and seed: the product's, with the hasher under test first."""

import os

from secamb_journey.settings.base import *  # noqa: F403
from secamb_journey.settings.base import PASSWORD_HASHERS

_first = os.environ["SIGNIN_BURST_HASHER"]
PASSWORD_HASHERS = [_first] + [h for h in PASSWORD_HASHERS if h != _first and not h.endswith("Argon2PasswordHasher")]
if _first.endswith("Argon2PasswordHasher"):  # Django's own Argon2 shares the "argon2" name with ours
    PASSWORD_HASHERS = [h for h in PASSWORD_HASHERS if not h.endswith("Argon2idPasswordHasher")]
