"""cleaner: repairs news text (markup, mojibake, spacing, garbled names, MT word choices, typos).

    >>> from cleaner import clean
    >>> clean("Ukraine&#8217;s forces crossed the border.< /p>")
    'Ukraine’s forces crossed the border.'
"""

from .core.config import Config, ConfigError, load_file
from .core.edits import Edit, OffsetMap
from .core.pipeline import Cleaner, Result, clean

__all__ = ["clean", "Cleaner", "Config", "ConfigError", "Edit", "load_file", "OffsetMap", "Result", "__version__"]
__version__ = "0.1.0"
