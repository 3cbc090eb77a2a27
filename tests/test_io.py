"""Files written by the library: strict JSON, never NaN or Infinity."""

import json
import math

import numpy as np
import pytest

from spikeneuron import ValidationError
from spikeneuron._io import NOT_FINITE_NOTE, write_json_atomic


def _strict(text):
    """Parse as a reader other than Python's would: NaN and Infinity are not JSON."""
    def refuse(constant):
        raise AssertionError(f"{constant} is not JSON")
    return json.loads(text, parse_constant=refuse)


def test_numbers_that_are_not_finite_become_null_with_a_note_saying_which(tmp_path):
    path = tmp_path / "summary.json"
    write_json_atomic(path, {"rate_hz": np.inf, "errors": [1.5, math.nan], "fit": {"slope": -np.inf},
                             "count": np.int64(3)})
    data = _strict(path.read_text())
    assert data["rate_hz"] is None and data["errors"] == [1.5, None] and data["fit"] == {"slope": None}
    assert data["count"] == 3
    assert data[NOT_FINITE_NOTE] == {"rate_hz": "inf", "errors[1]": "nan", "fit.slope": "-inf"}


def test_finite_data_gets_no_note(tmp_path):
    write_json_atomic(tmp_path / "a.json", {"x": 1.0, "y": [2, 3]})
    assert NOT_FINITE_NOTE not in _strict((tmp_path / "a.json").read_text())


def test_a_list_with_nowhere_to_put_the_note_is_refused_and_nothing_is_left(tmp_path):
    with pytest.raises(ValidationError, match=r"\[1\] = inf"):
        write_json_atomic(tmp_path / "rows.json", [1.0, math.inf])
    assert list(tmp_path.iterdir()) == []


def test_the_lock_file_goes_with_the_run_however_it_ends(tmp_path):
    from spikeneuron._io import folder_lock

    with folder_lock(tmp_path / "a"):
        assert (tmp_path / "a" / ".spikeneuron.lock").exists()
    assert not (tmp_path / "a" / ".spikeneuron.lock").exists()
    with pytest.raises(KeyboardInterrupt):  # Ctrl-C
        with folder_lock(tmp_path / "a"):
            raise KeyboardInterrupt
    assert not (tmp_path / "a" / ".spikeneuron.lock").exists()


def test_a_killed_runs_leftovers_are_removed_but_a_live_runs_are_not(tmp_path):
    import fcntl

    from spikeneuron._io import folder_lock

    dead, live = tmp_path / "runs" / "dead", tmp_path / "runs" / "live"
    for folder in (dead, live):
        (folder / "deep").mkdir(parents=True)
        (folder / ".spikeneuron.lock").write_text("pid 1\n")
        (folder / "deep" / ".summary.json.abcd1234.tmp").write_text("")
    with open(live / ".spikeneuron.lock", "a+") as held:  # a live run's lock
        fcntl.flock(held, fcntl.LOCK_EX | fcntl.LOCK_NB)
        with folder_lock(tmp_path):
            pass
    assert not (dead / ".spikeneuron.lock").exists()
    assert not (dead / "deep" / ".summary.json.abcd1234.tmp").exists()
    assert (live / ".spikeneuron.lock").exists() and (live / "deep" / ".summary.json.abcd1234.tmp").exists()
