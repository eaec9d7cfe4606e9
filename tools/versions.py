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

ROOT = Path(__file__).resolve().parent.parent
REQUIREMENTS = ROOT / "requirements.txt"

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
