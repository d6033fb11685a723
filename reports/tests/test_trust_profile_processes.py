"""An edit of the trust profile in one process (the admin's save, or a profile loaded from the command
line) is served by every other process within a second: the header, the title and the home page's words,
measured from outside as in test_public_cache_processes.py, with every worker's pages cached before."""

import time

from reports.tests.processes import Site
from reports.tests.test_trust_profile import SMALL
from secamb_journey.generations import MEMO_SECONDS

READS = 30

# As the admin's change form saves it: the model's save (a row of history), in another process.
EDIT = """
from secamb_journey.models import TrustProfile
profile = TrustProfile.objects.get()
profile.strategy = "Our strategy, as the board approved it today."
profile.full_name = "Wessex and Downs Ambulance Service NHS Trust"
profile.save()
"""


def test_a_profile_edit_in_another_process_reaches_every_worker_within_a_second(sites, tmp_path):
    site: Site = sites(tmp_path / "site")
    profile = tmp_path / "trust.toml"
    profile.write_text(SMALL, encoding="utf-8")
    assert "trust profile: new" in site.manage("load_trust_profile", str(profile))
    site.start()
    for _ in range(READS):  # every worker has both pages cached
        assert "To care better." in site.get("/")[1]
        assert "Wessex Coast Ambulance Service NHS Trust" in site.get("/accessibility/")[1]
    site.manage(code=EDIT)
    time.sleep(MEMO_SECONDS)
    stale = {
        "old strategy on the home page": sum("To care better." in site.get("/")[1] for _ in range(READS)),
        "old name on the accessibility page": sum(
            "Wessex and Downs" not in site.get("/accessibility/")[1] for _ in range(READS)
        ),
    }
    assert stale == dict.fromkeys(stale, 0), f"stale reads out of {READS} each: {stale}"
