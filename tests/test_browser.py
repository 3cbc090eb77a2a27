"""The report and the documentation site, opened in a real headless browser (marker ``browser``).

Each test loads its page in Debian's Chromium through selenium, reads in the page itself what
a reader would see (every image decoded, the tables, the headings in order), checks that the
console logged no error, and keeps a screenshot in the test's temporary folder, whose pixels it
examines (a rendered page, not a blank or an error screen). Without Chromium, its driver or
selenium, the tests skip with their reason.
"""

import json
import os
import subprocess
import sys

import matplotlib.image
import pytest

from spikeneuron.lab.report import STORY_ORDER

from _browser import (
    assert_looks_like_a_page,
    chromium,
    console_errors,
    open_page,
    require_browser,
    screenshot,
    served,
)
from _site import site

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    with chromium(tmp_path_factory.mktemp("chromium-profile")) as driver:
        yield driver


@pytest.fixture(scope="module")
def quick_results(tmp_path_factory):
    """A folder written by ``spikeneuron run all --quick``, as a user would make it."""
    require_browser()  # skip before spending a minute on the experiments
    folder = tmp_path_factory.mktemp("quick") / "results"
    done = subprocess.run([sys.executable, "-m", "spikeneuron", "run", "all", "--quick",
                           "--out", str(folder)], capture_output=True, text=True, timeout=1200,
                          env=dict(os.environ, MPLBACKEND="Agg"))
    assert done.returncode == 0, done.stderr[-3000:]
    return folder


def _story(folder):
    """The experiments of ``folder`` in the report's order, each with its summary."""
    summaries = {path.parent.name: json.loads(path.read_text(encoding="utf-8"))
                 for path in folder.glob("*/summary.json")}
    order = [name for name in STORY_ORDER if name in summaries]
    order += sorted(name for name in summaries if name not in order)
    return [(name, summaries[name]) for name in order]


def test_the_report_of_a_quick_run_renders_every_figure_table_and_unit(browser, quick_results,
                                                                        tmp_path):
    page = open_page(browser, (quick_results / "report.html").as_uri())
    errors = console_errors(browser)
    pixels = screenshot(browser, tmp_path / "report.png")
    story = _story(quick_results)
    assert len(story) >= 11

    # the sections, in the order of the story
    assert [heading.split(":")[0] for heading in page["h2"]] == [name for name, _ in story]
    # every figure of every experiment, decoded, under its own section, in the summary's order
    figures = [(name, figure["caption"]) for name, summary in story
               for figure in summary["figures"]]
    shown = [(image["section"].split(":")[0], image["alt"]) for image in page["images"]]
    assert shown == figures
    for image in page["images"]:
        assert image["complete"] and image["naturalWidth"] > 0 and image["naturalHeight"] > 0, \
            f"figure not decoded in {image['section']}: {image['alt'][:60]}"
    # two tables per experiment (parameters, key numbers), and each unit beside its number
    key_tables = [table for table in page["tables"]
                  if table[0][:3] == ["key number", "value", "unit"]]
    assert len(key_tables) == len(story)
    shown_units = set()
    for (name, summary), table in zip(story, key_tables, strict=True):
        units = {row[0]: row[2] for row in table[1:]}
        for key, unit in summary.get("units", {}).items():
            if key in units:
                assert units[key] == unit, f"{name}: {key} shown in {units[key]!r}, not {unit!r}"
        shown_units |= set(units.values())
    assert {"mV", "ms", "Hz", "nA"} <= shown_units, shown_units
    assert sum(len(table) - 1 for table in page["tables"]) > 100
    assert "mV" in page["text"] and "Hz" in page["text"] and "ms" in page["text"]

    assert not errors, f"console errors: {errors}"
    assert_looks_like_a_page(pixels)
    # the first figure itself, on screen: a plot has many colours and plenty of ink
    first = browser.find_element("css selector", "figure img")
    browser.execute_script("arguments[0].scrollIntoView({block: 'center'})", first)
    assert first.screenshot(str(tmp_path / "report-first-figure.png"))
    assert_looks_like_a_page(matplotlib.image.imread(tmp_path / "report-first-figure.png")[..., :3],
                             min_ink=0.03, min_colours=100)


@pytest.fixture(scope="module")
def site_url(tmp_path_factory):
    require_browser()  # skip before spending minutes on building the site
    with served(site(tmp_path_factory)) as url:
        yield url


# One page of each kind: the front page, an executed tutorial, an API page.
SITE_PAGES = {
    "index": ("index.html", "A neuron is a logistic regression that spikes", 1),
    "tutorial": ("tutorials/02_from_spike_to_sigmoid.html", "From the all-or-none spike", 3),
    "api": ("generated/api/spikeneuron.simulate.html", "spikeneuron.simulate", 0),
}


@pytest.mark.parametrize("kind", SITE_PAGES)
def test_site_pages_render_with_their_images(browser, site_url, kind, tmp_path):
    path, words, min_images = SITE_PAGES[kind]
    page = open_page(browser, site_url + path)
    errors = console_errors(browser)
    pixels = screenshot(browser, tmp_path / f"{kind}.png")
    assert words in page["text"], f"{path} does not say {words!r}"
    content = [image for image in page["images"] if "/_static/" not in image["src"]]
    assert len(content) >= min_images, f"{path}: {len(content)} figures, {min_images} expected"
    for image in page["images"]:
        assert image["complete"] and image["naturalWidth"] > 0, f"{path}: {image['src']} blank"
    if kind == "api":
        assert "Parameters" in page["text"] and "Returns" in page["text"]
        assert "mV" in page["text"]
    assert "404" not in page["title"] and "rror" not in page["title"]
    assert not errors, f"console errors on {path}: {errors}"
    assert_looks_like_a_page(pixels)
    if content:  # the first figure itself, on screen: a plot, not an empty frame
        figure = browser.execute_script("return document.images[arguments[0]]",
                                        content[0]["index"])
        browser.execute_script("arguments[0].scrollIntoView({block: 'center'})", figure)
        shot = tmp_path / f"{kind}-first-figure.png"
        assert figure.screenshot(str(shot))
        assert_looks_like_a_page(matplotlib.image.imread(shot)[..., :3], min_ink=0.03,
                                 min_colours=100)
