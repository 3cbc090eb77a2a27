"""The floors of the house: the library below, the lab above, and no import running in a circle.

Every import in every module (at the top or inside a function) is read with ``ast``, resolved
to the module it names, and the graph is checked: nothing in the library imports the lab, and
the graph (the launcher, the start-up guard and the experiment scripts included) has no cycle.
The one arrow from the library's front door to the lab is ``spikeneuron.__getattr__``, which
loads ``run_experiment``, ``sweep`` and ``explorer`` on first use; the deprecated
``spikeneuron.experiment`` forwards to the lab. Neither is imported by anything.
"""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Doors into the lab from the package's public face, imported by nothing in the library.
FRONT_DOORS = {"spikeneuron", "spikeneuron.experiment"}


def _module_name(path):
    relative = path.relative_to(ROOT).with_suffix("")
    parts = list(relative.parts)
    if parts[0] == "experiments":
        parts = ["spikeneuron", "lab", "experiments", *parts[1:]]
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


def _sources():
    files = [*ROOT.glob("spikeneuron/**/*.py"), *ROOT.glob("experiments/*.py"),
             ROOT / "_spikeneuron_launcher.py", ROOT / "_spikeneuron_guard.py"]
    return {_module_name(path): path for path in files}


def _graph():
    sources = _sources()
    graph = {}
    for name, path in sources.items():
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        targets = set()
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if isinstance(node, ast.Import):
                candidates = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                    base = ".".join([*anchor, *([base] if base else [])])
                # "from pkg import sub" names the submodule where one exists
                candidates = [f"{base}.{alias.name}" if f"{base}.{alias.name}" in sources else base
                              for alias in node.names]
            else:
                continue
            for candidate in candidates:
                while candidate and candidate not in sources:
                    candidate = candidate.rpartition(".")[0]
                if candidate and candidate != name:
                    targets.add(candidate)
        graph[name] = targets
    return graph


def _in_lab(name):
    return name == "spikeneuron.lab" or name.startswith("spikeneuron.lab.")


def test_the_graph_is_read():
    graph = _graph()
    assert "spikeneuron.engine" in graph["spikeneuron.network"]
    assert "spikeneuron.lab.experiment" in graph["spikeneuron.lab.cli"]
    assert "spikeneuron.lab.cli" in graph["_spikeneuron_launcher"]
    assert "spikeneuron.lab.experiments.cuba" in graph


def test_the_library_never_imports_the_lab():
    graph = _graph()
    upward = sorted((name, target) for name, targets in graph.items() for target in targets
                    if not _in_lab(name) and _in_lab(target) and name not in FRONT_DOORS
                    and name.startswith("spikeneuron"))
    assert upward == []
    # and nothing at all goes through the front doors from inside the package
    through = sorted(name for name, targets in graph.items()
                     if "spikeneuron.experiment" in targets and name != "spikeneuron.experiment")
    assert through == []


def test_no_import_runs_in_a_circle():
    graph = _graph()
    # The front doors' edges to the lab are the lazy ones (spikeneuron.__getattr__) and the
    # deprecated forwarding module, which nothing imports; every other edge counts.
    graph = {name: {t for t in targets if not (name in FRONT_DOORS and _in_lab(t))}
             for name, targets in graph.items()}
    state, cycles = {}, []

    def visit(node, path):
        state[node] = "open"
        for target in sorted(graph.get(node, ())):
            if state.get(target) == "open":
                cycles.append(path[path.index(target):] + [target])
            elif target not in state:
                visit(target, path + [target])
        state[node] = "done"

    for node in sorted(graph):
        if node not in state:
            visit(node, [node])
    assert cycles == []


def test_nothing_imports_the_package_front_door_from_inside_the_lab():
    graph = _graph()
    assert sorted(name for name, targets in graph.items()
                  if _in_lab(name) and "spikeneuron" in targets
                  and not name.startswith("spikeneuron.lab.experiments")) == []
