"""MkDocs hook: compile each theme template once per process, not once per build.

Every build gets a new Jinja environment, which compiled Material's templates again:
under ``mkdocs serve`` that was a sixth of each rebuild, and the English build of
``mkdocs build`` compiled them a second time. The environments of both languages are
made alike by the theme (same loader and options), so they share an in-memory
bytecode cache. Jinja keys it by template file and checks it against the template's
source, so an edited template (overrides/) is compiled again.
"""

from jinja2 import BytecodeCache


class MemoryBytecodeCache(BytecodeCache):
    """Jinja bytecode kept in a dict for the life of the process."""

    def __init__(self):
        """Start empty."""
        self.store: dict[str, bytes] = {}

    def load_bytecode(self, bucket):
        """Fill ``bucket`` from the store (Jinja discards it if the source changed)."""
        if bucket.key in self.store:
            bucket.bytecode_from_string(self.store[bucket.key])

    def dump_bytecode(self, bucket):
        """Keep the bucket's freshly compiled bytecode."""
        self.store[bucket.key] = bucket.bytecode_to_string()


CACHE = MemoryBytecodeCache()


def on_env(env, config, files):
    """Give the build's Jinja environment the shared bytecode cache."""
    env.bytecode_cache = CACHE
    return env
