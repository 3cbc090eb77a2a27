"""The documentation site the site tests read: built once per test session, or given.

``SPIKENEURON_DOCS_HTML=DIR`` names a site already built (CI builds it in an earlier step with
``python -m sphinx -W --keep-going -b html docs docs/_build/html`` and passes that folder);
otherwise the site is built into the session's temporary folder (a few minutes: it runs every
experiment and executes the tutorials), which needs the optional extra ``docs``.
"""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
EXTRA = "the site tests need the docs extra: pip install 'spikeneuron[docs]'"
_BUILT = {}


def site(tmp_path_factory):
    given = os.environ.get("SPIKENEURON_DOCS_HTML")
    if given:
        folder = Path(given)
        assert (folder / "index.html").is_file(), f"SPIKENEURON_DOCS_HTML={given} holds no site"
        return folder
    if "site" not in _BUILT:
        for module in ("sphinx", "numpydoc", "myst_nb", "pydata_sphinx_theme", "jupytext"):
            pytest.importorskip(module, reason=EXTRA)
        folder = tmp_path_factory.mktemp("site")
        done = subprocess.run([sys.executable, "-m", "sphinx", "-W", "--keep-going", "-q",
                               "-b", "html", str(ROOT / "docs"), str(folder)],
                              capture_output=True, text=True, timeout=1800)
        assert done.returncode == 0, f"the site did not build:\n{done.stderr[-5000:]}"
        _BUILT["site"] = folder
    return _BUILT["site"]
