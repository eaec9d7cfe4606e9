"""Installed versus pinned versions of the packages whose behaviour the site shows.

The outputs on the site are true for the versions pinned in ``requirements.txt``.
The build stamps every page with the installed versions, the test run warns in one
line when they differ from the pins, and the output refresher refuses to run then.
"""

from __future__ import annotations

import platform
import re
from importlib import metadata
from pathlib import Path

from packaging.requirements import InvalidRequirement, Requirement

ROOT = Path(__file__).resolve().parent.parent
REQUIREMENTS = ROOT / "requirements.txt"
#: Every pip requirements file of the project: each requirement pinned to one version.
REQUIREMENT_FILES = ("requirements.txt", "requirements-backends.txt")

#: Packages whose versions decide what the snippets print, with their display names.
OUTPUT_PACKAGES = {
    "tensorflow": "TensorFlow",
    "keras": "Keras",
    "tf-keras": "tf-keras",
    "numpy": "NumPy",
}

_PIN = re.compile(r"^\s*([A-Za-z0-9_.\-]+)\s*==\s*([^\s;#]+)")


def normalise(name: str) -> str:
    """Return a package name in PEP 503 normal form ("TF_Keras" -> "tf-keras")."""
    return re.sub(r"[-_.]+", "-", name).lower()


def pinned_versions(requirements: Path = REQUIREMENTS) -> dict[str, str]:
    """Read the ``name==version`` pins of a requirements file.

    Args:
        requirements: path of a pip requirements file.

    Returns:
        Normalised package name -> pinned version, for every ``==`` line.

    Raises:
        FileNotFoundError: when the file does not exist.
    """
    pins = {}
    for line in requirements.read_text(encoding="utf-8").splitlines():
        match = _PIN.match(line)
        if match:
            pins[normalise(match.group(1))] = match.group(2)
    return pins


def installed_version(name: str) -> str | None:
    """Return the installed version of distribution ``name``, or None if absent."""
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return None


def version_drift(requirements: Path = REQUIREMENTS) -> list[str]:
    """List the output-relevant packages whose installed version is not the pin.

    Returns:
        One human-readable item per mismatch, e.g. ``"keras 3.14.0 (pinned 3.15.1)"``;
        an empty list when every pinned output package is installed at its pin.
    """
    pins = pinned_versions(requirements)
    drift = []
    for name in OUTPUT_PACKAGES:
        if name not in pins:
            continue
        installed = installed_version(name)
        if installed != pins[name]:
            drift.append(f"{name} {installed or 'not installed'} (pinned {pins[name]})")
    return drift


def stamp(requirements: Path = REQUIREMENTS) -> list[tuple[str, str]]:
    """Return the (display name, installed version) pairs shown on every page.

    Python first, then each output package that ``requirements`` pins, in the order
    of ``OUTPUT_PACKAGES``. Versions are read from the installed packages.
    """
    pins = pinned_versions(requirements)
    pairs = [("Python", platform.python_version())]
    for name, label in OUTPUT_PACKAGES.items():
        if name in pins:
            pairs.append((label, installed_version(name) or "not installed"))
    return pairs


def pin_problems(requirements: Path) -> list[str]:
    """List the lines of a pip requirements file that are not one exact pin.

    Each requirement is parsed with ``packaging`` (PEP 508) and must carry exactly one
    ``==`` specifier with a full version: ``mkdocs-material==9.*``, ``torch>=2.13``,
    ``numpy==2.4.6,<3`` or a bare ``torch`` (which takes PyPI's newest wheel, for torch
    several GB of CUDA libraries) are problems. ``-r FILE`` includes are allowed; any
    other pip option is a problem too, since it changes where packages come from.

    Returns:
        One ``file:line: what`` text per problem; empty when every line is an exact pin.

    Raises:
        FileNotFoundError: when the file does not exist.
    """
    problems = []
    name = requirements.name
    for number, line in enumerate(requirements.read_text(encoding="utf-8").splitlines(), 1):
        text = line.split("#", 1)[0].strip()
        if not text:
            continue
        if text.startswith("-"):
            if not re.fullmatch(r"-r\s+\S+", text):
                problems.append(f"{name}:{number}: pip option {text!r}; only -r FILE is used")
            continue
        try:
            requirement = Requirement(text)
        except InvalidRequirement as error:
            problems.append(f"{name}:{number}: cannot parse {text!r}: {error}")
            continue
        specifiers = list(requirement.specifier)
        if (
            len(specifiers) != 1
            or specifiers[0].operator != "=="
            or "*" in specifiers[0].version
            or requirement.url
        ):
            problems.append(
                f"{name}:{number}: {text!r} is not one exact pin (name==version, one version)"
            )
    return problems
