"""The package a PyPI user gets: its metadata, and a wheel that works without the checkout.

The round trip builds the wheel and the sdist (``python -m build``), has ``twine check``
accept them, installs the wheel alone into a fresh virtual environment and runs every bundled
experiment from another folder (``spikeneuron run all --quick --out DIR``): the experiments
ship inside the wheel, and nothing may come from the source tree. It needs the ``lint`` extra
(build, twine) and PyPI or a pip cache for the dependencies.
"""

import os
import re
import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_metadata_says_what_a_pypi_user_expects():
    project = PYPROJECT["project"]
    assert project["readme"] == "README.md"  # the long description is the README
    assert project["requires-python"] == ">=3.11"
    assert project["license"] == "MIT"
    assert project["license-files"] == ["LICENSE"] and "MIT License" in (ROOT / "LICENSE").read_text()
    classifiers = project["classifiers"]
    assert "Programming Language :: Python :: 3 :: Only" in classifiers
    assert not [c for c in classifiers if c.startswith("License ::")]  # the SPDX field says it
    versions = [c.rsplit(" :: ", 1)[1] for c in classifiers
                if re.fullmatch(r"Programming Language :: Python :: 3\.\d+", c)]
    assert versions and min(versions, key=lambda v: int(v.split(".")[1])) == "3.11"


@pytest.mark.parametrize("extra", sorted(PYPROJECT["project"]["optional-dependencies"]))
def test_every_extra_is_named_in_the_readme(extra):
    """An extra the README does not mention is one no user will install."""
    installs = re.findall(r"\[([a-z,]+)\]", README)  # '.[test,docs]', 'spikeneuron[neo]'
    assert any(extra in spec.split(",") for spec in installs), f"README never names [{extra}]"


def _run(command, **kwargs):
    done = subprocess.run(command, capture_output=True, text=True, **kwargs)
    assert done.returncode == 0, \
        f"{command[:3]} failed:\n{done.stdout[-2000:]}\n{done.stderr[-3000:]}"
    return done


@pytest.mark.slow
def test_the_wheel_alone_runs_every_experiment_from_another_folder(tmp_path):
    pytest.importorskip("build", reason="the wheel test needs the lint extra (build, twine)")
    pytest.importorskip("twine", reason="the wheel test needs the lint extra (build, twine)")
    dist = tmp_path / "dist"
    _run([sys.executable, "-m", "build", "--sdist", "--wheel", "--outdir", str(dist), str(ROOT)],
         timeout=900)
    wheels, sdists = sorted(dist.glob("*.whl")), sorted(dist.glob("*.tar.gz"))
    assert len(wheels) == 1 and len(sdists) == 1
    checked = _run([sys.executable, "-m", "twine", "check", "--strict", *map(str, wheels + sdists)])
    assert checked.stdout.count("PASSED") == 2

    # every module of the package and every experiment script is inside the wheel
    inside = set(zipfile.ZipFile(wheels[0]).namelist())
    sources = [path.relative_to(ROOT).as_posix() for path in (ROOT / "spikeneuron").rglob("*.py")
               if "__pycache__" not in path.parts]
    experiments = sorted(path.name for path in (ROOT / "experiments").glob("*.py"))
    missing = [s for s in sources if s not in inside]
    missing += [] if any(n.endswith(".dist-info/licenses/LICENSE") for n in inside) else ["LICENSE"]
    missing += [f"experiments/{e}" for e in experiments
                if f"spikeneuron/lab/experiments/{e}" not in inside]
    assert not missing, f"not in the wheel: {missing}"

    venv = tmp_path / "venv"
    _run([sys.executable, "-m", "venv", str(venv)])
    python, command = venv / "bin" / "python", venv / "bin" / "spikeneuron"
    env = {key: value for key, value in os.environ.items()
           if key not in ("PYTHONPATH", "VIRTUAL_ENV", "PYTHONHOME")}
    env.update(MPLBACKEND="Agg", PIP_DISABLE_PIP_VERSION_CHECK="1")
    _run([str(python), "-m", "pip", "install", "-q", str(wheels[0])], env=env, timeout=900)

    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    where = _run([str(python), "-c", "import spikeneuron; print(spikeneuron.__file__)"],
                 cwd=elsewhere, env=env).stdout.strip()
    assert Path(where).resolve().is_relative_to(venv.resolve()), where
    done = _run([str(command), "run", "all", "--quick", "--out", "results"], cwd=elsewhere, env=env,
                timeout=1800)
    results = elsewhere / "results"
    assert (results / "report.html").is_file() and (results / "report.md").is_file()
    ran = sorted(path.parent.name for path in results.glob("*/summary.json"))
    listed = _run([str(command), "list"], cwd=elsewhere, env=env).stdout
    # the wheel alone has no scikit-learn: deep-twin (the digits) is skipped, naming the extra,
    # and every other experiment runs
    assert "deep-twin skipped: deep-twin needs scikit-learn" in done.stderr, done.stderr[-2000:]
    assert "pip install 'spikeneuron[learn]'" in (results / "report.md").read_text()
    assert "deep-twin" not in ran
    assert len(ran) == len([e for e in experiments if not e.startswith("_")]) - 1, ran
    assert all(name in listed for name in ran)
