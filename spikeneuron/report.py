"""The gallery of a results folder: ``report.md`` rebuilt from the summaries it holds.

The report is built from whatever ``DIR/*/summary.json`` the folder holds, so running one
experiment refreshes it and ``spikeneuron report DIR`` rebuilds it at any time.
"""

import json
from pathlib import Path

from ._io import write_text_atomic
from .exceptions import ValidationError

__all__ = ["write_report", "read_summaries"]

_NOT_NUMBERS = {"experiment", "title", "description", "seed", "quick", "figures", "parameters",
                "units", "source", "versions", "command"}


def read_summaries(folder):
    """The summaries in ``folder/*/summary.json`` by experiment name (unreadable ones skipped)."""
    found = {}
    for path in sorted(Path(folder).glob("*/summary.json")):
        try:
            summary = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        if isinstance(summary, dict) and "experiment" in summary:
            found[path.parent.name] = summary
    return found


def _format_number(value):
    if isinstance(value, float):
        return f"{value:.4g}"
    if isinstance(value, list):
        if len(value) <= 6 and all(not isinstance(v, (list, dict)) for v in value):
            return "[" + ", ".join(_format_number(v) for v in value) + "]"
        return f"{len(value)} values (see summary.json)"
    return str(value)


def report_text(summaries, failed=()):
    """The Markdown of the report for ``summaries`` (folder name → summary)."""
    seeds = sorted({s.get("seed") for s in summaries.values()}, key=str)
    lines = ["# spikeneuron results", "",
             f"Seed {', '.join(str(s) for s in seeds) or '-'}. Each section shows one experiment's "
             f"figures and key numbers; the full numbers and parameters are in its `summary.json`.", ""]
    for folder, summary in summaries.items():
        lines += [f"## {summary['experiment']}: {summary.get('title', '')}", "",
                  summary.get("description", ""), "", "| key number | value |", "|---|---|"]
        lines += [f"| `{key}` | {_format_number(value)} |"
                  for key, value in summary.items() if key not in _NOT_NUMBERS]
        lines.append("")
        for figure in summary.get("figures", []):
            lines += [f"![{figure['caption']}]({folder}/{figure['file']})", "",
                      f"*{figure['caption']}*", ""]
    if failed:
        lines += ["## Failed", "", *[f"- {name}" for name in failed], ""]
    return "\n".join(lines)


def write_report(folder, failed=()):
    """Write ``folder/report.md`` from the summaries in ``folder``; returns its path."""
    folder = Path(folder)
    if not folder.is_dir():
        raise ValidationError(f"results folder {str(folder)!r} does not exist")
    path = folder / "report.md"
    write_text_atomic(path, report_text(read_summaries(folder), failed))
    return path
