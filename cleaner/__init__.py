"""cleaner: repairs news text (markup, mojibake, spacing, garbled names, MT word choices, typos).

    >>> from cleaner import clean
    >>> clean("Ukraine&#8217;s forces crossed the border.< /p>")
    'Ukraine’s forces crossed the border.'
"""

from .config import Config, ConfigError
from .edits import Edit, OffsetMap
from .pipeline import Cleaner, Result, clean

__all__ = ["clean", "Cleaner", "Config", "ConfigError", "Edit", "OffsetMap", "Result", "__version__"]
__version__ = "0.1.0"
