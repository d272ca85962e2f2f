"""The two fragments built as strings, for speed, hold to the partials they stand in for.

templates/calculator/_fragments.html is the reference: on generated text and figures each
string builder in costcalc/calculator/present.py must give the partial's HTML exactly.
"""

from django.utils.safestring import mark_safe
from hypothesis import given, settings
from hypothesis import strategies as st

from costcalc.calculator.present import (
    cards_markup,
    cards_reference,
    table_rows,
    table_rows_reference,
    whole_dollars,
)

text = st.text(
    st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=12
) | st.sampled_from(["<b>&'\"", "$1,234", "-$5", ""])
services = st.fixed_dictionaries(
    {"name": text, "share": text, "first": text, "last": text, "bound_by": text}
)
cards = st.fixed_dictionaries(
    {
        "index": st.integers(0, 10),
        "accent": st.integers(0, 6),
        "badge": st.sampled_from(["", "pending", "hidden", "shown"]),
        "name": text,
        "total": text,
        "verdict": text,
        "per_100k": text,
        "infra_per_million": text,
        "cost_per_million": text,
        "weeks": text,
        "services": st.lists(services, max_size=3),
        "categories": st.lists(st.tuples(text, text), max_size=5),
        "steps": st.none() | text.map(mark_safe),
        "workings_url": st.none() | text,
    }
)


@settings(max_examples=60, deadline=None)
@given(st.lists(cards, max_size=4), text)
def test_cards_built_as_strings_match_their_partial(generated, over):
    assert cards_markup(generated, over) == cards_reference(generated, over)


figures = st.floats(min_value=-1e15, max_value=1e15, allow_nan=False)


@settings(max_examples=60, deadline=None)
@given(
    st.integers(2, 8).flatmap(
        lambda width: st.tuples(
            st.just(width),
            st.lists(
                st.tuples(
                    st.integers(0, 600),
                    st.floats(0, 1e12, allow_nan=False),
                    st.lists(figures, min_size=width, max_size=3 * width).map(
                        lambda cells, w=width: cells[: len(cells) // w * w]
                    ),
                ),
                max_size=6,
            ),
        )
    )
)
def test_table_rows_built_as_strings_match_their_partial(table):
    # Each option's cells: its instance count, then whole dollars (negative ones included).
    width, rows = table
    months = [m for m, _, _ in rows]
    peaks = [p for _, p, _ in rows]
    cells = [whole_dollars([r])[0] if r else [] for _, _, r in rows]
    assert table_rows(months, peaks, cells, width) == table_rows_reference(
        months, peaks, cells, width
    )
