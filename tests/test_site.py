"""The documentation site: every page it promises is there, and no internal link is broken.

The site is built with ``-W`` (warnings are errors), which already fails on a docstring that
numpydoc cannot parse, a cross-reference to a name that is not documented, or a tutorial cell
that raises; these tests read the built HTML for what the build cannot check itself.
"""

import html.parser
from urllib.parse import unquote, urlsplit

import pytest

import spikeneuron
from spikeneuron.lab import bundled_experiments

from _site import ROOT, site

pytestmark = pytest.mark.slow


@pytest.fixture(scope="session")
def built(tmp_path_factory):
    return site(tmp_path_factory)


class _Links(html.parser.HTMLParser):
    """The ids a page defines and the links (href, src) it makes."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.ids, self.links = set(), []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        for key in ("id", "name"):
            if attrs.get(key) and (key == "id" or tag == "a"):
                self.ids.add(attrs[key])
        for key in ("href", "src"):
            if attrs.get(key) is not None:
                self.links.append((tag, attrs[key]))


def _parse(path):
    page = _Links()
    page.feed(path.read_text(encoding="utf-8"))
    return page


def expected_pages():
    """Every page the site promises, as paths relative to its root."""
    pages = ["index.html", "getting_started.html", "concepts.html", "tutorials.html",
             "models.html", "performance.html", "changelog.html", "generated/cli.html",
             "generated/api/index.html", "generated/gallery/index.html"]
    pages += [f"tutorials/{path.stem}.html"
              for path in sorted((ROOT / "docs" / "tutorials").glob("[0-9]*.py"))]
    pages += [f"generated/gallery/{name}.html" for name in bundled_experiments()]
    pages += [f"generated/api/spikeneuron.{name}.html" for name in spikeneuron.__all__
              if not name.startswith("_")]
    return pages


def test_every_promised_page_is_there(built):
    missing = [page for page in expected_pages() if not (built / page).is_file()]
    assert not missing, f"pages missing from the site: {missing}"


def test_every_internal_link_and_anchor_resolves(built):
    """Every relative href and src of every page points at a file of the site, and every
    #fragment at an id of its target page (no network: external links are not followed)."""
    pages = {path: _parse(path) for path in built.rglob("*.html")
             if "_static" not in path.relative_to(built).parts}  # the theme's templates
    broken, checked = [], 0
    for path, page in pages.items():
        for tag, link in page.links:
            parts = urlsplit(link)
            if parts.scheme or parts.netloc or link.startswith(("mailto:", "javascript:")):
                continue
            target = (path.parent / unquote(parts.path)).resolve() if parts.path else path
            if target.is_dir():
                target = target / "index.html"
            checked += 1
            if not target.is_file():
                broken.append(f"{path.relative_to(built)}: <{tag}> {link} (no such file)")
            elif parts.fragment and target.suffix == ".html":
                ids = pages[target].ids if target in pages else _parse(target).ids
                if unquote(parts.fragment) not in ids:
                    broken.append(f"{path.relative_to(built)}: <{tag}> {link} (no such anchor)")
    assert checked > 1000  # the site links to itself a great deal: this test read it
    assert not broken, "\n".join(broken[:50])


def test_api_pages_render_the_numpydoc_sections_with_units(built):
    text = (built / "generated/api/spikeneuron.simulate.html").read_text(encoding="utf-8")
    for section in ("Parameters", "Returns", "Raises"):
        assert f">{section}<" in text, f"no {section} section on simulate's page"
    assert "ms" in text and "mV" in text
    lif = (built / "generated/api/spikeneuron.LIF.html").read_text(encoding="utf-8")
    assert "tau_m" in lif and ">Parameters<" in lif


def test_tutorial_pages_show_the_outputs_of_their_cells(built):
    for page in [p for p in expected_pages() if p.startswith("tutorials/")]:
        text = (built / page).read_text(encoding="utf-8")
        images = [link for tag, link in _parse(built / page).links if tag == "img"]
        assert images, f"{page} shows no figure"
        assert "cell_output" in text, f"{page} has no cell output: were the cells executed?"
        assert "Traceback" not in text, f"{page} shows a traceback"


def test_gallery_pages_show_each_experiments_figures_and_key_numbers(built):
    for name, module in bundled_experiments().items():
        page = built / f"generated/gallery/{name}.html"
        images = [link for tag, link in _parse(page).links if tag == "img"]
        text = page.read_text(encoding="utf-8")
        assert images, f"the gallery page of {name} shows no figure"
        assert "Key numbers" in text
        for key in getattr(module, "KEY_NUMBERS", ())[:3]:
            assert key.name in text, f"{name}: key number {key.name} missing"
