"""Links to pinned Keras, tf_keras and TensorFlow source lines point at lines that exist.

The pages back each statement about Keras with a GitHub link at a release tag, such as
``https://github.com/keras-team/keras/blob/v3.15.1/keras/src/trainers/epoch_iterator.py#L107``.
A link at the tag of the pinned version is checked against the installed package, whose
Python files are the repository's files at that tag: the file must exist and the anchored
lines must be inside it. The tf-keras wheel moves the repository's ``tf_keras/X`` to
``tf_keras/src/X`` and rewrites only import lines, so its line numbers are the
repository's, but a link to ``tf_keras/src/...`` points at a path that does not exist on
GitHub. Links at other tags (the standalone Keras 2.2.4 of the 2019 post) are historical
and not checked; nor is anything when an installed version differs from its pin.
"""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path

from tools import versions
from tools.snippets import page_files

#: GitHub repository -> (distribution whose pin gives the tag, top-level module it installs).
REPOSITORIES = {
    "keras-team/keras": ("keras", "keras"),
    "keras-team/tf-keras": ("tf-keras", "tf_keras"),
    "tensorflow/tensorflow": ("tensorflow", "tensorflow"),
}

LINK = re.compile(
    r"https://github\.com/(?P<repo>[\w.-]+/[\w.-]+)/blob/(?P<tag>[^/\s)]+)/"
    r"(?P<path>[^#\s)]+)(?:#L(?P<first>\d+)(?:-L(?P<last>\d+))?)?"
)


def installed_file(repo: str, path: str) -> Path | None:
    """Return the installed file that holds ``path`` of ``repo`` at its pinned tag.

    Returns None when the repository's top-level module is not installed, or when the
    path cannot exist in the repository (tf-keras's ``tf_keras/src/`` is the wheel's
    layout, not the repository's).
    """
    module = REPOSITORIES[repo][1]
    spec = importlib.util.find_spec(module)
    if spec is None or not spec.submodule_search_locations:
        return None
    site = Path(list(spec.submodule_search_locations)[0]).parent
    if repo == "keras-team/tf-keras":
        if not path.startswith("tf_keras/") or path.startswith("tf_keras/src/"):
            return None
        path = "tf_keras/src/" + path[len("tf_keras/") :]
    return site / path


def check_source_links(root: Path) -> list[str]:
    """Every link to a pinned source file names a file and lines that exist at the tag.

    Returns one ``page:line: what`` problem per link whose file is missing from the
    installed package (or from the repository's layout) or whose anchor runs past the
    end of the file. Source of the layout fact: the tf-keras repository at v2.21.0 holds
    ``tf_keras/engine/...`` while the wheel installs ``tf_keras/src/engine/...``.
    """
    pins = versions.pinned_versions()
    tags = {}
    for repo, (dist, _) in REPOSITORIES.items():
        pin = pins.get(dist)
        if pin and versions.installed_version(dist) == pin:
            tags[repo] = f"v{pin}"
    problems = []
    for pages in page_files(root).values():
        for page in pages:
            text = page.read_text(encoding="utf-8")
            for match in LINK.finditer(text):
                repo, tag, path = match["repo"], match["tag"], match["path"]
                if tags.get(repo) != tag:
                    continue
                line = text.count("\n", 0, match.start()) + 1
                where = f"{page.relative_to(root).as_posix()}:{line}"
                source = installed_file(repo, path)
                if source is None or not source.is_file():
                    problems.append(f"{where}: {repo} has no file {path} at {tag}")
                    continue
                if match["first"]:
                    length = len(source.read_text(encoding="utf-8").splitlines())
                    last = int(match["last"] or match["first"])
                    if not 1 <= int(match["first"]) <= last <= length:
                        problems.append(
                            f"{where}: {repo}/{path} at {tag} has {length} lines, "
                            f"not L{match['first']}-L{last}"
                        )
    return problems
