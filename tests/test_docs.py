"""The README stays true: it documents every column, sector and relationship kind of the schema."""

from pathlib import Path

import pytest

from lcpgraph import schema

README = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("table", list(schema.TABLES))
def test_readme_documents_every_column(table):
    section = README.split(f"#### `{table}.csv`", 1)
    assert len(section) == 2, f"README has no section for {table}.csv"
    body = section[1].split("####", 1)[0]
    for col in schema.TABLES[table]:
        assert f"| `{col.name}` | {'yes' if col.required else 'no'} |" in body, f"{table}.{col.name}"


def test_readme_lists_every_sector_and_relationship_kind():
    for s in schema.SECTORS:
        assert f"`{s}`" in README, s
    for k in schema.RELATIONSHIP_KINDS:
        assert f"| `{k}` |" in README, k


def test_readme_documents_every_place_key():
    from lcpgraph.place import PLACE_KEYS

    section = README.split("#### `place.csv`", 1)[1].split("####", 1)[0]
    for key in PLACE_KEYS:
        assert f"| `{key}` |" in section, key


def test_readme_opens_with_the_two_commands():
    blocks = [b.split("```", 1)[0] for b in README.split("```bash\n")[1:3]]
    assert "pip install ." in blocks[0] and "lcpgraph " in blocks[0]
    assert "pip install -e '.[test]'" in blocks[1] and "pytest" in blocks[1]
