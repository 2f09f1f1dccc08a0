"""Print the README's data-format reference from the schema, so the two never disagree.

    python scripts/schema_docs.py > /tmp/format.md   # then paste into README.md

tests/test_docs.py checks that the README documents every column, sector, kind and place key.
"""

from __future__ import annotations

from lcpgraph import schema
from lcpgraph.place import PLACE_KEYS, Place

_TYPES = {
    "id": "text (unique id)",
    "text": "text",
    "number": "number",
    "date": "date",
    "list": "list (`;`-separated)",
    "ref": "an id",
}

_PLACE_HELP = {
    "name": "the place's name: the title of the report",
    "unit_singular": "what one local unit is called in full",
    "unit_plural": "… and several (default: the singular with an s)",
    "unit_short": "the short form used in headings and tables (default: the full name)",
    "unit_short_plural": "… and its plural",
    "unit_types": "which partnership types are the local units (`;`-separated)",
    "expected_sectors": "the partner mix every local unit should have (`;`-separated sectors)",
    "focus_sectors": "the sectors whose isolation matters most (isolation lists, gap rings)",
    "levels": "the place's governance levels, top first (`;`-separated board levels)",
    "place_scope": "the scope value that means 'works across the whole place'",
    "max_units_per_partner": "a place-wide partner in more units than this is over-stretched",
}


def _choices(c: schema.Column) -> str:
    if c.name == "sector":
        return "a sector (below)"
    if c.type == "choice":
        return "one of " + ", ".join(f"`{x}`" for x in c.choices)
    return _TYPES.get(c.type, c.type)


def main() -> None:
    for table, cols in schema.TABLES.items():
        required = "required" if table in schema.REQUIRED_TABLES else "optional"
        print(f"#### `{table}.csv` ({required})\n")
        print("| column | required | type | meaning | example |")
        print("|---|---|---|---|---|")
        for c in cols:
            extra = ""
            if c.minimum is not None:
                extra = f" (at least {c.minimum:g})" if c.minimum_allowed else f" (more than {c.minimum:g})"
            print(
                f"| `{c.name}` | {'yes' if c.required else 'no'} | {_choices(c)}{extra} | {c.description} | `{c.example}` |"
            )
        print()
    print("#### `place.csv` (optional): the place profile\n")
    print(
        "Columns `key`, `value` and, as everywhere, `source`. Every key is optional; a blank value keeps the default.\n"
    )
    print("| key | meaning | default |")
    print("|---|---|---|")
    default = Place()
    for k in PLACE_KEYS:
        v = getattr(default, k)
        shown = "; ".join(v) if isinstance(v, tuple) else (str(v) if v != "" else "(none)")
        print(f"| `{k}` | {_PLACE_HELP[k]} | {shown} |")
    print("\n#### Sectors\n")
    print(
        "The default vocabulary; the first ten are the default expected mix. A dataset adds its own "
        "in `sectors.csv` (column `sector`, and `source`).\n"
    )
    print(", ".join(f"`{s}`" for s in schema.SECTORS) + ".\n")
    print("#### Relationship kinds\n")
    print("| kind | meaning | role | from | to | directed |")
    print("|---|---|---|---|---|---|")
    for k in schema.RELATIONSHIP_KINDS.values():
        print(
            f"| `{k.name}` | {k.description} | {k.role} | {', '.join(k.from_kinds)} | {', '.join(k.to_kinds)} | "
            f"{'yes' if k.directed else 'no (two-way)'} |"
        )


if __name__ == "__main__":
    main()
