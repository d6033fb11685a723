"""A small HTML checker for the basic rules a validator would catch on our pages: balanced elements,
unique ids, labels and ARIA references that point at something, one h1, no inline style or script.
"""

from html.parser import HTMLParser

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
# Elements whose end tag HTML lets one leave out; our templates close them, but a checker must not insist.
OPTIONAL_END = {"p", "li", "dt", "dd", "option", "tr", "td", "th", "thead", "tbody"}


class _Checker(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.ids: dict[str, int] = {}
        self.references: list[tuple[str, str]] = []
        self.problems: list[str] = []
        self.h1 = 0
        self.has_lang = False
        self.title_text = ""
        self._in_title = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "html" and attrs.get("lang"):
            self.has_lang = True
        if tag == "h1":
            self.h1 += 1
        if tag == "title":
            self._in_title = True
        if "style" in attrs:
            self.problems.append(f"inline style on <{tag}>")
        if tag == "script" and not attrs.get("src"):
            self.problems.append("inline <script>")
        if any(name.startswith("on") for name in attrs):
            self.problems.append(f"inline event handler on <{tag}>")
        if attrs.get("id"):
            self.ids[attrs["id"]] = self.ids.get(attrs["id"], 0) + 1
        if tag == "label" and attrs.get("for"):
            self.references.append(("label for", attrs["for"]))
        for name in ("aria-describedby", "aria-labelledby"):
            for target in (attrs.get(name) or "").split():
                self.references.append((name, target))
        if tag == "form" and attrs.get("action") == "":
            self.problems.append("empty action on <form> (leave it out to post to this page)")
        if tag in ("button", "input", "select", "textarea") and attrs.get("name") == "":
            self.problems.append(f"empty name on <{tag}>")
        if tag not in VOID:
            self.stack.append(tag)

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in VOID:
            self.stack.pop()

    def handle_endtag(self, tag):
        if tag == "title":
            self._in_title = False
        if tag in VOID:
            return
        while self.stack and self.stack[-1] != tag and self.stack[-1] in OPTIONAL_END:
            self.stack.pop()
        if not self.stack or self.stack[-1] != tag:
            self.problems.append(f"</{tag}> does not close an open <{tag}> (open: {self.stack[-3:]})")
            return
        self.stack.pop()

    def handle_data(self, data):
        if self._in_title:
            self.title_text += data


def html_problems(content: bytes | str) -> list[str]:
    text = content.decode() if isinstance(content, bytes) else content
    checker = _Checker()
    checker.feed(text)
    checker.close()
    problems = list(checker.problems)
    leftover = [tag for tag in checker.stack if tag not in OPTIONAL_END]
    if leftover:
        problems.append(f"unclosed elements: {leftover}")
    problems += [f"duplicate id {name!r}" for name, count in checker.ids.items() if count > 1]
    problems += [
        f"{kind} points at missing id {target!r}" for kind, target in checker.references if target not in checker.ids
    ]
    if checker.h1 != 1:
        problems.append(f"{checker.h1} <h1> elements (want one)")
    if not checker.has_lang:
        problems.append("<html> has no lang")
    if not checker.title_text.strip():
        problems.append("empty <title>")
    return problems
