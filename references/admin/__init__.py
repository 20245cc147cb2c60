"""The reference library's admin; the modules register their admins on import."""

from .sources import KeyboardOrderingMedia, PositionsInOrder

__all__ = ["KeyboardOrderingMedia", "PositionsInOrder"]
