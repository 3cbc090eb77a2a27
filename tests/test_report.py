"""The report: story order, units and meanings from the declarations, sensible rounding,
wall_s last, and a self-contained report.html that parses."""

import base64
import json
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest

from spikeneuron.report import STORY_ORDER, format_value, report_text, write_report

PNG = base64.b64decode("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==")


def _summary(name, **numbers):
    return {"experiment": name, "title": f"title of {name}", "description": f"about {name}",
            "seed": 7, "quick": True, "parameters": {"dt": 0.1, "duration": 500.0},
            **numbers, "figures": [{"file": "figure.png", "caption": f"caption <of> {name}"}],
            "units": {}, "source": "", "versions": {}, "command": f"spikeneuron run {name}",
            "wall_s": 1.234567}


@pytest.fixture
def folder(tmp_path):
    names = ["cuba", "my-own", "fi-curve", "dendritic-summation", "all-or-none"]
    for name in names:
        (tmp_path / name).mkdir()
        numbers = {"max_abs_isi_error_ms": 0.30000000000000004,
                   "max_abs_isi_error_vs_grid_period_ms": 8.8e-16,
                   "rate_hz": list(range(40))} if name == "fi-curve" else {"count": 3}
        (tmp_path / name / "summary.json").write_text(json.dumps(_summary(name, **numbers)))
        (tmp_path / name / "figure.png").write_bytes(PNG)
    return tmp_path


def test_sections_follow_the_story_with_unknown_experiments_last(folder):
    text = report_text(json.loads(json.dumps({p.parent.name: json.loads(p.read_text())
                                              for p in folder.glob("*/summary.json")})))
    positions = [text.index(f"## {name}:") for name in
                 ("dendritic-summation", "fi-curve", "all-or-none", "cuba", "my-own")]
    assert positions == sorted(positions)
    assert STORY_ORDER.index("logistic-vs-spiking") < STORY_ORDER.index("weight-recovery") \
        < STORY_ORDER.index("action-potential")


def test_key_numbers_carry_units_and_meanings_from_the_declarations(folder):
    text = (write_report(folder)).read_text()
    fi = text[text.index("## fi-curve:"):text.index("## all-or-none:")]
    # fi-curve's KEY_NUMBERS, read from the bundled module, give unit and meaning
    assert "| `max_abs_isi_error_ms` |" not in fi  # no raw keys in code spans needed
    assert "| max_abs_isi_error_ms | 0.3 | ms | largest |" in fi.replace("\\|", "|")
    assert "| max_abs_isi_error_vs_grid_period_ms | ≈ 0 (round-off) | ms |" in fi
    assert "40 values, 0 to 39" in fi
    assert "**What to look at.**" in fi
    assert "| dt | 0.1 | ms |" in fi  # parameters with their units
    assert "Seed 7" in fi
    # wall_s comes last in a section, after the figures
    assert fi.index("Run time: 1.235 s") > fi.index("![caption")
    assert "0.30000000000000004" not in text and "8.8e-16" not in text
    # entries the experiment does not declare are named, not dumped
    cuba = text[text.index("## cuba:"):]
    assert "entries the experiment does not describe): `count`" in cuba
    assert "| count |" not in cuba


def test_units_fall_back_to_the_summary_when_the_module_is_gone(folder):
    summary = _summary("gone-experiment", speed=2.5)
    summary["units"] = {"speed": "m/s"}
    summary["source"] = str(folder / "no-such-file.py")
    text = report_text({"gone-experiment": summary})
    assert "| speed | 2.5 | m/s |" in text


@pytest.mark.parametrize("value, shown", [
    (0.0, "0"), (8.8e-16, "≈ 0 (round-off)"), (0.30000000000000004, "0.3"), (123456.0, "1.235e5"),
    (True, "true"), ([1.0, 2.5], "[1, 2.5]"), (12, "12"),
])
def test_format_value(value, shown):
    assert format_value(value) == shown


class _Page(HTMLParser):
    VOID = {"meta", "img", "br", "hr", "link", "input"}

    def __init__(self):
        super().__init__()
        self.open, self.images, self.scripts, self.h2, self.text = [], [], 0, [], []
        self._in_h2 = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "script" or any(name.startswith("on") for name in attrs):
            self.scripts += 1
        if tag == "img":
            self.images.append(attrs)
        if tag == "h2":
            self._in_h2 = True
            self.h2.append("")
        if tag not in self.VOID:
            self.open.append(tag)

    def handle_endtag(self, tag):
        assert self.open and self.open[-1] == tag, f"</{tag}> closes <{self.open[-1:]}>"
        self.open.pop()
        self._in_h2 = self._in_h2 and tag != "h2"

    def handle_data(self, data):
        self.text.append(data)
        if self._in_h2:
            self.h2[-1] += data


def test_report_html_is_self_contained_well_formed_and_in_story_order(folder):
    write_report(folder, failed=["broken"])
    page = _Page()
    page.feed((folder / "report.html").read_text(encoding="utf-8"))
    page.close()
    assert page.open == []  # every element closed, properly nested
    assert page.scripts == 0
    assert [h.split(":")[0] for h in page.h2] == ["dendritic-summation", "fi-curve", "all-or-none",
                                                  "cuba", "my-own", "Failed"]
    assert len(page.images) == 5
    for image in page.images:
        assert image["src"].startswith("data:image/png;base64,")
        assert base64.b64decode(image["src"].split(",", 1)[1]) == PNG
        assert image["alt"].startswith("caption <of> ")  # escaped in the file, intact when parsed
    assert "caption <of> cuba" in "".join(page.text)


@pytest.mark.skipif(not Path("/usr/bin/chromium").exists(), reason="no headless chromium here")
def test_report_html_renders_in_a_headless_browser(folder, tmp_path):
    write_report(folder)
    shot = tmp_path / "shot.png"
    subprocess.run(["/usr/bin/chromium", "--headless", "--no-sandbox", "--disable-gpu",
                    f"--screenshot={shot}", (folder / "report.html").as_uri()],
                   check=True, timeout=60, capture_output=True)
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
