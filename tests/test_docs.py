"""The README and docs/ name files, folders and commands a newcomer will look for: each must exist."""

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DOCUMENTS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
# A project path in backticks: a top-level folder of the project, then more of the path.
TOP_LEVEL = "|".join(
    sorted(re.escape(entry.name) for entry in ROOT.iterdir() if not entry.name.startswith("."))
)
PATH = re.compile(rf"`((?:\.ci|{TOP_LEVEL})(?:/[\w.\-]+)*/?)(?:[:` ])")
MAKE = re.compile(r"`make ([\w-]+)")


def named(pattern):
    return sorted(
        {
            (document.relative_to(ROOT).as_posix(), name)
            for document in DOCUMENTS
            for name in pattern.findall(document.read_text())
        }
    )


@pytest.mark.parametrize(("document", "path"), named(PATH))
def test_every_path_the_docs_name_exists(document, path):
    assert (ROOT / path).exists(), f"{document} names {path}, which is not in the project"


@pytest.mark.parametrize(("document", "target"), named(MAKE))
def test_every_make_command_the_docs_name_exists(document, target):
    makefile = (ROOT / "Makefile").read_text()
    assert re.search(rf"^{re.escape(target)}:", makefile, re.M), f"{document} names make {target}"
