"""The GitHub workflows parse, match the schema, pin their actions and run our commands."""

import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from tools.snippets import ROOT

WORKFLOWS = ROOT / ".github" / "workflows"
SITE = WORKFLOWS / "site.yml"
DRIFT = WORKFLOWS / "drift.yml"


def workflow_files(folder: Path = WORKFLOWS) -> list[Path]:
    """Every workflow file GitHub runs: both .yml and .yaml."""
    return sorted(p for p in folder.iterdir() if p.suffix in (".yml", ".yaml"))


def unpinned_actions(path: Path) -> list[str]:
    """The ``uses:`` lines not pinned to a commit SHA with its version in a comment."""
    pinned = re.compile(r"uses: [\w.-]+/[\w.-]+@[0-9a-f]{40} # v\d+\.\d+\.\d+$")
    return [
        line.strip()
        for line in path.read_text(encoding="utf-8").splitlines()
        if "uses:" in line and not pinned.search(line)
    ]


def load(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def triggers(workflow: dict) -> dict:
    # YAML 1.1 reads the key `on` as True.
    return workflow.get("on", workflow.get(True))


def steps(workflow: dict):
    for job in workflow["jobs"].values():
        yield from job.get("steps", [])


@pytest.mark.parametrize("path", workflow_files(), ids=lambda p: p.name)
def test_workflow_matches_the_github_schema(path):
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "check_jsonschema",
            "--builtin-schema",
            "vendor.github-workflows",
            str(path),
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stdout + done.stderr


@pytest.mark.parametrize("path", workflow_files(), ids=lambda p: p.name)
def test_every_action_is_pinned_to_a_commit_with_its_version(path):
    assert unpinned_actions(path) == []


def test_every_workflow_file_is_checked_yml_and_yaml_alike(tmp_path):
    assert {"drift.yml", "site.yml"} <= {p.name for p in workflow_files()}
    stray = tmp_path / "release.yaml"
    stray.write_text(
        SITE.read_text(encoding="utf-8")
        + "  extra:\n    runs-on: ubuntu-latest\n    steps:\n"
        + "      - uses: actions/checkout@v4\n",
        encoding="utf-8",
    )
    assert workflow_files(tmp_path) == [stray]
    assert unpinned_actions(stray) == ["- uses: actions/checkout@v4"]


@pytest.mark.parametrize("path", workflow_files(), ids=lambda p: p.name)
def test_pip_downloads_are_cached(path):
    setups = [s for s in steps(load(path)) if s.get("uses", "").startswith("actions/setup-python@")]
    assert setups and all(s["with"]["cache"] == "pip" for s in setups)


def test_site_workflow_tests_on_pull_requests_and_deploys_only_main():
    workflow = load(SITE)
    on = triggers(workflow)
    assert on["push"]["branches"] == ["main"] and "pull_request" in on
    runs = [s.get("run") for s in workflow["jobs"]["test"]["steps"]]
    assert "make test" in runs and "make build" in runs  # the README's commands
    backends = [s.get("run") for s in workflow["jobs"]["backends"]["steps"]]
    assert "make backends" in backends  # every Keras 3 snippet on jax and torch too
    deploy = workflow["jobs"]["deploy"]
    assert deploy["needs"] == ["test", "backends"]
    assert "refs/heads/main" in deploy["if"] and "push" in deploy["if"]
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    assert deploy["steps"][0]["uses"].startswith("actions/deploy-pages@")
    upload = [
        s for s in workflow["jobs"]["test"]["steps"] if "upload-pages-artifact" in s.get("uses", "")
    ]
    assert upload[0]["with"]["path"] == "site" and "refs/heads/main" in upload[0]["if"]
    # Open in Colab's notebooks are published from main only, once both test jobs passed.
    notebooks = workflow["jobs"]["notebooks"]
    assert notebooks["needs"] == ["test", "backends"]
    assert "refs/heads/main" in notebooks["if"] and "push" in notebooks["if"]
    publish = " ".join(s.get("run", "") for s in notebooks["steps"])
    assert "python -m tools.publish_notebooks" in publish and "notebooks" in publish


def test_the_published_build_gets_its_address_repository_and_verification_date():
    # mkdocs.yml reads SITE_URL and SITE_REPO_URL (!ENV); SITE_VERIFIED_ON is written
    # only after make test passed, before make build (tools/hooks/version_stamp.py).
    test_steps = load(SITE)["jobs"]["test"]["steps"]
    runs = [s.get("run", "") for s in test_steps]
    build = runs.index("make build")
    dated = next(i for i, run in enumerate(runs) if "SITE_VERIFIED_ON=" in run)
    assert runs.index("make test") < dated < build
    assert set(test_steps[build]["env"]) == {"SITE_URL", "SITE_REPO_URL"}


def test_drift_workflow_runs_weekly_and_reports():
    workflow = load(DRIFT)
    cron = triggers(workflow)["schedule"][0]["cron"]
    assert len(cron.split()) == 5 and cron.split()[2:4] == ["*", "*"] and cron.split()[4] != "*"
    runs = [s.get("run", "") for s in steps(workflow)]
    assert any(r.startswith("python -m tools.drift") for r in runs)


def test_history_workflow_reruns_monthly_and_on_demand_and_shows_the_diff():
    workflow = load(WORKFLOWS / "history.yml")
    on = triggers(workflow)
    assert "workflow_dispatch" in on
    minute, hour, day, month, weekday = on["schedule"][0]["cron"].split()
    assert day.isdigit() and (month, weekday) == ("*", "*")  # once a month
    runs = [s.get("run", "") for s in steps(workflow)]
    assert "python -m tools.history --rerun all --prune" in runs
    assert any("git diff" in r and "GITHUB_STEP_SUMMARY" in r for r in runs)
