"""Sphinx configuration of the spikeneuron site.

Build: ``python -m sphinx -W --keep-going -b html docs docs/_build/html`` (the extra ``docs``).
Warnings are errors: a docstring numpydoc cannot parse, a cross-reference to nothing (nitpicky
mode, checked for spikeneuron's own names; the network is not used, so references to numpy,
scipy, matplotlib and Python are not looked up) or a tutorial cell that raises fails the build.

Generated at every build (``_ext/spikeneuron_docs.py``, into the git-ignored ``generated/``):
the API reference from ``spikeneuron.__all__``, the command-line reference from the parser,
and the experiments gallery from a fresh ``spikeneuron run all --quick``. The tutorials
(``tutorials/[0-9]*.py``, jupytext percent format) are executed by myst-nb at every build.
"""

import os
import sys
import warnings
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE / "_ext"))

import spikeneuron  # noqa: E402  (after the path to our extension, which imports it too)

project = "spikeneuron"
author = "the spikeneuron developers"
copyright = "the spikeneuron developers"
release = spikeneuron.__version__
version = release

extensions = [
    "sphinx.ext.autodoc",
    "numpydoc",
    "sphinx.ext.mathjax",
    "myst_nb",
    "spikeneuron_docs",
]

# Only these are pages: the other .py files under docs/ (examples, the explorer figure's
# script, this file) are not tutorials.
include_patterns = ["*.md", "generated/**", "tutorials/[0-9]*.py"]
exclude_patterns = ["_build", "**.ipynb_checkpoints", "generated/gallery/results/**"]
root_doc = "index"

# Cross-references: every reference to spikeneuron's own names must resolve; references to
# other projects are not checked (that would need their inventories from the network).
nitpicky = True
nitpick_ignore = [
    # the private base class the Hodgkin–Huxley-type models share (not a public name)
    ("py:class", "spikeneuron.models.hh.GatedMembrane"),
]
nitpick_ignore_regex = [
    (r"py:.*", r"(numpy|np|scipy|matplotlib|dask|distributed|neo|quantities|numba|ipywidgets|"
               r"IPython|pathlib|os|argparse|collections|typing|enum|dataclasses|json)(\..*)?"),
    (r"py:.*", r"(int|float|str|bool|dict|list|tuple|callable|object|None|bytes|type|"
               r"Exception|ValueError|TypeError|RuntimeError|UserWarning|KeyboardInterrupt|"
               r"Path|Generator|Figure|Axes|Client)"),
]

# numpydoc renders the Parameters / Returns / Raises sections; the members of a class are
# documented by autodoc (below), so numpydoc's own member tables are off.
numpydoc_show_class_members = False
numpydoc_class_members_toctree = False
numpydoc_xref_param_type = False
# numpydoc reports a section it cannot read (a misspelt "Paramters", a malformed heading) as a
# Python warning, which Sphinx's -W does not see: make it an error, so the build fails.
warnings.filterwarnings("error", category=UserWarning, module=r"numpydoc(\..*)?")

autodoc_default_options = {"members": True, "undoc-members": False, "show-inheritance": False,
                           "member-order": "bysource"}
autodoc_typehints = "none"  # the docstrings state types with units; signatures stay short
autodoc_inherit_docstrings = False  # dataclass fields etc. must not inherit builtins' texts

# Tutorials: executed at every build, in a temporary folder (they write results), a cell
# that raises fails the build.
nb_custom_formats = {".py": ["jupytext.reads", {"fmt": "py:percent"}]}
# SPIKENEURON_DOCS_EXECUTE=off skips them for a quick local look at the other pages (the
# tutorials then show no outputs); CI never sets it.
nb_execution_mode = os.environ.get("SPIKENEURON_DOCS_EXECUTE", "force")
nb_execution_in_temp = True
nb_execution_timeout = 300
nb_execution_raise_on_error = True
nb_execution_show_tb = True
nb_merge_streams = True
myst_enable_extensions = ["dollarmath", "colon_fence"]
myst_heading_anchors = 3

# Command lines keep their double dashes (--quick, not an en dash).
smartquotes = False

html_theme = "pydata_sphinx_theme"
html_title = f"spikeneuron {release}"
html_theme_options = {
    "navigation_with_keys": False,
    "show_toc_level": 2,
    "footer_start": ["copyright"],
    "footer_end": ["sphinx-version"],
}
# A light page unless the reader chose otherwise (with no mode set, the theme logs an error
# to the console on a first visit, which the browser tests would rightly report).
html_context = {"default_mode": "light"}
html_static_path = ["_static"]
# Pages without sub-pages need no section navigation beside them.
html_sidebars = {page: [] for page in ("index", "getting_started", "concepts", "models",
                                       "performance", "changelog", "generated/cli")}
html_favicon = "_static/favicon.svg"  # the membrane potential of a spike
html_last_updated_fmt = None
