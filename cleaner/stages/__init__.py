"""The bundled stages, one module (the entities stage: one package) each.

Each module defines a :class:`Stage` subclass decorated with ``@register("NAME")``; the stage's place,
options class and rule names are declared in :mod:`cleaner.core.registry` (``BUILTIN``), which imports a
module only when its stage is built. A stage from outside the package registers itself the same way
(docs/stages.md). Re-exported here so stage modules and plugins import them from one place.
"""

from ..core.registry import Stage, get, register, registry

__all__ = ["Stage", "get", "register", "registry"]
