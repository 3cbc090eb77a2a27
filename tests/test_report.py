"""The report: story order, units and meanings from the declarations, sensible rounding,
wall_s last, and a self-contained report.html that parses."""

import base64
import json
from html.parser import HTMLParser

import pytest

from spikeneuron.lab.report import STORY_ORDER, format_value, report_text, write_report

PNG = base64.b64decode("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==")  # noqa: E501


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


# --- a folder that holds more than one run -----------------------------------------------

def _write(folder, name, **changes):
    summary = _summary(name.split("/")[0] if "/" not in name else name, count=1)
    summary.update(changes)
    (folder / name).mkdir()
    (folder / name / "summary.json").write_text(json.dumps(summary))
    (folder / name / "figure.png").write_bytes(PNG)
    return summary


def test_one_run_is_stated_once_at_the_top(folder):
    text = report_text(json.loads(json.dumps({p.parent.name: json.loads(p.read_text())
                                              for p in folder.glob("*/summary.json")})))
    top = text[:text.index("## ")]
    assert "All 5 experiments below ran with the same settings: seed 7, quick sizes" in top
    assert "different runs" not in text and "## Run " not in text


def test_runs_with_other_seeds_sizes_or_versions_are_announced_and_kept_apart(tmp_path):
    _write(tmp_path, "cuba", seed=7, quick=True)
    _write(tmp_path, "fi-curve", seed=7, quick=True)
    _write(tmp_path, "all-or-none", seed=3, quick=True)
    _write(tmp_path, "dendritic-summation", seed=7, quick=False)
    _write(tmp_path, "propagation", seed=7, quick=True, versions={"spikeneuron": "0.0.9"})
    text = write_report(tmp_path).read_text()
    # the warning comes first, before the introduction, and lists each run with its experiments
    warning = text[:text.index("A neuron is a logistic regression")]
    assert "**This folder holds 4 different runs" in warning
    assert "compare numbers within one run only" in warning
    assert "Run 2: seed 7, quick sizes, spikeneuron version not recorded: fi-curve, cuba." in warning
    assert "seed 3, quick sizes" in warning and "seed 7, full sizes" in warning
    assert "spikeneuron 0.0.9: propagation." in warning
    # one part per run, in the order of their first experiment in the story; each experiment
    # sits under its own run's heading, never under another's
    runs = text.split("\n## Run ")[1:]
    assert [part.splitlines()[0] for part in runs] == [
        "1: seed 7, full sizes, spikeneuron version not recorded",
        "2: seed 7, quick sizes, spikeneuron version not recorded",
        "3: seed 3, quick sizes, spikeneuron version not recorded",
        "4: seed 7, quick sizes, spikeneuron 0.0.9"]
    experiments = [[line[4:].split(":")[0] for line in part.splitlines() if line.startswith("### ")]
                   for part in runs]
    assert experiments == [["dendritic-summation"], ["fi-curve", "cuba"], ["all-or-none"],
                           ["propagation"]]
    # the same in HTML: a visible note, runs as h2, their experiments as h3 inside them
    page = _Page()
    page.feed((tmp_path / "report.html").read_text(encoding="utf-8"))
    page.close()
    assert page.open == [] and page.scripts == 0
    assert [h.split(":")[0] for h in page.h2] == ["Run 1", "Run 2", "Run 3", "Run 4"]
    html_text = (tmp_path / "report.html").read_text(encoding="utf-8")
    assert html_text.index('class="runs"') < html_text.index("A neuron is a logistic")
    assert html_text.index('id="run-2"') < html_text.index("<h3>fi-curve:") \
        < html_text.index("<h3>cuba:") < html_text.index('id="run-3"')


def test_runs_that_differ_only_in_numpy_are_told_apart_by_their_versions(tmp_path):
    versions = {"spikeneuron": "0.1.0", "numpy": "2.0.0", "scipy": "1.14.1", "python": "3.11.7"}
    _write(tmp_path, "cuba", versions=versions)
    _write(tmp_path, "fi-curve", versions=dict(versions, numpy="2.1.3"))
    text = report_text({name: json.loads((tmp_path / name / "summary.json").read_text())
                        for name in ("cuba", "fi-curve")})
    assert "holds 2 different runs" in text
    assert "## Run 1: seed 7, quick sizes, spikeneuron 0.1.0 (numpy 2.1.3, scipy 1.14.1, " \
           "Python 3.11.7)" in text
    assert "## Run 2: seed 7, quick sizes, spikeneuron 0.1.0 (numpy 2.0.0, scipy 1.14.1, " \
           "Python 3.11.7)" in text


def test_parameters_changed_from_the_defaults_are_named_at_the_top_and_in_the_section(tmp_path):
    from spikeneuron.lab.experiment import load_experiment

    defaults = {p.name: list(p.default) if p.is_list else p.default
                for p in load_experiment("fi-curve").PARAMETERS}
    quick = dict(defaults, duration=500.0, n_currents=41)
    _write(tmp_path, "fi-curve", parameters=dict(quick, tau_m=20.0), source="")  # --set tau_m=20
    _write(tmp_path, "fi-curve-full", experiment="fi-curve", quick=False, parameters=quick)
    text = write_report(tmp_path).read_text()
    assert "Changed from the defaults: fi-curve (tau_m = 20 ms); fi-curve (duration = 500 ms, " \
           "n_currents = 41)." in text
    quick_section = text[text.index("### fi-curve: title of fi-curve\n"):]
    assert "Seed 7, quick sizes; changed from the defaults: tau_m = 20 ms;" in quick_section
    # a copied folder is named in its heading, and its HTML section keeps its own anchor
    assert "### fi-curve: title of fi-curve-full (folder fi-curve-full)" in text
    html_text = (tmp_path / "report.html").read_text(encoding="utf-8")
    assert 'id="fi-curve"' in html_text and 'id="fi-curve-full"' in html_text


def test_all_defaults_are_said_only_when_every_experiment_could_be_checked(tmp_path):
    _write(tmp_path, "cuba", parameters={})
    assert "Every parameter has its default value" in write_report(tmp_path).read_text()
    _write(tmp_path, "gone", source=str(tmp_path / "no-such-file.py"))
    text = write_report(tmp_path).read_text()
    assert "Every parameter has its default value" not in text
    assert "All 2 experiments below ran with the same settings" in text


def _sweep_folder(folder, rows):
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "sweep.json").write_text(json.dumps({
        "experiment": "fi-curve", "grid": {"tau_m": [5.0, 10.0]}, "repeats": 1, "seed": 3,
        "quick": True, "fixed": {}, "status": {}, "rows": rows}))
    (folder / "sweep.png").write_bytes(PNG)
    return folder


def test_a_sweep_folder_is_reported_with_its_grid_table_and_figure(tmp_path):
    rows = [{"point": 0, "repeat": 0, "seed": 1, "tau_m": 5.0, "status": "done", "error": "",
             "max_abs_isi_error_ms": 0.0912, "folder": "runs/p0000-r000"},
            {"point": 1, "repeat": 0, "seed": 2, "tau_m": 10.0, "status": "failed",
             "error": "RuntimeError: no", "folder": "runs/p0001-r000"}]
    folder = _sweep_folder(tmp_path / "s", rows)
    text = write_report(folder).read_text()
    assert "## Sweep of fi-curve over tau_m" in text
    assert "1 of 2 runs done, 1 failed; grid: tau_m = [5, 10]; 1 repeat(s), root seed 3" in text
    assert "| 0 | 0 | 5 | done | 0.0912 |" in text and "RuntimeError: no" in text
    assert "![Sweep of fi-curve over tau_m](sweep.png)" in text
    page = (folder / "report.html").read_text()
    assert "data:image/png;base64," + base64.b64encode(PNG).decode() in page
    # a results folder holding a sweep in a sub-folder shows it too, with that folder named
    assert "(folder s)" in write_report(tmp_path).read_text()


def test_a_folder_with_nothing_in_it_says_so(tmp_path):
    from spikeneuron import ValidationError

    with pytest.raises(ValidationError, match="found nothing to report"):
        write_report(tmp_path)
    (tmp_path / "junk.txt").write_text("not a result")
    with pytest.raises(ValidationError, match="found nothing to report"):
        write_report(tmp_path)


def test_an_unreadable_summary_is_named_in_the_report_and_warned_about(folder):
    from spikeneuron.lab.report import UnreadableResultWarning

    (folder / "broken").mkdir()
    (folder / "broken" / "summary.json").write_text('{"experiment": "x", "n": NaN')  # cut short
    (folder / "alien").mkdir()
    (folder / "alien" / "summary.json").write_text('{"rows": []}')  # JSON, not a summary
    with pytest.warns(UnreadableResultWarning) as caught:
        text = write_report(folder).read_text()
    assert len(caught) == 2
    assert "## Unreadable results" in text
    assert "broken/summary.json` : JSONDecodeError".replace(" :", ":") in text
    assert "alien/summary.json`: not written by spikeneuron (no 'experiment' entry)" in text
    assert "Unreadable results" in (folder / "report.html").read_text()
    assert "## fi-curve" in text  # the readable ones are all there


def test_a_number_that_was_not_finite_is_shown_as_what_it_was(tmp_path):
    from spikeneuron._io import write_json_atomic

    (tmp_path / "fi-curve").mkdir()
    write_json_atomic(tmp_path / "fi-curve" / "summary.json",
                      _summary("fi-curve", max_abs_isi_error_ms=float("inf")))
    text = write_report(tmp_path).read_text().replace("\\|", "|")
    assert "| max_abs_isi_error_ms | inf (null in summary.json) | ms |" in text


def test_values_given_one_per_label_become_a_table_of_their_own(tmp_path):
    """firing-patterns lists 13 cells and one value per cell for each key number: the report
    shows them as a table by cell (units in the header), not as '13 entries'."""
    from spikeneuron.lab.experiment import bundled_experiments

    module = bundled_experiments()["firing-patterns"]
    cells = [f"cell {i}" for i in range(8)]
    numbers = {"cells": cells, "spike_count": list(range(8)), "first_isi_ms": [None] + [2.5] * 7,
               "worst_error_ms": 1e-6}
    summary = {**_summary("firing-patterns", **numbers), "source": str(module.__file__)}
    (tmp_path / "firing-patterns").mkdir()
    (tmp_path / "firing-patterns" / "summary.json").write_text(json.dumps(summary))
    (tmp_path / "firing-patterns" / "figure.png").write_bytes(PNG)
    text = write_report(tmp_path).read_text()
    table = text[text.index("By cells:"):]
    assert "| cells | spike_count | first_isi_ms (ms) |" in table
    assert "| cell 0 | 0 | - |" in table and "| cell 7 | 7 | 2.5 |" in table
    assert "| first_isi_ms | 8 values, by cells in the table below | ms |" in text
    assert "| worst_error_ms | 1e-6 | ms |" in text  # a single number stays in the key numbers
    html_text = (tmp_path / "report.html").read_text()
    assert "<h3>By cells</h3>" in html_text and "<td>cell 7</td><td>7</td><td>2.5</td>" in html_text
    # six labels or fewer are written out in one cell, as before
    short = {**summary, "cells": cells[:6], "spike_count": list(range(6)), "first_isi_ms": [1.0] * 6}
    (tmp_path / "firing-patterns" / "summary.json").write_text(json.dumps(short))
    text = write_report(tmp_path).read_text()
    assert "By cells:" not in text and "| spike_count | [0, 1, 2, 3, 4, 5] |" in text


def test_the_conductance_benchmarks_follow_cuba():
    assert STORY_ORDER[-3:] == ("cuba", "coba", "cobahh")
