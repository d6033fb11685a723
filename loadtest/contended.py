"""Contended writers for the load test: several people writing the same actions at the same moment.

Owners can write only their own actions, so the contention the product has to survive is an action's
owner logging progress while two improvement leads log progress on it too, edit its details from forms
opened at the same time, and sign the same complete actions off as assured at the same instant.

What counts as what:
- an edit answered 302 is accepted, and its token must then be in the action's history (else lost);
  an edit answered 409 is a refused stale edit (the form was opened before another change): a correct
  outcome, counted on its own, never an error;
- two leads assuring one action at once (released together by a barrier): exactly one sign-off may be
  accepted (302), the other is refused (the page again, 200, saying it is already assured); two
  accepted, or two ASSURED entries in the log, is a double sign-off, counted as an error;
- progress entries the leads log are checked like the owners' (every accepted token stored).
"""

import threading
from html.parser import HTMLParser

# Anything else an edit or assurance POST answers is an error.
EDIT_ACCEPTED, EDIT_REFUSED_STALE = 302, 409
ASSURE_ACCEPTED, ASSURE_REFUSED = 302, 200


class _Forms(HTMLParser):
    """Every <form> on a page as {field name: [values]}, as a browser would submit it unchanged."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[dict[str, list[str]]] = []
        self._form = None
        self._select = None
        self._select_first = None
        self._textarea = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self._form = {}
            self.forms.append(self._form)
        elif self._form is None:
            return
        elif tag == "input" and a.get("name"):
            kind = (a.get("type") or "text").lower()
            if kind in ("submit", "button", "file"):
                return
            if kind in ("checkbox", "radio") and "checked" not in a:
                return
            self._form.setdefault(a["name"], []).append(a.get("value", "on" if kind == "checkbox" else ""))
        elif tag == "select" and a.get("name"):
            self._select, self._select_first = a["name"], None
            self._form.setdefault(a["name"], [])
        elif tag == "option" and self._select:
            if self._select_first is None:
                self._select_first = a.get("value", "")
            if "selected" in a:
                self._form[self._select].append(a.get("value", ""))
        elif tag == "textarea" and a.get("name"):
            self._textarea = a["name"]
            self._form[self._textarea] = [""]

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select" and self._select:
            if not self._form[self._select] and self._select_first is not None:
                self._form[self._select].append(self._select_first)
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data):
        if self._textarea and self._form is not None:
            self._form[self._textarea][0] += data


def form_with(html: str, field: str) -> dict[str, list[str]] | None:
    parser = _Forms()
    parser.feed(html)
    return next((form for form in parser.forms if field in form), None)


def as_pairs(form: dict[str, list[str]]) -> list[tuple[str, str]]:
    return [(name, value) for name, values in form.items() for value in values]


def open_form(browser, what: str, path: str, field: str) -> dict[str, list[str]] | None:
    """GET `path` (timed as "contended: <what> form"): its form that has `field`, or None."""
    status, page, _ = browser.request(f"contended: {what} form", "GET", path)
    return form_with(page.decode(errors="replace"), field) if status == 200 else None


def post_form(browser, what: str, path: str, form: dict[str, list[str]], expect) -> int:
    """POST `form` to `path` (timed as "contended: <what> POST"): the status."""
    status, _, _ = browser.request(f"contended: {what} POST", "POST", path, form=as_pairs(form), expect=expect)
    return status


class Contention:
    """What the contended writers did, for the verdict and the check against the database."""

    def __init__(self, to_assure: list[str]):
        self.lock = threading.Lock()
        self.edits_accepted: dict[str, set[str]] = {}
        self.edits_refused_stale = 0
        self.assurances_accepted: dict[str, int] = {}
        self.assurances_refused = 0
        self.to_assure = list(to_assure)
        self.barrier = threading.Barrier(2)
        self.round = 0
        self.current = None


def lead_editor(lead, browser, contended, run_id, recorder, contention, clock, pause, rng):
    """Open an action's edit form, pause, and save a new title carrying a token; log progress on it too."""
    sequence = 0
    while clock.running():
        reference = rng.choice(contended)
        form = open_form(browser, "edit", f"/actions/{reference}/edit/", "version")
        pause()
        if form is None or not clock.running():
            continue
        sequence += 1
        token = f"LTE:{run_id}:{lead}:{sequence}"
        form["title"] = [f"Load test action {reference} {token}"]
        status = post_form(browser, "edit", f"/actions/{reference}/edit/", form, (EDIT_ACCEPTED, EDIT_REFUSED_STALE))
        with contention.lock:
            if status == EDIT_ACCEPTED:
                contention.edits_accepted.setdefault(reference, set()).add(token)
            elif status == EDIT_REFUSED_STALE:
                contention.edits_refused_stale += 1
        pause()
        # The lead logs progress on the same action, alongside its owner.
        form = open_form(browser, "progress", f"/actions/{reference}/progress/", "narrative")
        if form is None or not clock.running():
            continue
        entry = f"LT:{run_id}:{lead}:{sequence}"
        form.update(narrative=[f"{entry} Lead's note on the same action."], status=["on_track"])
        form["percent_complete"] = [str(rng.randint(1, 99))]
        status = post_form(browser, "progress", f"/actions/{reference}/progress/", form, 302)
        if status == 302:
            with recorder.lock:
                recorder.accepted[reference].add(entry)
        pause()


def lead_assurer(browser, contention, clock):
    """Both leads take the next complete action together, and POST its sign-off at the same instant."""
    while clock.running():
        with contention.lock:
            if not contention.to_assure:
                return
        try:
            contention.barrier.wait(timeout=30)
        except threading.BrokenBarrierError:
            return
        with contention.lock:
            # The first through the barrier picks this round's action; the second takes the same one.
            if contention.round % 2 == 0:
                contention.current = contention.to_assure.pop(0) if contention.to_assure else None
            contention.round += 1
            reference = contention.current
        if reference is None:
            return
        form = open_form(browser, "assure", f"/actions/{reference}/assure/", "csrfmiddlewaretoken")
        try:
            contention.barrier.wait(timeout=30)  # both forms open: now both POST
        except threading.BrokenBarrierError:
            return
        if form is None:
            continue
        status = post_form(browser, "assure", f"/actions/{reference}/assure/", form, (ASSURE_ACCEPTED, ASSURE_REFUSED))
        with contention.lock:
            if status == ASSURE_ACCEPTED:
                contention.assurances_accepted[reference] = contention.assurances_accepted.get(reference, 0) + 1
            elif status == ASSURE_REFUSED:
                contention.assurances_refused += 1


def check_database(run_id, contention) -> dict:
    """Every accepted edit is in its action's history; no action was signed off twice."""
    from actions.choices import Status
    from actions.models import Action, ProgressUpdate

    lost_edits = {}
    for reference, tokens in contention.edits_accepted.items():
        titles = set(Action.history.filter(reference=reference).values_list("title", flat=True))
        found = {token for token in tokens if any(title.endswith(token) for title in titles)}
        if tokens - found:
            lost_edits[reference] = sorted(tokens - found)
    assured_entries = {}
    for reference in contention.assurances_accepted:
        assured_entries[reference] = ProgressUpdate.objects.filter(
            action__reference=reference, status=Status.ASSURED
        ).count()
    double = sorted(
        reference
        for reference in set(contention.assurances_accepted) | set(assured_entries)
        if contention.assurances_accepted.get(reference, 0) > 1 or assured_entries.get(reference, 0) > 1
    )
    return {
        "edits_accepted": sum(len(t) for t in contention.edits_accepted.values()),
        "edits_refused_stale": contention.edits_refused_stale,
        "edits_lost": sum(len(t) for t in lost_edits.values()),
        "lost_edit_samples": dict(list(lost_edits.items())[:5]),
        "assurances_accepted": sum(contention.assurances_accepted.values()),
        "assurances_refused": contention.assurances_refused,
        "double_sign_offs": double,
    }
