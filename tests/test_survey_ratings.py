"""ratings.csv: loaded with the dataset, validated against its organisations, every problem located."""

from pathlib import Path

import pytest

import lcpgraph
from lcpgraph import views
from lcpgraph.exceptions import ValidationError
from lcpgraph.raw import RawTable
from lcpgraph.survey.example import tiny_example
from lcpgraph.survey.ratings import read_ratings, validate_ratings, wave_order

SOURCE = "illustrative (invented example)"


def tiny_folder(folder: Path, ratings: str | None = None) -> Path:
    """The four invented partners of :func:`tiny_example` as a dataset folder (Ash, Birch, Cedar in North)."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "organisations.csv").write_text(
        "id,name,sector,source\n"
        f"a,Ash,third sector,{SOURCE}\nb,Birch,primary care,{SOURCE}\n"
        f"c,Cedar,third sector,{SOURCE}\nd,Dee,housing,{SOURCE}\n",
        encoding="utf-8",
    )
    (folder / "partnerships.csv").write_text(f"id,name,type,source\nlcp-north,North,lcp,{SOURCE}\n", encoding="utf-8")
    (folder / "relationships.csv").write_text(
        "from,to,kind,source\n" + "".join(f"{o},lcp-north,member_of,{SOURCE}\n" for o in "abc"), encoding="utf-8"
    )
    if ratings is not None:
        (folder / "ratings.csv").write_text(ratings, encoding="utf-8")
    return folder


HEADER = "respondent,partner,wave,date,works_with,frequency,intensity,reliability,mission,openness,influence,involvement,resources,note,source\n"


def _problems(tmp_path, body: str, header: str = HEADER) -> list:
    # Loading checks the ratings against the records, as it checks every other table.
    with pytest.raises(ValidationError) as err:
        lcpgraph.load(tiny_folder(tmp_path / "d", header + body))
    return err.value.problems


def test_a_dataset_folder_with_ratings_loads_and_validates(tmp_path):
    body = (
        f"a,b,2025,15/03/2025,yes,monthly,Coordination,3 a fair amount,4,4,2,2,1,joint clinic,{SOURCE}\n"
        f"a,c,2025,,no,,,,,,,,,,{SOURCE}\n"
        ",,,,,,,,,,,,,,\n"  # a blank line Excel leaves behind: skipped
        f"b,a,2025,,,,awareness,,,,,,,,{SOURCE}\n"  # no works_with, but a level: a tie
    )
    G = lcpgraph.load(tiny_folder(tmp_path / "d", HEADER + body))
    df = read_ratings(G)
    assert df[["respondent", "partner"]].values.tolist() == [["a", "b"], ["a", "c"], ["b", "a"]]
    assert df["reliability"].tolist()[0] == 3 and df["mission"].tolist()[0] == 4 and df["resources"].tolist()[0] == 1
    assert df["date"].tolist()[0] == "2025-03-15" and df["date"].isna().tolist() == [False, True, True]
    assert df["works_with"].tolist() == [True, False, True]
    assert df["intensity"].tolist()[0] == 3 and df["intensity"].isna().tolist() == [False, True, False]
    assert df["row"].tolist() == [2, 3, 5]
    assert df.loc[0, "frequency"] == "monthly" and df.loc[0, "note"] == "joint clinic"
    assert read_ratings(G) is df  # read once per graph
    assert read_ratings(views.at(G, "2025-01-01")).equals(df)  # the --as-of view keeps the ratings


def test_no_ratings_is_an_empty_frame():
    G, _ = tiny_example()
    del G.graph["ratings_table"]
    df = read_ratings(G)
    assert df.empty and "reliability" in df.columns


@pytest.mark.parametrize(
    "row,column,fragment",
    [
        ("a,b,2025,,yes,,,5,,,,,,,x", "reliability", "off the scale"),
        ("a,b,2025,,yes,,,0,,,,,,,x", "reliability", "off the scale"),
        ("a,b,2025,,yes,,,2.5,,,,,,,x", "reliability", "off the scale"),
        ("a,b,2025,,yes,,,,,,,,lots,,x", "resources", "off the scale"),
        ("a,b,2025,,yes,,,3 a great deal,,,,,,,x", "reliability", "off the scale"),  # two answers in one
        ("a,b,2025,,yes,,merged,,,,,,,,x", "intensity", "is not one of"),
        ("a,b,2025,,yes,fortnightly,,,,,,,,,x", "frequency", "is not one of"),
        ("a,b,2025,,maybe,,,,,,,,,,x", "works_with", "must be yes or no"),
        ("a,b,2025,31/02/2025,yes,,,,,,,,,,x", "date", "is not a date"),
        ("a,b,,,yes,,,,,,,,,,x", "wave", "no date"),
        ("a,a,2025,,yes,,,,,,,,,,x", "partner", "rates itself"),
        ("a,bb,2025,,yes,,,,,,,,,,x", "partner", "not the id of any organisation; did you mean 'b'?"),
        ("zz,b,2025,,yes,,,,,,,,,,x", "respondent", "not the id of any organisation"),
        ("a,lcp-north,2025,,yes,,,,,,,,,,x", "partner", "is a partnership, not an organisation"),
        (",b,2025,,yes,,,,,,,,,,x", "respondent", "respondent is blank"),
        ("a,b,2025,,no,,cooperation,,,,,,,,x", "intensity", "works_with is 'no'"),
        ("a,b,2025,,no,,,,,3,,,,,x", "openness", "works_with is 'no'"),
        ("a,b,2025,,yes,,,,,,,,,,", "source", "source is blank"),
        (
            'a,b,2025,,yes,,,,,,,,,,"EXAMPLE - delete this row, or write where it came from to keep it"',
            "source",
            "example",
        ),
        ("a,b,2025,,yes,,,,,,,,,note\x07,x", "note", "control character"),
    ],
)
def test_every_bad_value_is_located(tmp_path, row, column, fragment):
    problems = _problems(tmp_path, row + "\n")
    assert any(p.row == 2 and p.column == column and fragment in p.message for p in problems), problems
    assert all(p.path.endswith("ratings.csv") for p in problems)


def test_two_answers_for_one_pair_in_one_wave(tmp_path):
    body = "a,b,2025,,yes,,,,,,,,,,x\na,b,2024,,yes,,,,,,,,,,x\na,b,2025,,no,,,,,,,,,,x\n"
    problems = _problems(tmp_path, body)
    assert [(p.row, p.column) for p in problems] == [(4, "partner")]
    assert "already answered about 'b' in wave '2025' at row 2" in problems[0].message


def test_header_problems(tmp_path):
    problems = _problems(tmp_path, "a,b,yes,x\n", header="respondent,partner,works_with,source\n")
    # a valid minimal header; a row with no wave and no date is the only problem
    assert [(p.row, p.column) for p in problems] == [(2, "wave")]
    problems = _problems(tmp_path, "a,b,1,yes,3\n", header="respondent,partner,wave,works_with,reliabilty\n")
    assert {(p.row, p.column) for p in problems} == {(1, "reliabilty"), (1, "source")}
    assert any("did you mean 'reliability'" in p.message for p in problems)
    problems = _problems(tmp_path, "a,b,1,yes,x,x\n", header="respondent,partner,wave,works_with,source,Source\n")
    assert [(p.row, p.column) for p in problems] == [(1, "source")] and "twice" in problems[0].message


def test_extra_cells_and_names_columns(tmp_path):
    problems = _problems(tmp_path, "a,b,1,yes,x,surplus\n", header="respondent,partner,wave,works_with,source\n")
    assert [(p.row, p.column) for p in problems] == [(2, None)] and "unquoted comma" in problems[0].message
    # the help columns lcpgraph writes (names beside ids) are accepted and ignored
    G = lcpgraph.load(
        tiny_folder(
            tmp_path / "ok",
            "respondent,respondent_name,partner,partner_name,wave,works_with,source\na,Ash,b,Birch,1,yes,x\n",
        )
    )
    assert len(read_ratings(G)) == 1


def test_every_problem_at_once(tmp_path):
    body = "a,b,2025,,yes,,,5,,,,,,,x\na,a,2025,,yes,,,,,,,,,,x\nq,b,2025,,yes,,,,,,,,,,x\n"
    problems = _problems(tmp_path, body)
    assert [p.row for p in problems] == [2, 3, 4]


def test_wave_from_the_date_and_wave_order():
    G, _ = tiny_example()
    table = RawTable(
        "ratings",
        "r.csv",
        ["respondent", "partner", "wave", "date", "works_with", "source"],
        [
            (2, ["a", "b", "", "2024-05-01", "yes", "x"]),
            (3, ["a", "b", "spring", "2023-04-01", "yes", "x"]),
            (4, ["a", "c", "10", "", "yes", "x"]),
            (5, ["a", "d", "2", "", "yes", "x"]),
        ],
    )
    df = validate_ratings(table, G)
    assert sorted(df["wave"]) == ["10", "2", "2024", "spring"]
    # not every wave has a date: labels in natural order (numbers first, as numbers)
    assert wave_order(df) == ["2", "10", "2024", "spring"]
    dated = df[df["date"].notna()]
    assert wave_order(dated) == ["spring", "2024"]  # every wave dated: by date


def test_a_row_with_no_answer_is_asked_and_not_answered(tmp_path):
    body = "a,b,2025,,yes,,,,,,,,,,x\na,c,2025,,,,,,,,,,,,x\nb,d,2025,,,,,,,,,,,a note only,x\n"
    G = lcpgraph.load(tiny_folder(tmp_path / "d", HEADER + body))
    df = read_ratings(G)
    assert df["works_with"].tolist()[0] is True and df["works_with"].isna().tolist() == [False, True, True]
    from lcpgraph.survey.scores import response_rates

    # c and d appear (they were asked about), b answered nothing: 1 of 4 replied
    overall = response_rates(G).iloc[0]
    assert (overall["surveyed"], overall["responded"], overall["not_replied"]) == (4, 1, "Birch; Cedar; Dee")
