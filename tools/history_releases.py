"""The releases of the Keras history and the environments they run in (tools.history).

Kept apart from tools.history so that the checks, the page hooks and the history files
read the list without the command's machinery.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Environment:
    """One throwaway environment: a TensorFlow minor, its tf_keras, and a JAX."""

    name: str  # "tf-2.16"
    tensorflow: str
    tf_keras: str
    jax: str | None  # jax and jaxlib, same version; None: no Keras 3 runs here


#: One environment per TensorFlow minor. JAX: a release of the time of the Keras releases
#: that run there, which pip installs beside that TensorFlow's numpy and ml-dtypes.
ENVIRONMENTS = {
    env.name: env
    for env in (
        Environment("tf-2.15", "2.15.1", "2.15.1", None),
        Environment("tf-2.16", "2.16.2", "2.16.0", "0.4.25"),
        Environment("tf-2.17", "2.17.1", "2.17.0", "0.4.30"),
        Environment("tf-2.18", "2.18.1", "2.18.0", "0.4.35"),
        Environment("tf-2.19", "2.19.1", "2.19.0", "0.5.3"),
        Environment("tf-2.20", "2.20.0", "2.20.1", "0.7.0"),
        Environment("tf-2.21", "2.21.0", "2.21.0", "0.10.2"),
    )
}


@dataclass(frozen=True)
class Release:
    """One release of the history: ``keras`` 3.x or ``tf-keras`` 2.x, and where it runs."""

    package: str  # "keras" or "tf-keras"
    version: str
    environment: str  # a key of ENVIRONMENTS

    @property
    def label(self) -> str:
        """The name used on the command line and in the cache: ``3.7.0``, ``tf_keras-2.18.0``."""
        return self.version if self.package == "keras" else f"tf_keras-{self.version}"


KERAS3 = (
    ("3.0.5", "tf-2.16"),
    ("3.1.0", "tf-2.16"),
    ("3.1.1", "tf-2.16"),
    ("3.2.1", "tf-2.17"),
    ("3.3.3", "tf-2.17"),
    ("3.4.1", "tf-2.17"),
    ("3.5.0", "tf-2.18"),
    ("3.6.0", "tf-2.18"),
    ("3.7.0", "tf-2.18"),
    ("3.8.0", "tf-2.19"),
    ("3.9.2", "tf-2.19"),
    ("3.10.0", "tf-2.20"),
    ("3.11.3", "tf-2.20"),
    ("3.12.4", "tf-2.21"),
    ("3.13.2", "tf-2.21"),
    ("3.14.1", "tf-2.21"),
    ("3.15.0", "tf-2.21"),
    ("3.15.1", "tf-2.21"),
)
#: Every release of the history, in the order they run: environment after environment,
#: each environment's Keras 3 releases, then its tf_keras.
RELEASES = tuple(
    release
    for name, env in ENVIRONMENTS.items()
    for release in (
        *(Release("keras", version, where) for version, where in KERAS3 if where == name),
        Release("tf-keras", env.tf_keras, name),
    )
)


def releases_of(package: str) -> list[Release]:
    """Return the releases of one package (``keras`` or ``tf-keras``), oldest first."""
    return [release for release in RELEASES if release.package == package]
