"""The gallery of a results folder: ``report.md`` and ``report.html`` rebuilt from its summaries.

The report is built from whatever ``DIR/*/summary.json`` the folder holds, so running one
experiment refreshes it and ``spikeneuron report DIR`` rebuilds it at any time. It reads like
a lesson: the experiments in the order of the story (:data:`STORY_ORDER`), each with a short
paragraph of what to look at (the experiment's ``LESSON``), its seed and parameters, its key
numbers with units and one-line meanings (its ``KEY_NUMBERS``), its figures, and last its run
time. Units and meanings come from the experiment's own declarations; when its module can no
longer be loaded, the units saved in the summary are used.

A folder may hold experiments run at different times with different settings; their numbers
must not be read as one run. The report says at the top which settings its experiments ran
with (seed, quick or full sizes, versions) and which parameters were changed from the
defaults; when the folder holds more than one run, it says so before anything else and groups
the sections by run, each under its own heading.

``report.html`` is self-contained: the figures are embedded as base64 PNG, there is no
JavaScript, and it reads offline in any browser.
"""

import base64
import html
import json
import math
import warnings
from pathlib import Path

from .. import _validation as check
from .._io import write_text_atomic
from ..exceptions import ValidationError

__all__ = ["write_report", "read_summaries", "read_sweeps", "report_text", "report_html",
           "STORY_ORDER", "format_value", "UnreadableResultWarning"]


class UnreadableResultWarning(UserWarning):
    """A ``summary.json`` or ``sweep.json`` that cannot be read: it is named in the report."""

#: The order of the story: a neuron sums signed inputs and fires; its rate rises with its
#: drive; with noise the spike probability is a logistic sigmoid, so a logistic neuron and a
#: spiking one decide alike (and weights can be learnt); then the biophysics of the spike
#: (Hodgkin–Huxley) and neurons in networks. Experiments not listed follow, by name. (deep-twin: a
#: trained network of logistic neurons and its spiking twin, after the learners; the benchmark
#: networks with conductance synapses, coba and cobahh, after cuba.)
STORY_ORDER = ("dendritic-summation", "fi-curve", "sigmoid-bridge", "rate-sigmoid",
               "logistic-vs-spiking", "weight-recovery", "tempotron", "deep-twin",
               "action-potential", "all-or-none", "firing-patterns", "propagation", "cuba",
               "coba", "cobahh")

# Entries of a summary that are not key numbers: shown elsewhere in a section, or not at all.
_NOT_NUMBERS = {"experiment", "title", "description", "seed", "quick", "figures", "parameters",
                "units", "source", "versions", "command", "wall_s", "not_finite"}

# Below this magnitude a number is float round-off around zero (e.g. 8.8e-16).
_ROUND_OFF = 1e-12


def read_summaries(folder, unreadable=None):
    """The summaries in ``folder/*/summary.json`` by folder name.

    One that cannot be read (not JSON, not a summary) is left out with an
    :class:`UnreadableResultWarning` naming it, and ``(path, reason)`` is appended to the list
    ``unreadable`` when one is given.
    """
    found = {}
    for path in sorted(Path(folder).glob("*/summary.json")):
        summary = _read_json(path, "experiment", unreadable)
        if summary is not None:
            found[path.parent.name] = summary
    return found


def read_sweeps(folder, unreadable=None):
    """The sweeps in ``folder/sweep.json`` (the folder is a sweep) and ``folder/*/sweep.json``,
    by folder name relative to ``folder`` ("." for the folder itself); unreadable ones as for
    :func:`read_summaries`."""
    folder = Path(folder)
    found = {}
    for path in [folder / "sweep.json", *sorted(folder.glob("*/sweep.json"))]:
        if path.exists():
            sweep = _read_json(path, "rows", unreadable)
            if sweep is not None and isinstance(sweep.get("rows"), list):
                found["." if path.parent == folder else path.parent.name] = sweep
    return found


def _read_json(path, needed, unreadable):
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        reason = None if isinstance(data, dict) and needed in data else \
            f"not written by spikeneuron (no {needed!r} entry)"
    except (OSError, ValueError) as error:
        data, reason = None, f"{type(error).__name__}: {error}"
    if reason is None:
        return data
    warnings.warn(f"{path}: cannot be read, left out of the report ({reason})",
                  UnreadableResultWarning, stacklevel=3)
    if unreadable is not None:
        unreadable.append((str(path), reason))
    return None


def format_value(value):
    """A key number as a reader would quote it: 4 significant digits, round-off shown as 0.

    Lists of up to 6 numbers are written out; longer ones are summarised by their length and
    range. Booleans and strings are written as they are.
    """
    if isinstance(value, bool) or value is None:
        return str(value).lower() if isinstance(value, bool) else "-"
    if isinstance(value, float):
        if not math.isfinite(value):
            return str(value)
        if abs(value) < _ROUND_OFF:
            return "0" if value == 0 else "≈ 0 (round-off)"
        text = f"{value:.4g}"
        return text.replace("e+0", "e").replace("e-0", "e-")
    if isinstance(value, list):
        if not value:
            return "none"
        if len(value) <= 6 and all(isinstance(v, (int, float, str, bool)) for v in value):
            return "[" + ", ".join(format_value(v) for v in value) + "]"
        numbers = [v for v in value if isinstance(v, (int, float)) and not isinstance(v, bool)]
        if len(numbers) == len(value):
            return (f"{len(value)} values, {format_value(float(min(numbers)))} to "
                    f"{format_value(float(max(numbers)))} (all in summary.json)")
        return f"{len(value)} entries (in summary.json)"
    return str(value)


def _declarations(summary):
    """The experiment's module, if it can still be loaded (for LESSON, units and meanings)."""
    from .experiment import load_experiment

    for where in (summary.get("source"), summary.get("experiment")):
        if not where:
            continue
        try:
            return load_experiment(where)
        except Exception:  # a moved or broken file: fall back to what the summary says
            continue
    return None


def _rows(summary, module):
    """(key, value, unit, meaning) for every declared key number (nested tables become
    ``a.b`` rows), and the names of the other entries, which stay in summary.json only."""
    declared = {k.name: k for k in getattr(module, "KEY_NUMBERS", ())}
    units = summary.get("units") if isinstance(summary.get("units"), dict) else {}
    # numbers that were not finite are null in summary.json, with a note saying what they were
    not_finite = summary.get("not_finite") if isinstance(summary.get("not_finite"), dict) else {}
    rows, others = [], []

    def add(key, value, top):
        if isinstance(value, dict):
            for sub, item in value.items():
                add(f"{key}.{sub}", item, top)
            return
        found = declared.get(key) or declared.get(top)
        unit = found.unit if found else units.get(key, units.get(top, ""))
        shown = f"{not_finite[key]} (null in summary.json)" if value is None and key in not_finite \
            else format_value(value)
        rows.append((key, shown, unit, found.description if found else ""))

    for key, value in summary.items():
        if key in _NOT_NUMBERS:
            continue
        if key in declared or key in units:
            add(key, value, key)
        else:
            others.append(key)
    return rows, others


#: A key number that lists more labels than this, with other key numbers listing one value per
#: label, is shown as a table of its own (one row per label), not summarised in one cell.
_TABLE_ABOVE = 6


def _per_label_table(summary, module):
    """(label key, header, rows) of the key numbers given one per label (e.g. firing-patterns'
    values per cell), or None: the first declared list of more than :data:`_TABLE_ABOVE`
    strings is the labels, and every other declared list of the same length is a column
    (its unit in the header)."""
    declared = {k.name: k for k in getattr(module, "KEY_NUMBERS", ())}
    units = summary.get("units") if isinstance(summary.get("units"), dict) else {}
    lists = {key: value for key, value in summary.items()
             if key not in _NOT_NUMBERS and (key in declared or key in units) and isinstance(value, list)}
    labels = next((key for key, value in lists.items()
                   if len(value) > _TABLE_ABOVE and all(isinstance(v, str) for v in value)), None)
    if labels is None:
        return None
    columns = [key for key, value in lists.items() if key != labels and len(value) == len(lists[labels])]
    if not columns:
        return None
    unit = lambda key: declared[key].unit if key in declared else units.get(key, "")  # noqa: E731
    header = [labels] + [f"{key} ({unit(key)})" if unit(key) else key for key in columns]
    rows = [[label] + [format_value(lists[key][i]) for key in columns]
            for i, label in enumerate(lists[labels])]
    return labels, [labels, *columns], header, rows


def _parameter_rows(summary, module):
    declared = {p.name: p for p in getattr(module, "PARAMETERS", ())}
    rows = []
    for name, value in (summary.get("parameters") or {}).items():
        p = declared.get(name)
        shown = p.format(tuple(value) if isinstance(value, list) else value) if p else format_value(value)
        rows.append((name, shown, p.unit if p else "", p.description if p else ""))
    return rows


def _run_key(summary):
    """What makes two summaries one run: seed, sizes and versions (the numbers depend on them)."""
    versions = summary.get("versions") if isinstance(summary.get("versions"), dict) else {}
    return (summary.get("seed"), summary.get("quick"),
            *(versions.get(name) for name in ("spikeneuron", "numpy", "scipy", "python")))


def _seed_and_sizes(key):
    seed, quick = key[:2]
    sizes = {True: "quick sizes", False: "full sizes"}.get(quick, "sizes not recorded")
    return f"seed {'not recorded' if seed is None else seed}, {sizes}"


def _run_label(key):
    version = f"spikeneuron {key[2]}" if key[2] else "spikeneuron version not recorded"
    return f"{_seed_and_sizes(key)}, {version}"


def _versions_text(key, libraries_only=False):
    named = [f"{name} {value}" for name, value in zip(("spikeneuron", "numpy", "scipy", "Python"),
                                                      key[2:]) if value]
    if libraries_only:
        named = [text for text in named if not text.startswith("spikeneuron ")]
    return ", ".join(named) if named else "versions not recorded"


def _changed_parameters(summary, module):
    """'name = value unit' for every declared parameter whose value is not the default the run
    would have used (the --quick size under --quick)."""
    declared = {p.name: p for p in getattr(module, "PARAMETERS", ())}
    changed = []
    for name, value in (summary.get("parameters") or {}).items():
        p = declared.get(name)
        if p is None:
            continue
        expected = p.quick if summary.get("quick") and p.quick is not None else p.default
        value = tuple(value) if isinstance(value, list) else value
        if value != expected:
            changed.append(f"{name} = {p.format(value)}" + (f" {p.unit}" if p.unit else ""))
    return changed


def _ordered(summaries):
    rank = {name: i for i, name in enumerate(STORY_ORDER)}
    return sorted(summaries.items(),
                  key=lambda item: (rank.get(item[1].get("experiment"), len(rank)),
                                    item[1].get("experiment", ""), item[0]))


def _sections(summaries):
    """Everything a section shows, independent of Markdown or HTML."""
    sections = []
    for folder, summary in _ordered(summaries):
        module = _declarations(summary)
        wall_s = summary.get("wall_s")
        numbers, others = _rows(summary, module)
        table = _per_label_table(summary, module)
        if table is not None:  # the lists are in the table: say so instead of summarising them
            labels, keys, _, rows = table
            numbers = [(key, f"{len(rows)} values, by {labels} in the table below" if key != labels
                        else f"{len(rows)} rows of the table below", unit, meaning)
                       if key in keys else (key, value, unit, meaning)
                       for key, value, unit, meaning in numbers]
        timed = {k.name: k.description for k in getattr(module, "KEY_NUMBERS", ())}.get("wall_s")
        changed = _changed_parameters(summary, module)
        sections.append({
            "folder": folder, "name": summary["experiment"], "title": summary.get("title", ""),
            "description": summary.get("description", ""),
            "lesson": " ".join(str(getattr(module, "LESSON", "")).split()),
            "run_key": _run_key(summary), "changed": changed, "declared": module is not None,
            "run": (f"Seed {summary.get('seed', '-')}"
                    + (", quick sizes" if summary.get("quick") else ", full sizes")
                    + (f"; changed from the defaults: {', '.join(changed)}" if changed else "")
                    + (f"; command `{summary['command']}`" if summary.get("command") else "")),
            "parameters": _parameter_rows(summary, module),
            "numbers": numbers, "others": others,
            "table": None if table is None else (table[0], table[2], table[3]),
            "figures": [f for f in summary.get("figures", []) if isinstance(f, dict) and "file" in f],
            "wall_s": None if wall_s is None else
            f"{format_value(float(wall_s))} s" + (f" ({timed})" if timed else ""),
        })
    return sections


def _runs(sections):
    """The sections grouped by run: [(label, versions, sections)], runs in the order of their
    first experiment in the story. Labels name the versions of numpy, scipy and Python too
    when two runs differ only there."""
    groups = {}
    for section in sections:
        groups.setdefault(section["run_key"], []).append(section)
    base = {key: _run_label(key) for key in groups}
    labels = {key: f"{label} ({_versions_text(key, libraries_only=True)})"
              if list(base.values()).count(label) > 1 else label for key, label in base.items()}
    return [(labels[key], _versions_text(key), members) for key, members in groups.items()]


def _heading(section):
    """An experiment's heading; the folder is named when it is not the experiment's own."""
    moved = f" (folder {section['folder']})" if section["folder"] != section["name"] else ""
    return f"{section['name']}: {section['title']}{moved}"


def _provenance(sections):
    """What the top of the report says about the runs it holds: (warning or None, lines)."""
    runs = _runs(sections)
    if not runs:
        return None, []
    changed = [f"{s['name']} ({', '.join(s['changed'])})" for s in sections if s["changed"]]
    if changed:
        changed_line = ["Changed from the defaults: " + "; ".join(changed) + "."]
    elif all(s["declared"] for s in sections):
        changed_line = ["Every parameter has its default value (its --quick size in quick runs)."]
    else:  # some experiment files can no longer be loaded: their defaults are unknown
        changed_line = []
    if len(runs) == 1:
        members = runs[0][2]
        key = members[0]["run_key"]
        return None, [f"All {len(members)} experiments below ran with the same settings: "
                      f"{_seed_and_sizes(key)}; {_versions_text(key)}.", *changed_line]
    warning = (f"This folder holds {len(runs)} different runs (different seeds, sizes or "
               f"versions): compare numbers within one run only. The sections are grouped by run.")
    lines = [f"Run {i}: {label}: " + ", ".join(s["name"] for s in members) + "."
             for i, (label, _, members) in enumerate(runs, 1)]
    return warning, lines + changed_line


_INTRO = ("A neuron is a logistic regression that spikes. The experiments below tell that story "
          "in order: signed inputs sum and fire, the rate grows with the drive, noise turns the "
          "all-or-none spike into a logistic probability, and a logistic and a spiking neuron "
          "then decide alike; the Hodgkin–Huxley model shows where the spike comes from, and "
          "networks show neurons working together. Each section says what to look at, then "
          "gives its parameters, its key numbers with units, and its figures; every number is "
          "also in the experiment's `summary.json`.")


def _others(names):
    return ("Also in `summary.json` (entries the experiment does not describe): "
            + ", ".join(f"`{name}`" for name in names) + ".")


#: Rows of a sweep's table shown in the report (all of them are in sweep.csv).
SWEEP_ROWS_SHOWN = 100


def _sweep_sections(sweeps):
    """What a sweep's section shows: heading, a sentence, its table and its figure."""
    sections = []
    for folder, sweep in sorted(sweeps.items()):
        grid = sweep.get("grid") if isinstance(sweep.get("grid"), dict) else {}
        rows = [row for row in sweep["rows"] if isinstance(row, dict)]
        status = {s: sum(row.get("status") == s for row in rows) for s in ("done", "failed", "pending")}
        fixed = sweep.get("fixed") or {}
        text = (f"{status['done']} of {len(rows)} runs done"
                + (f", {status['failed']} failed" if status["failed"] else "")
                + (f", {status['pending']} not run" if status["pending"] else "")
                + "; grid: " + "; ".join(f"{key} = {format_value(values)}".replace("summary.json", "sweep.json")
                                         for key, values in grid.items())
                + f"; {sweep.get('repeats', 1)} repeat(s), root seed {sweep.get('seed', '-')}"
                + (", quick sizes" if sweep.get("quick") else "")
                + (f"; fixed: {', '.join(f'{k} = {format_value(v)}' for k, v in fixed.items())}" if fixed else ""))
        first = ["point", "repeat", *grid, "status"]
        numbers = []
        for row in rows:
            numbers += [k for k, v in row.items() if k not in first and k not in numbers
                        and k not in ("seed", "error", "folder") and isinstance(v, (int, float))]
        header = first + numbers + (["error"] if status["failed"] else [])
        table = [[format_value(row.get(k, "")) if k not in ("point", "repeat") else str(row.get(k, ""))
                  for k in header] for row in rows[:SWEEP_ROWS_SHOWN]]
        where = "" if folder == "." else f"{folder}/"
        sections.append({
            "folder": folder, "heading": f"Sweep of {sweep.get('experiment', '?')} over "
                                         f"{', '.join(grid) or '?'}" + (f" (folder {folder})" if folder != "." else ""),
            "text": text, "header": header, "table": table,
            "more": (f"The first {SWEEP_ROWS_SHOWN} of {len(rows)} runs; every run is in "
                     f"`{where}sweep.csv`." if len(rows) > SWEEP_ROWS_SHOWN else f"Also in `{where}sweep.csv`."),
            "figure": f"{where}sweep.png",
        })
    return sections


def _md_sweeps(folder, sweeps):
    lines = []
    for s in sweeps:
        lines += [f"## {s['heading']}", "", s["text"] + ".", "", *_md_table(s["header"], s["table"]),
                  "", s["more"], ""]
        if (Path(folder) / s["figure"]).exists():
            lines += [f"![{s['heading']}]({s['figure']})", ""]
    return lines


def _html_sweeps(folder, sweeps):
    e = html.escape
    parts = []
    for s in sweeps:
        parts += [f"<section><h2>{e(s['heading'])}</h2>", f"<p>{e(s['text'])}.</p>",
                  _html_table(s["header"], s["table"]), f"<p>{_inline_code(s['more'])}</p>"]
        path = Path(folder) / s["figure"]
        if path.exists():
            data = base64.b64encode(path.read_bytes()).decode("ascii")
            parts.append(f'<figure><img src="data:image/png;base64,{data}" alt="{e(s["heading"], quote=True)}">'
                         f"<figcaption>{e(s['heading'])}: the key number against the first swept "
                         f"parameter, mean ± standard deviation over repeats</figcaption></figure>")
        parts.append("</section>")
    return parts


def _md_unreadable(unreadable):
    if not unreadable:
        return []
    return ["## Unreadable results", "", "These files could not be read and are not in the report:",
            "", *[f"- `{path}`: {reason}" for path, reason in unreadable], ""]


def _md_table(header, rows):
    cell = lambda text: str(text).replace("|", "\\|").replace("\n", " ")
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(cell(c) for c in row) + " |" for row in rows]
    return lines


def report_text(summaries, failed=(), *, folder=".", sweeps=None, unreadable=(), skipped=()):
    """The Markdown of the report for ``summaries`` (folder name → summary), ``sweeps``
    (folder name → sweep.json, see :func:`read_sweeps`), the ``(path, reason)`` of the
    files that could not be read and the ``(name, reason)`` of the experiments that were not
    run because an optional extra is missing."""
    lines = ["# spikeneuron results", ""]
    sections = _sections(summaries)
    warning, provenance = _provenance(sections)
    if warning:
        lines += [f"> **{warning}**", ">", *[f"> - {line}" for line in provenance], ""]
    lines += [_INTRO, ""]
    if not warning:
        lines += [*provenance, ""] if provenance else []
        lines += _md_sections(sections, "##")
    else:
        for i, (label, versions, members) in enumerate(_runs(sections), 1):
            lines += [f"## Run {i}: {label}", "", f"Versions: {versions}.", ""]
            lines += _md_sections(members, "###")
    lines += _md_sweeps(folder, _sweep_sections(sweeps or {}))
    if failed:
        lines += ["## Failed", "", *[f"- {name}" for name in failed], ""]
    if skipped:
        lines += ["## Skipped", "", "Not run, because an optional extra is not installed:", "",
                  *[f"- {name}: {reason}" for name, reason in skipped], ""]
    lines += _md_unreadable(unreadable)
    return "\n".join(lines)


def _md_sections(sections, level):
    lines = []
    for s in sections:
        lines += [f"{level} {_heading(s)}", "", s["description"], ""]
        if s["lesson"]:
            lines += [f"**What to look at.** {s['lesson']}", ""]
        lines += [s["run"] + ".", ""]
        if s["parameters"]:
            lines += ["Parameters:", "",
                      *_md_table(("parameter", "value", "unit", "meaning"), s["parameters"]), ""]
        if s["numbers"]:
            lines += ["Key numbers:", "",
                      *_md_table(("key number", "value", "unit", "meaning"), s["numbers"]), ""]
        if s["table"]:
            labels, header, rows = s["table"]
            lines += [f"By {labels}:", "", *_md_table(header, rows), ""]
        if s["others"]:
            lines += [_others(s["others"]), ""]
        for figure in s["figures"]:
            caption = figure.get("caption", "")
            lines += [f"![{caption}]({s['folder']}/{figure['file']})", "", f"*{caption}*", ""]
        if s["wall_s"]:
            lines += [f"Run time: {s['wall_s']}.", ""]
    return lines


def _html_table(header, rows):
    e = html.escape
    head = "".join(f"<th>{e(h)}</th>" for h in header)
    body = "".join("<tr>" + "".join(f"<td>{e(str(c))}</td>" for c in row) + "</tr>" for row in rows)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _inline_code(text):
    """Escape text and turn `code` spans into <code> elements."""
    parts = html.escape(text).split("`")
    return "".join(f"<code>{part}</code>" if i % 2 else part for i, part in enumerate(parts))


def _image_source(folder, section, figure):
    path = Path(folder) / section["folder"] / figure["file"]
    try:
        data = path.read_bytes()
    except OSError:  # missing figure: link it, the browser shows its caption
        return html.escape(f"{section['folder']}/{figure['file']}", quote=True)
    return "data:image/png;base64," + base64.b64encode(data).decode("ascii")


_STYLE = """body{font-family:sans-serif;max-width:60em;margin:2em auto;padding:0 1em;line-height:1.45;color:#222}
table{border-collapse:collapse;margin:.5em 0 1em}th,td{border:1px solid #ccc;padding:.2em .5em;text-align:left;vertical-align:top}
th{background:#f3f3f3}figure{margin:1em 0}img{max-width:100%}figcaption{font-style:italic;color:#444}
code{background:#f3f3f3;padding:0 .2em}.lesson{background:#f7f9fc;border-left:4px solid #2463b4;padding:.4em .8em}
.runs{background:#fff4e5;border-left:4px solid #c25e00;padding:.4em .8em}section.run{border-top:3px solid #c25e00;margin-top:2em}"""  # noqa: E501


def report_html(summaries, folder, failed=(), *, sweeps=None, unreadable=(), skipped=()):
    """A self-contained HTML page of the report (figures embedded as base64 PNG, no scripts)."""
    e = html.escape
    parts = ["<!DOCTYPE html>", '<html lang="en">', "<head>", '<meta charset="utf-8">',
             "<title>spikeneuron results</title>", f"<style>{_STYLE}</style>", "</head>", "<body>",
             "<h1>spikeneuron results</h1>"]
    sections = _sections(summaries)
    warning, provenance = _provenance(sections)
    if warning:
        parts.append(f'<div class="runs"><p><strong>{e(warning)}</strong></p><ul>'
                     + "".join(f"<li>{_inline_code(line)}</li>" for line in provenance)
                     + "</ul></div>")
    parts.append(f"<p>{_inline_code(_INTRO)}</p>")
    link = lambda s: (f'<a href="#{e(s["folder"], quote=True)}">{e(s["name"])}</a>: '
                      f'{e(s["title"])}')
    if not warning:
        parts += [f"<p>{_inline_code(line)}</p>" for line in provenance]
        if sections:
            parts.append("<nav><ol>" + "".join(f"<li>{link(s)}</li>" for s in sections)
                         + "</ol></nav>")
        parts += _html_sections(folder, sections, 2)
    else:
        runs = _runs(sections)
        parts.append("<nav><ol>" + "".join(
            f'<li><a href="#run-{i}">Run {i}: {e(label)}</a><ol>'
            + "".join(f"<li>{link(s)}</li>" for s in members) + "</ol></li>"
            for i, (label, _, members) in enumerate(runs, 1)) + "</ol></nav>")
        for i, (label, versions, members) in enumerate(runs, 1):
            parts += [f'<section class="run" id="run-{i}">', f"<h2>Run {i}: {e(label)}</h2>",
                      f"<p>Versions: {e(versions)}.</p>", *_html_sections(folder, members, 3),
                      "</section>"]
    parts += _html_sweeps(folder, _sweep_sections(sweeps or {}))
    if failed:
        parts += ["<h2>Failed</h2>", "<ul>" + "".join(f"<li>{e(str(n))}</li>" for n in failed) + "</ul>"]
    if skipped:
        parts += ["<h2>Skipped</h2>", "<p>Not run, because an optional extra is not installed:</p>",
                  "<ul>" + "".join(f"<li>{e(str(n))}: {_inline_code(str(r))}</li>" for n, r in skipped)
                  + "</ul>"]
    if unreadable:
        parts += ["<h2>Unreadable results</h2>", "<p>These files could not be read and are not in "
                  "the report:</p>", "<ul>" + "".join(f"<li><code>{e(path)}</code>: {e(reason)}</li>"
                                                     for path, reason in unreadable) + "</ul>"]
    parts += ["</body>", "</html>", ""]
    return "\n".join(parts)


def _html_sections(folder, sections, level):
    e = html.escape
    sub = level + 1
    parts = []
    for s in sections:
        parts += [f'<section id="{e(s["folder"], quote=True)}">',
                  f"<h{level}>{e(_heading(s))}</h{level}>", f"<p>{e(s['description'])}</p>"]
        if s["lesson"]:
            parts.append(f'<p class="lesson"><strong>What to look at.</strong> {_inline_code(s["lesson"])}</p>')
        parts.append(f"<p>{_inline_code(s['run'])}.</p>")
        if s["parameters"]:
            parts += [f"<h{sub}>Parameters</h{sub}>",
                      _html_table(("parameter", "value", "unit", "meaning"), s["parameters"])]
        if s["numbers"]:
            parts += [f"<h{sub}>Key numbers</h{sub}>",
                      _html_table(("key number", "value", "unit", "meaning"), s["numbers"])]
        if s["table"]:
            labels, header, rows = s["table"]
            parts += [f"<h{sub}>By {e(labels)}</h{sub}>", _html_table(header, rows)]
        if s["others"]:
            parts.append(f"<p>{_inline_code(_others(s['others']))}</p>")
        for figure in s["figures"]:
            caption = figure.get("caption", "")
            parts.append(f'<figure><img src="{_image_source(folder, s, figure)}" '
                         f'alt="{e(caption, quote=True)}"><figcaption>{e(caption)}</figcaption></figure>')
        if s["wall_s"]:
            parts.append(f"<p>Run time: {e(s['wall_s'])}.</p>")
        parts.append("</section>")
    return parts


def write_report(folder, failed=(), skipped=()):
    """Write ``folder/report.md`` and ``folder/report.html`` from the summaries and sweeps in
    ``folder``; ``failed`` names the experiments that raised and ``skipped`` gives the
    ``(name, reason)`` of those not run because an optional extra is missing.

    Returns the path of ``report.md`` (``report.html`` is written beside it). A folder with
    nothing to report (no ``*/summary.json``, no ``sweep.json``, no failed runs, no unreadable
    files) is a ValidationError saying so; a file that cannot be read is named in the report
    and warned about (:class:`UnreadableResultWarning`), never skipped silently.
    """
    folder = check.path("folder", "write_report", folder)
    if not folder.is_dir():
        raise ValidationError(f"results folder {str(folder)!r} does not exist")
    unreadable = []
    summaries = read_summaries(folder, unreadable)
    sweeps = read_sweeps(folder, unreadable)
    skipped = [(str(name), str(reason)) for name, reason in skipped]
    if not (summaries or sweeps or failed or unreadable or skipped):
        raise ValidationError(f"found nothing to report in {str(folder)!r}: no NAME/summary.json "
                              f"(written by 'spikeneuron run') and no sweep.json (written by "
                              f"'spikeneuron sweep')")
    path = folder / "report.md"
    write_text_atomic(path, report_text(summaries, failed, folder=folder, sweeps=sweeps,
                                        unreadable=unreadable, skipped=skipped))
    write_text_atomic(folder / "report.html", report_html(summaries, folder, failed, sweeps=sweeps,
                                                          unreadable=unreadable, skipped=skipped))
    return path
