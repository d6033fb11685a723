"""Text that every output can carry: the one definition of which characters are cleaned out of input.

XML 1.0 (the Atom feed, and the XML inside spreadsheets and PDFs) cannot carry most C0 control
characters, U+FFFE, U+FFFF or a lone surrogate: one vertical tab in a published narrative made the feed
a 500 for everyone. Input is cleaned where it enters (secamb_journey.middleware.CleanTextInputMiddleware
for every form and the admin, the importer for spreadsheets), and the feed and open data clean what they
write too, for anything stored before or by a path that bypassed both.
"""

import re

from django.utils.feedgenerator import Atom1Feed

# Vertical tab (Word's Shift+Enter) and form feed separate lines: they become a line break.
_LINE_BREAKS = re.compile("[\x0b\x0c]")
# Every other character XML 1.0 cannot carry: C0 controls but tab, line feed and carriage return;
# surrogates (only ever lone in a Python string); and the two non-characters U+FFFE and U+FFFF.
_NOT_XML = re.compile("[\x00-\x08\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def clean_text(value: str) -> str:
    """`value` with line-separating controls as line breaks and everything else XML cannot carry removed."""
    if not value:
        return value
    return _NOT_XML.sub("", _LINE_BREAKS.sub("\n", value))


def clean_value(value):
    """clean_text for a string; anything else as it is (so it can be mapped over a feed item's fields)."""
    return clean_text(value) if isinstance(value, str) else value


class XmlSafeAtom1Feed(Atom1Feed):
    """Atom that survives whatever is stored: each item's text is cleaned as it is added."""

    def add_item(self, title, link, description, **kwargs):
        kwargs = {name: clean_value(value) for name, value in kwargs.items()}
        return super().add_item(clean_value(title), clean_value(link), clean_value(description), **kwargs)
