"""The bs4 tree the parser reads: beautifulsoup4 over lxml, as `BeautifulSoup(html, "lxml")` builds it, minus
the work nothing downstream reads (issue 10: bs4's tree build was 73% of an analysis).

- Subtrees without visible text (`script`, `style`, `svg`, `template`, `noscript`) are not built: text.walk
  skips them anyway, and a saved page carries an icon `svg` in every card.
- `class` stays one string ("a b"), not a list: splitting every element's classes is among bs4's dearest
  steps, and only the few readers that ask for a class token split it (text.class_tokens).
- Attributes are copied once, not three times: lxml's HTML parser has no namespaces, so bs4's namespace
  bookkeeping has nothing to do.
- A comment still ends the text before it (the strings on either side stay two strings, as with bs4's own
  builder) but makes no Comment object.

The tree is still bs4's (`Tag`, `NavigableString`, `find_all`, `.parents`…); only its builder is leaner. The
builder is the lxml parser target interface (`start`, `end`, `data`, `comment`) bs4's own LXMLTreeBuilder
implements."""
from __future__ import annotations

from bs4 import BeautifulSoup
from bs4.builder._lxml import LXMLTreeBuilder

# Elements whose content a browser does not render as text (text.SKIP_TAGS holds these and more).
NOT_BUILT = frozenset({"script", "style", "svg", "template", "noscript"})


class _LeanBuilder(LXMLTreeBuilder):
    NAME = "aliwatch-lean-lxml"

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self._skipping = 0  # depth inside a subtree that is not built
        self._attrs = getattr(self, "attribute_dict_class", dict)  # bs4 >= 4.13; a plain dict before

    def _replace_cdata_list_attribute_values(self, tag_name, attrs):
        return attrs  # `class` stays a string (see the module's docstring)

    def start(self, tag, attrib, nsmap=None):
        if self._skipping or tag in NOT_BUILT:
            self._skipping += 1  # lxml's events are balanced: every start has its end
            return
        self.soup.handle_starttag(tag, None, None, self._attrs(attrib),
                                  namespaces=self.active_namespace_prefixes[-1])

    def end(self, tag):
        if self._skipping:
            self._skipping -= 1
            return
        self.soup.handle_endtag(tag, None)

    def data(self, data):
        if not self._skipping:
            self.soup.handle_data(data)

    def comment(self, text):
        if not self._skipping:
            self.soup.endData()


def make_soup(html: str) -> BeautifulSoup:
    """The document as the page readers need it (see the module's docstring)."""
    return BeautifulSoup(html, builder=_LeanBuilder())
