"""The tutorials in docs/tutorials/ run as notebooks, through a Jupyter kernel, so they cannot rot.

Each jupytext percent-format file is converted to a notebook and executed by nbclient with the
``python3`` kernel of ipykernel, in a fresh temporary working directory (results the tutorials
write land there). Needs the optional extra: ``pip install 'spikeneuron[notebooks]'``.
"""

import sys
from pathlib import Path

import pytest

TUTORIALS = sorted((Path(__file__).resolve().parent.parent / "docs" / "tutorials").glob("[0-9]*.py"))
EXTRA = "the tutorials need the notebooks extra: pip install 'spikeneuron[notebooks]'"
#: Each tutorial must run in well under a minute; a cell that takes this long has gone wrong.
CELL_TIMEOUT_S = 120


def execute(notebook, working_dir):
    """Run every cell of ``notebook`` in a python3 kernel started in ``working_dir``."""
    from nbclient import NotebookClient

    client = NotebookClient(notebook, timeout=CELL_TIMEOUT_S, kernel_name="python3",
                            resources={"metadata": {"path": str(working_dir)}})
    client.execute()
    return notebook


def outputs(notebook, output_type):
    return [output for cell in notebook.cells if cell.cell_type == "code"
            for output in cell.get("outputs", []) if output.output_type == output_type]


def test_the_tutorials_are_numbered():
    assert [path.name[:3] for path in TUTORIALS] == ["01_", "02_", "03_", "04_", "05_", "06_"]


def test_the_kernel_is_this_environments_python(tmp_path):
    """The python3 kernel must be the interpreter running the tests (the one where spikeneuron
    and its extras are installed), not another Python found on the machine."""
    jupytext = pytest.importorskip("jupytext", reason=EXTRA)
    pytest.importorskip("nbclient", reason=EXTRA)
    pytest.importorskip("ipykernel", reason=EXTRA)
    notebook = jupytext.reads("# %%\nimport os, sys\nprint(sys.prefix)\nprint(os.getcwd())\n",
                              fmt="py:percent")
    printed = outputs(execute(notebook, tmp_path), "stream")[0]["text"].split()
    assert Path(printed[0]).resolve() == Path(sys.prefix).resolve()
    assert Path(printed[1]).resolve() == tmp_path.resolve()


@pytest.mark.slow
@pytest.mark.parametrize("path", TUTORIALS, ids=[path.stem for path in TUTORIALS])
def test_tutorial_runs_as_a_notebook(path, tmp_path):
    jupytext = pytest.importorskip("jupytext", reason=EXTRA)
    pytest.importorskip("nbclient", reason=EXTRA)
    pytest.importorskip("ipykernel", reason=EXTRA)
    pytest.importorskip("ipywidgets", reason=EXTRA)
    notebook = jupytext.read(path)
    assert any(cell.cell_type == "markdown" and "Exercise" in cell.source for cell in notebook.cells)
    assert any(cell.cell_type == "markdown" and "Solution" in cell.source for cell in notebook.cells)
    execute(notebook, tmp_path)  # raises CellExecutionError, naming the cell, if one fails
    assert not outputs(notebook, "error")
    figures = [output for output in outputs(notebook, "display_data") + outputs(notebook, "execute_result")
               if "image/png" in output.get("data", {})]
    assert figures, f"{path.name} shows no figure"
