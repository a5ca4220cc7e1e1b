"""Frame recoding: the CAMEO code of an act governed by an appeal, intent, demand, rejection or threat.

Data in ``data/frames.yaml``; the event engine calls ``FrameTable.code(frame, act_code)`` once the parse
shows that a frame trigger ("threatened to", "agreed to", "urged") governs an act trigger.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from detente import cameo
from detente.errors import InputError

__all__ = ["FRAME_ROOTS", "FrameTable"]

# The CAMEO root of each frame family.
FRAME_ROOTS: Mapping[str, str] = {
    "appeal": "02",
    "intent": "03",
    "demand": "10",
    "reject": "12",
    "threaten": "13",
}
_FRAME_OF_ROOT = {root: frame for frame, root in FRAME_ROOTS.items()}


@dataclass(frozen=True, slots=True)
class _Frame:
    roots: frozenset[str]
    default: str
    codes: Mapping[str, str]
    conflict_frame: str | None


class FrameTable:
    """Longest-prefix lookup from an act code to the code of its frame."""

    def __init__(self, frames: Mapping[str, _Frame]) -> None:
        self._frames = dict(frames)

    @classmethod
    def parse(cls, name: str, data: Any) -> FrameTable:
        if not isinstance(data, dict) or set(data) - set(FRAME_ROOTS):
            raise InputError(f"{name}: expected frames {', '.join(FRAME_ROOTS)}")
        frames: dict[str, _Frame] = {}
        for frame, body in data.items():
            where = f"{name} frame {frame}"
            if not isinstance(body, dict) or set(body) - {"roots", "default", "codes", "conflict_frame"}:
                raise InputError(f"{where}: expected roots, default, codes and optionally conflict_frame")
            codes = {str(k): str(v) for k, v in (body.get("codes") or {}).items()}
            default = str(body.get("default", ""))
            for code in (default, *codes.values()):
                if not cameo.is_valid(code) or code[:2] != FRAME_ROOTS[frame]:
                    raise InputError(f"{where}: {code!r} is not a CAMEO code of root {FRAME_ROOTS[frame]}")
            for act in codes:
                if not cameo.is_valid(act):
                    raise InputError(f"{where}: act {act!r} is not a CAMEO code")
            conflict = body.get("conflict_frame")
            if conflict is not None and conflict not in FRAME_ROOTS:
                raise InputError(f"{where}: conflict_frame {conflict!r} is not a frame")
            frames[frame] = _Frame(
                roots=frozenset(str(r) for r in body.get("roots") or ()),
                default=default,
                codes=codes,
                conflict_frame=conflict,
            )
        return cls(frames)

    def code(self, frame: str, act_code: str) -> str | None:
        """The code for ``act_code`` under ``frame``, or None when the frame does not recode that act
        (e.g. threaten + 163 "impose sanctions" -> 1312; intent + 084 "release" -> 0353)."""
        if frame not in self._frames:
            raise KeyError(f"no frame {frame!r}; frames are {', '.join(FRAME_ROOTS)}")
        spec = self._frames[frame]
        root = act_code[:2]
        if spec.conflict_frame is not None and "10" <= root <= "20":
            return self.code(spec.conflict_frame, act_code)
        if root not in spec.roots:
            return None
        for length in (4, 3, 2):
            key = act_code[:length]
            if len(key) == length and key in spec.codes:
                return spec.codes[key]
        return spec.default

    @staticmethod
    def frame_of(code: str) -> str | None:
        """The frame a trigger's own code belongs to ("138" -> "threaten"), or None for act codes."""
        return _FRAME_OF_ROOT.get(code[:2])
