"""fixenc: repair garbled Chinese text (乱码).

    >>> import fixenc
    >>> fixenc.repair("浣犲ソ涓栫晫").text
    '你好世界'

The public API is repair(), detect(), replay(), Result, Detection and Step. Importing it is
cheap: the model, ftfy and charset-normalizer load only when a repair needs them.
"""
from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

from .api import Result, detect, repair, replay
from .detect import Detection
from .errors import FixencError
from .strategies import Span, Step

try:
    __version__ = version("fixenc")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0.0.0+unknown"

__all__ = ["Detection", "FixencError", "Result", "Span", "Step", "__version__", "detect", "repair", "replay"]
