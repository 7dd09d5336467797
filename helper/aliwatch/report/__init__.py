"""The anonymiser behind `aliwatch report` (commands/report.py) and the host's `report` request: a copy of a
saved AliExpress page without its personal data, for bug reports.

The copy keeps the page byte for byte except where personal data sits. Names, phones, addresses, e-mails,
tracking numbers and long ids are replaced by fakes of the same shape (letters by letters of the same
script, digits by digits, length kept), the same value by the same fake everywhere (text, links,
attributes, comments), so order ids still match their links and the page analyses the same. Script bodies
are dropped (they can hold session tokens); styles, store names, product titles and AliExpress's own
wording are kept.

The page is read by a small tokenizer and never re-serialised by a parser, so nothing but personal data
changes. Where personal data sits is read by meaning from a light tree built on those tokens: contact and
address blocks (`data-pl="contact_info"`…), the value after a personal label ("Contact Name:", "Телефон",
"Zip code" in a `<dt>`), tracking-number columns, the header greeting; plus patterns anywhere (e-mails,
`+` phone numbers, masked names like `A***`, runs of 9+ digits).

The package, one job each: personal.py (what is personal), tokens.py (the page as tokens and a light tree),
reader.py (where personal data sits), fakes.py (fakes of the same shape), anonymiser.py (the whole page),
taught.py (the comment naming the words the user taught that the page was read with)."""
from __future__ import annotations

from aliwatch.report.anonymiser import Anonymiser, Stats, anonymise
from aliwatch.report.taught import TAUGHT_MARK, taught_words, with_taught_words

__all__ = ["Anonymiser", "Stats", "anonymise", "TAUGHT_MARK", "taught_words", "with_taught_words"]
