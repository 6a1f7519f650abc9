"""Numbers as scoring explanations show them: `egovcli.textnorm.vi_number`, remembered.

An agency's explanations show about 150 numbers, and the same few (maxima, points, counts) again and
again across a round: looking them up costs a fraction of formatting them anew. The result is the
same for any arguments (1, 1.0 and True, 0.0 and -0.0 are one key, and show alike).
"""

from __future__ import annotations

from functools import lru_cache

from egovcli.textnorm import vi_number as _vi_number

vi_number = lru_cache(maxsize=1 << 14)(_vi_number)
