"""User CSV files: labels by name or index, label encoding, and errors naming file/line/column."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from desktop_app.core.data import DataSpec, load_dataset
from desktop_app.core.errors import DataError

HEADER = "sepal_length,sepal_width,species\n"


def write(tmp_path: Path, text: str, name: str = "iris.csv") -> str:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def rows(n: int) -> str:
    return "".join(f"{i}.5,{i},{'ab'[i % 2]}\n" for i in range(n))


def test_string_labels_map_to_sorted_integers(tmp_path: Path) -> None:
    src = write(tmp_path, HEADER + "1,2,versicolor\n3,4,setosa\n5,6,versicolor\n7,8,setosa\n")
    ds = load_dataset(DataSpec(src))
    assert ds.class_names == ("setosa", "versicolor")
    assert ds.y.tolist() == [1, 0, 1, 0] and ds.y.dtype == np.int64
    np.testing.assert_array_equal(ds.X, [[1, 2], [3, 4], [5, 6], [7, 8]])
    assert ds.X.dtype == np.float64
    assert ds.feature_names == ("sepal_length", "sepal_width") and ds.name == "iris.csv"


def test_numeric_labels_sort_as_numbers(tmp_path: Path) -> None:
    src = write(tmp_path, "a,cls\n" + "".join(f"{i},{c}\n" for i, c in
                                              enumerate(["10", "2", "2.0", "10", "-1", "-1"])))
    ds = load_dataset(DataSpec(src))
    assert ds.class_names == ("-1", "2", "10")
    assert ds.y.tolist() == [2, 1, 1, 2, 0, 0]


def test_label_column_by_name_or_index(tmp_path: Path) -> None:
    src = write(tmp_path, "kind,x,y\na,1,2\nb,3,4\na,5,6\nb,7,8\n", "s.csv")
    by_name = load_dataset(DataSpec(src, label_column="kind"))
    by_index = load_dataset(DataSpec(src, label_column=0))
    for ds in (by_name, by_index):
        assert ds.feature_names == ("x", "y") and ds.class_names == ("a", "b")
        np.testing.assert_array_equal(ds.X, [[1, 2], [3, 4], [5, 6], [7, 8]])


def test_semicolons_blank_lines_bom_and_quotes(tmp_path: Path) -> None:
    text = '\ufeffx;y;"label"\n1;2;"p"\n\n3;4;q\n5;6;p\n7;8;q\n'
    ds = load_dataset(DataSpec(write(tmp_path, text, "semi.csv")))
    assert ds.feature_names == ("x", "y") and ds.class_names == ("p", "q") and len(ds.y) == 4


@pytest.mark.parametrize(
    ("text", "label", "expected"),
    [
        (HEADER + rows(13) + "1.0,,a\n", None,
         ["iris.csv: line 15, column 'sepal_width': missing value"]),
        (HEADER + rows(3) + "1.0,NaN,a\n", None, ["line 5, column 'sepal_width'", "missing"]),
        (HEADER + rows(2) + "big,2,a\n", None,
         ["iris.csv: line 4, column 'sepal_length'", "text 'big' in a feature column"]),
        (HEADER + rows(4) + "1,inf,a\n", None, ["line 6, column 'sepal_width'", "finite"]),
        (HEADER + rows(3) + "1,2,\n", None, ["line 5, column 'species'", "missing label"]),
        (HEADER + rows(3) + "1,2\n", None,
         ["iris.csv: line 5", "2 values", "header (line 1) names 3 columns"]),
        (HEADER + rows(3) + "1,2,a,4\n", None, ["iris.csv: line 5", "4 values"]),
        (HEADER + "1,2,a\n3,4,a\n5,6,a\n", None,
         ["iris.csv: column 'species'", "one class only", "'a'"]),
        (HEADER, None, ["iris.csv", "no data rows"]),
        (HEADER + "\n\n", None, ["iris.csv", "no data rows"]),
        ("", None, ["iris.csv", "empty", "header"]),
        ("just_one\n1\n", None, ["iris.csv", "one column only"]),
        (HEADER + rows(4), "kind",
         ["iris.csv", "label column 'kind' not found",
          "'sepal_length', 'sepal_width', 'species'"]),
        (HEADER + rows(4), 3, ["iris.csv", "index 3 is out of range", "0 to 2"]),
        ("a,a,b\n1,2,x\n", "a", ["iris.csv", "'a' appears 2 times"]),
        ("x,price\n1,10\n2,11\n3,12\n4,12\n", None,
         ["iris.csv: column 'price'", "3 different labels in 4 rows"]),
    ],
)
def test_bad_csv_names_file_line_and_column(
    tmp_path: Path, text: str, label: str | int | None, expected: list[str]
) -> None:
    with pytest.raises(DataError) as info:
        load_dataset(DataSpec(write(tmp_path, text), label_column=label))
    for fragment in expected:
        assert fragment in str(info.value)
    assert str(info.value).startswith("iris.csv")


def test_missing_and_unreadable_files(tmp_path: Path) -> None:
    with pytest.raises(DataError, match=r"nope\.csv: file not found"):
        load_dataset(DataSpec(str(tmp_path / "nope.csv")))
    (tmp_path / "latin.csv").write_bytes(b"a,b\n\xe9,1\n")
    with pytest.raises(DataError, match=r"latin\.csv: is not UTF-8"):
        load_dataset(DataSpec(str(tmp_path / "latin.csv")))


def test_huge_but_finite_values_are_kept(tmp_path: Path) -> None:
    src = write(tmp_path, HEADER + "1e308,1e308,a\n-1e308,1e308,b\n1,2,a\n3,4,b\n")
    ds = load_dataset(DataSpec(src))
    assert ds.X[0].tolist() == [1e308, 1e308] and ds.X[1, 0] == -1e308
