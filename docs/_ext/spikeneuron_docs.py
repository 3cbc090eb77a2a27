"""The generated parts of the site, written into ``docs/generated/`` when a build starts.

- ``generated/api/``: one page per public name, read from the ``__all__`` of the modules in
  ``spikeneuron_api_modules`` (so a name added to ``__all__`` appears without editing the docs),
  and an index grouped by the module that defines each name.
- ``generated/cli.md``: the command line's help, read from its argparse parser.
- ``generated/gallery/``: the experiments gallery, from a fresh ``spikeneuron run all --quick``
  (one page per experiment: what to look at, parameters, key numbers with units, figures with
  their captions, in the story order of the report). ``SPIKENEURON_DOCS_RESULTS=DIR`` uses the
  results folder ``DIR`` of an earlier ``run all`` instead (for quick local rebuilds; CI always
  runs the experiments).

Files are rewritten only when their text changes, so Sphinx rereads only what changed.
"""

import argparse
import importlib
import inspect
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

from sphinx.errors import ExtensionError
from sphinx.util import logging

LOG = logging.getLogger(__name__)

#: Modules whose ``__all__`` the API reference documents (those that do not exist are skipped:
#: the lab folder is optional for the reference).
API_MODULES = ("spikeneuron", "spikeneuron.plotting", "spikeneuron.lab")

#: The documented name of every public object, by ``id`` (filled by :func:`write_api`): what a
#: reference written against the defining module (``spikeneuron.connectivity.from_arrays``, or
#: ``from_arrays`` inside that module) resolves to (``spikeneuron.from_arrays``).
PUBLIC = {}

#: Where the command line's parser is built (the first one found).
CLI_MODULES = ("spikeneuron.lab.cli", "spikeneuron.cli")


def _write(path, text):
    path.parent.mkdir(parents=True, exist_ok=True)
    if not path.exists() or path.read_text(encoding="utf-8") != text:
        path.write_text(text, encoding="utf-8")


def _summary_line(obj):
    """The first paragraph of the docstring, as MyST table text (reST roles as code)."""
    doc = (inspect.getdoc(obj) or "").strip().split("\n\n")[0].replace("\n", " ")
    doc = re.sub(r":[a-z]+:`~?\.?([^`]+)`", r"`\1`", doc).replace("``", "`")
    return doc.replace("|", "\\|")


def _module_title(name):
    module = importlib.import_module(name)
    return _summary_line(module)


# --- API reference --------------------------------------------------------------------------

def public_names(module_name):
    """``(name, object)`` for every public name in the module's ``__all__``, in its order."""
    module = importlib.import_module(module_name)
    return [(name, getattr(module, name)) for name in module.__all__ if not name.startswith("_")]


def _kind(obj):
    """The autodoc directive and the Python-domain role for ``obj``."""
    if inspect.isclass(obj):
        if issubclass(obj, BaseException):
            return "autoexception", "exc"
        return "autoclass", "class"
    if callable(obj):
        return "autofunction", "func"
    return "autodata", "data"


def api_page(module_name, name, obj):
    """The reST page documenting one public name."""
    title = f"{module_name}.{name}"
    directive, _ = _kind(obj)
    lines = [title, "=" * len(title), "", f".. currentmodule:: {module_name}", "",
             f".. {directive}:: {name}"]
    if directive == "autoclass":
        lines.append("   :members:")
    return "\n".join(lines) + "\n"


def write_api(folder, module_names=API_MODULES):
    """One page per public name, and the index of them all.

    A name that a later module re-exports (``spikeneuron.lab.sweep`` is ``spikeneuron.sweep``)
    is listed there too but documented once, under its first name.
    """
    PUBLIC.clear()
    pages, sections, labels = [], [], set()
    for module_name in module_names:
        try:
            names = public_names(module_name)
        except ModuleNotFoundError:
            continue
        by_home = {}
        for name, obj in names:
            home = getattr(obj, "__module__", None) or module_name
            by_home.setdefault(home, []).append((name, obj))
            if id(obj) in PUBLIC:
                continue
            PUBLIC[id(obj)] = page = f"{module_name}.{name}"
            _write(folder / f"{page}.rst", api_page(module_name, name, obj))
            pages.append(page)
        section = [f"## `{module_name}`", "", _module_title(module_name), ""]
        if module_name != "spikeneuron":
            section += [f"Import them from `{module_name}`.", ""]
        for home, members in by_home.items():
            if home not in labels:  # the target of :mod:`home` references
                section.append(f"(api-{home})=")
                labels.add(home)
            section += [f"### From `{home}`", "", _module_title(home), "",
                        "| name | what it is |", "|---|---|"]
            for name, obj in members:
                documented = PUBLIC[id(obj)]
                also = "" if documented == f"{module_name}.{name}" else f" (`{documented}`)"
                section.append(f"| {{py:{_kind(obj)[1]}}}`{name} <{documented}>`{also} | "
                               f"{_summary_line(obj)} |")
            section.append("")
        sections.append("\n".join(section))
    for stale in folder.glob("*.rst"):
        if stale.stem not in pages:
            stale.unlink()
    text = ["# API reference", "",
            "Every public name, as listed in the `__all__` of its module (the public surface: "
            "anything else may change), grouped by the module that defines it. Units follow "
            "the project's conventions: ms, mV, nA, MΩ, Hz; Hodgkin–Huxley µA/cm², mS/cm², "
            "µF/cm².", "",
            "```{toctree}", ":hidden:", "", *pages, "```", "", *sections]
    _write(folder / "index.md", "\n".join(text) + "\n")


# --- command line ---------------------------------------------------------------------------

def cli_parser():
    for name in CLI_MODULES:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError:
            continue
        built = module._parser("spikeneuron")
        return built[0] if isinstance(built, tuple) else built
    raise ExtensionError(f"no command-line parser found in {', '.join(CLI_MODULES)}")


def _help(parser):
    old = os.environ.get("COLUMNS")
    os.environ["COLUMNS"] = "76"  # argparse wraps to the terminal: the same text on every machine
    try:
        return parser.format_help().rstrip()
    finally:
        if old is None:
            del os.environ["COLUMNS"]
        else:
            os.environ["COLUMNS"] = old


def write_cli(path):
    parser = cli_parser()
    text = ["# Command-line reference", "",
            "The `spikeneuron` command (also `python -m spikeneuron`). This page is generated "
            "from the command's own parser at every build, so it says what the installed "
            "version accepts. `spikeneuron run NAME --help` and `spikeneuron show NAME` add "
            "the table of that experiment's parameters (the [gallery](gallery/index.md) shows "
            "them for every bundled experiment).", "",
            "Exit codes: 0 success; 1 some runs failed (named at the end); 2 bad usage or a "
            "bad value (one line on stderr naming it); 130 interrupted (Ctrl-C).", "",
            "```text", _help(parser), "```", ""]
    for action in parser._actions:
        if not isinstance(action, argparse._SubParsersAction):
            continue
        helps = {choice.dest: choice.help for choice in action._choices_actions}
        for name, sub in action.choices.items():
            text += [f"## `spikeneuron {name}`", "", (helps.get(name) or "").capitalize() + ".",
                     "", "```text", _help(sub), "```", ""]
    _write(path, "\n".join(text))


# --- experiments gallery --------------------------------------------------------------------

_IMAGE = re.compile(r"(!\[[^\]]*\]\()(?!https?:|/)([^)\s]+)\)")


def run_quick(results):
    """Run every bundled experiment with ``--quick`` into ``results`` (a fresh folder)."""
    if results.exists():
        shutil.rmtree(results)
    results.parent.mkdir(parents=True, exist_ok=True)
    env = dict(os.environ, MPLBACKEND="Agg")
    LOG.info("spikeneuron run all --quick (the gallery) ...")
    done = subprocess.run([sys.executable, "-m", "spikeneuron", "run", "all", "--quick",
                           "--out", results.name], cwd=results.parent, env=env,
                          capture_output=True, text=True)
    if done.returncode != 0:
        raise ExtensionError("spikeneuron run all --quick failed (exit code "
                             f"{done.returncode}):\n{done.stderr[-3000:]}")


def split_report(text):
    """The report's introduction and its ``(name, title, body)`` sections, in story order."""
    intro, *parts = re.split(r"^## ", text, flags=re.M)
    sections = []
    for part in parts:
        heading, _, body = part.partition("\n")
        name, _, title = heading.partition(": ")
        sections.append((name.strip(), title.strip() or name.strip(), body.strip()))
    return intro, sections


def write_gallery(folder, results=None):
    if results is None:
        results = folder / "results"
        run_quick(results)
    else:
        results = Path(results).resolve()
        LOG.info(f"gallery from {results} (SPIKENEURON_DOCS_RESULTS)")
        copy = folder / "results"
        if copy.exists():
            shutil.rmtree(copy)
        shutil.copytree(results, copy)
        results = copy
    report = results / "report.md"
    if not report.exists():
        raise ExtensionError(f"{results} has no report.md: run `spikeneuron run all --quick`")
    intro, sections = split_report(report.read_text(encoding="utf-8"))
    if not sections or any(name == "Failed" or name.startswith("Run ") for name, _, _ in sections):
        raise ExtensionError(f"{report} is not the report of one complete run")
    intro = "\n".join(line for line in intro.splitlines() if not line.startswith("# "))
    index = ["# Experiments gallery", "",
             "Every bundled experiment, from a `spikeneuron run all --quick` run made when this "
             "site was built: its caption, what to look at, its parameters, its key numbers "
             "with their units, and its figures. Quick sizes are smaller than the defaults, so "
             "some numbers are noisier than a full run's (`spikeneuron run all` gives those).",
             "", intro.strip(), "",
             "The same results as one self-contained page (figures embedded): "
             "{download}`report.html <results/report.html>`.", "",
             "```{toctree}", ":hidden:", "", *[name for name, _, _ in sections], "```", ""]
    pages = []
    for name, title, body in sections:
        body = _IMAGE.sub(lambda m: f"{m.group(1)}results/{m.group(2)})", body)
        body = re.sub(r"^###", "##", body, flags=re.M)
        _write(folder / f"{name}.md", f"# {name}\n\n**{title.rstrip('.')}.**\n\n{body}\n")
        pages.append(name)
        images = _IMAGE.findall(body)
        index += [f"## [{name}]({name}.md)", "", title + ".", ""]
        if images:
            index += [f"```{{image}} {images[0][1]}", f":alt: the first figure of {name}",
                      ":width: 420px", f":target: {name}.html", "```", ""]
    for stale in folder.glob("*.md"):
        if stale.stem not in pages and stale.name != "index.md":
            stale.unlink()
    _write(folder / "index.md", "\n".join(index))


def _lookup(path):
    """The object at the dotted ``path`` (a module, then attributes), or None."""
    parts = path.split(".")
    for cut in range(len(parts), 0, -1):
        try:
            obj = importlib.import_module(".".join(parts[:cut]))
        except ImportError:
            continue
        try:
            for part in parts[cut:]:
                obj = getattr(obj, part)
        except AttributeError:
            return None
        return obj
    return None


def _public_name(target, contexts):
    """The documented name for ``target`` read in one of the ``contexts`` (module paths)."""
    for context in contexts:
        path = f"{context}.{target}" if context else target
        parts = path.split(".")
        for cut in range(len(parts), 0, -1):  # the longest prefix that is a public object
            obj = _lookup(".".join(parts[:cut]))
            if obj is not None and id(obj) in PUBLIC:
                return ".".join([PUBLIC[id(obj)], *parts[cut:]])
    return None


def resolve_public(app, env, node, contnode):
    """Resolve a Python reference to where the public name is documented (see PUBLIC)."""
    if node.get("refdomain") != "py":
        return None
    target = node["reftarget"].lstrip("~.")
    if node["reftype"] == "mod":
        return env.get_domain("std").resolve_xref(env, node["refdoc"], app.builder, "ref",
                                                  f"api-{target}", node, contnode)
    contexts = [node.get("py:module")]
    if node["refdoc"].startswith("generated/api/"):  # the module defining the page's object
        documented = _lookup(node["refdoc"].rpartition("/")[2])
        home = getattr(documented, "__module__", getattr(documented, "__name__", None))
        contexts = [f"{home}.{node['py:class']}" if node.get("py:class") else None, home,
                    *contexts]
    public = _public_name(target, [c for c in contexts if c] + [None])
    if public is None or public == target:
        return None
    return env.get_domain("py").resolve_xref(env, node["refdoc"], app.builder, node["reftype"],
                                             public, node, contnode)


def generate(app):
    out = Path(app.srcdir) / "generated"
    write_api(out / "api", app.config.spikeneuron_api_modules)
    write_cli(out / "cli.md")
    write_gallery(out / "gallery", os.environ.get("SPIKENEURON_DOCS_RESULTS") or None)


def setup(app):
    app.add_config_value("spikeneuron_api_modules", API_MODULES, "env")
    app.connect("builder-inited", generate)
    app.connect("missing-reference", resolve_public)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
