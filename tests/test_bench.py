"""The benchmark's arithmetic and its refusal of bad input (its timings are not tested)."""

import pytest

from tools import bench


def test_the_summary_gives_medians_floor_and_both_ratios():
    runs = [
        {"bare pass": 100.0, "build": 20.0, "snippets only": 110.0, "full": 300.0},
        {"bare pass": 90.0, "build": 10.0, "snippets only": 100.0, "full": 240.0},
        {"bare pass": 110.0, "build": 30.0, "snippets only": 120.0, "full": 360.0},
    ]
    lines = bench.summary(runs)
    assert lines[0] == "median of 3 run(s):"
    assert "  floor            120.0 s (bare pass + build)" in lines
    assert "snippets only / bare pass = 1.10 (target <= 1.3)" in lines
    assert "full / floor = 2.50 (target <= 3.0); full = 5.0 min (target <= 5)" in lines


def test_without_the_full_command_there_is_no_full_ratio():
    lines = bench.summary([{"bare pass": 100.0, "build": 20.0, "snippets only": 110.0}])
    assert not any(line.startswith("full") for line in lines)


def test_a_failing_command_is_one_line_naming_it():
    with pytest.raises(SystemExit) as stopped:
        bench.timed(["python3", "-c", "import sys; print('boom'); sys.exit(3)"], "the probe")
    assert str(stopped.value) == "bench: the probe failed (exit 3): boom"


def test_runs_below_one_are_refused(capsys):
    with pytest.raises(SystemExit):
        bench.main(["--runs", "0"])
    assert "--runs takes a whole number of at least 1" in capsys.readouterr().err
