"""What the content checker refuses in a course folder: every problem, with its file and line."""
from __future__ import annotations

import pytest

from webapp.content import ContentError, load_catalog


def problems(root) -> list[str]:
    with pytest.raises(ContentError) as caught:
        load_catalog(root)
    return caught.value.problems
