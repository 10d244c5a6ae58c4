import pytest

from execsponsor.core.titles import function_of_title


@pytest.mark.parametrize(
    ("title", "function"),
    [
        ("Chief Financial Officer", "cfo"),
        ("CFO", "cfo"),
        ("Chief Information Officer", "cio"),
        ("VP, IT Operations", "cio"),
        ("Chief Executive Officer", "ceo"),
        ("Head of Data Platform", "cto"),
        ("VP Customer Experience", "cco"),
        ("Executive Vice President, Digital", "cdo"),
        ("Chief Digital Officer", "cdo"),
        ("Director of Procurement", None),
        ("", None),
    ],
)
def test_it_reads_the_function_from_a_title(title, function):
    assert function_of_title(title) == function
