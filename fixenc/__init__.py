"""fixenc: repair garbled Chinese text (乱码).

    >>> import fixenc
    >>> fixenc.repair("浣犲ソ涓栫晫").text
    '你好世界'

The public API is repair(), detect(), replay(), Result, Detection, Step, Span and FixencError.
Importing the package is cheap: the API, the model, ftfy and charset-normalizer load only when
first used (PEP 562 module attributes), so `fixenc --version` starts fast.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ._version import __version__

if TYPE_CHECKING:
    from .api import Result, detect, repair, replay
    from .detection import Detection
    from .errors import FixencError
    from .strategies import Span, Step

_LAZY = {
    "Result": "api", "detect": "api", "repair": "api", "replay": "api",
    "Detection": "detection", "FixencError": "errors", "Span": "strategies", "Step": "strategies",
}

__all__ = ["Detection", "FixencError", "Result", "Span", "Step", "__version__", "detect", "repair", "replay"]


def __getattr__(name: str) -> Any:
    module_name = _LAZY.get(name)
    if module_name is None:
        raise AttributeError(f"module 'fixenc' has no attribute {name!r}")
    from importlib import import_module

    value = getattr(import_module(f".{module_name}", __name__), name)
    globals()[name] = value
    return value
