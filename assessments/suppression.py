"""Small-cell suppression: the one rule for every count of people shown (results page, summary
CSV, an assessment's "at a glance", the assessments list, the home page).

A pure function over a table of counts and the sums a reader knows relate them:

- primary: a count from 1 to MIN_CELL - 1 could single someone out; it shows as "fewer than 5".
  Zero is shown: it singles nobody out, and hiding zeros would hide most small tables entirely.
- complementary: a hidden count must not be recoverable from what is shown. Each relation is a
  line, sum(coefficient × cell) = something the reader knows (for example newcomers + receiving
  community - all respondents = -(prefer not to say), where we assume the reader knows how many
  preferred not to say: often none did). While some hidden cell is a linear combination of the
  shown cells — its unit vector lies in the row space of the lines restricted to hidden cells —
  the smallest shown cell sharing a line with it is hidden too ("withheld"), until none is.

The criterion, which tests/test_suppression.py checks on random tables: no hidden cell can be
worked out exactly from the shown cells by any combination of the table's sums. Bounds are not
part of it (a reader knows a "fewer than 5" cell is 1 to 4), so a narrow range can remain.
"""

from collections.abc import Hashable, Iterable, Mapping, Sequence
from fractions import Fraction

from django.utils.translation import gettext as _

MIN_CELL = 5
VISIBLE, SMALL, WITHHELD = "visible", "small", "withheld"

Line = Sequence[tuple[Hashable, int]]


def is_small(count: int) -> bool:
    return 0 < count < MIN_CELL


def suppress(
    counts: Mapping[Hashable, int],
    lines: Iterable[Line] = (),
    *,
    hidden: Iterable[Hashable] = (),
    shown: Iterable[Hashable] = (),
) -> dict[Hashable, str]:
    """{cell: VISIBLE | SMALL | WITHHELD} for every cell of `counts`.

    `hidden`: cells hidden elsewhere (a total another table hides); they are withheld here too.
    `shown`: cells whose value the reader has from elsewhere; never picked as a complement,
    since hiding them would protect nothing."""
    lines = [[(key, coef) for key, coef in line if coef] for line in lines]
    lines = [line for line in lines if line]
    order = {key: i for i, key in enumerate(counts)}
    shown = set(shown)
    state = {key: SMALL if is_small(n) else VISIBLE for key, n in counts.items()}
    for key in hidden:
        if state.get(key) == VISIBLE:
            state[key] = WITHHELD
    for _round in range(len(counts) + 1):
        exposed = derivable([k for k in counts if state[k] != VISIBLE], lines)
        if not exposed:
            break
        complement = _complement(sorted(exposed, key=order.get), lines, counts, state, shown, order)
        if complement is None:
            # No shown cell left beside an exposed one: withhold everything that can be withheld.
            for key in counts:
                if state[key] == VISIBLE and key not in shown:
                    state[key] = WITHHELD
            break
        state[complement] = WITHHELD
    return state


def _complement(exposed, lines, counts, state, shown, order):
    """The smallest shown count (zeros last: hiding a 0 protects less) on a line of the first
    exposed cell that has one."""
    for key in exposed:
        candidates = {
            other
            for line in lines
            if any(k == key for k, _c in line)
            for other, _c in line
            if state[other] == VISIBLE and other not in shown
        }
        if candidates:
            return min(candidates, key=lambda k: (counts[k] == 0, counts[k], order[k]))
    return None


def derivable(hidden: Sequence[Hashable], lines: Iterable[Line]) -> set:
    """The hidden cells a reader can compute exactly from the shown ones through the lines:
    those whose unit vector is in the row space of the lines restricted to hidden cells."""
    if not hidden:
        return set()
    lines = list(lines)
    graph = _as_graph(hidden, lines)
    if graph is not None:
        return _bridges(*graph)
    return _derivable_by_elimination(hidden, lines)


def _as_graph(hidden, lines):
    """Survey tables have each cell in at most two lines with coefficients ±1. If the signs
    can be evened out (each line scaled by ±1 so that every cell in two lines has opposite
    signs), the lines are the nodes of a graph and the hidden cells its edges (a cell in one
    line ends at a common "ground" node), and a cell is derivable exactly when its edge is a
    bridge: no cycle of hidden cells runs through it. Linear time instead of elimination."""
    hidden_set = set(hidden)
    seen: dict = {}
    for n, line in enumerate(lines):
        for key, coef in line:
            if key in hidden_set:
                if coef not in (1, -1):
                    return None
                seen.setdefault(key, []).append((n, coef))
    edges = []
    neighbours: dict = {}
    for key, ends in seen.items():
        if len(ends) > 2 or (len(ends) == 2 and ends[0][0] == ends[1][0]):
            return None
        if len(ends) == 2:
            (a, sa), (b, sb) = ends
            edges.append((key, a, b, sa * sb))
            neighbours.setdefault(a, []).append((b, sa * sb))
            neighbours.setdefault(b, []).append((a, sa * sb))
        else:
            edges.append((key, ends[0][0], "ground", None))
    # Scale the lines: opposite signs on every edge, consistent around every cycle.
    scale: dict = {}
    for start in neighbours:
        if start in scale:
            continue
        scale[start] = 1
        stack = [start]
        while stack:
            node = stack.pop()
            for other, product in neighbours[node]:
                wanted = -scale[node] * product
                if other not in scale:
                    scale[other] = wanted
                    stack.append(other)
                elif scale[other] != wanted:
                    return None
    return [(key, a, b) for key, a, b, _p in edges], set(hidden) - set(seen)


def _bridges(edges, unconstrained) -> set:
    """Bridges of a multigraph (iterative Tarjan); a hidden cell in no line is never derivable."""
    adjacency: dict = {}
    for i, (_key, a, b) in enumerate(edges):
        adjacency.setdefault(a, []).append((b, i))
        adjacency.setdefault(b, []).append((a, i))
    order, low, found = {}, {}, set()
    counter = 0
    for root in adjacency:
        if root in order:
            continue
        order[root] = low[root] = counter
        counter += 1
        stack = [(root, None, iter(adjacency[root]))]
        while stack:
            node, via, neighbours = stack[-1]
            for other, edge in neighbours:
                if edge == via:
                    continue
                if other in order:
                    low[node] = min(low[node], order[other])
                else:
                    order[other] = low[other] = counter
                    counter += 1
                    stack.append((other, edge, iter(adjacency[other])))
                    break
            else:
                stack.pop()
                if stack:
                    parent = stack[-1][0]
                    low[parent] = min(low[parent], low[node])
                    if low[node] > order[parent]:
                        found.add(edges[via][0])
    return found - unconstrained


def _derivable_by_elimination(hidden, lines) -> set:
    """The general case: a row of the reduced row echelon form with a single non-zero entry."""
    index = {key: i for i, key in enumerate(hidden)}
    rows = []
    for line in lines:
        row = [Fraction(0)] * len(hidden)
        for key, coef in line:
            if key in index:
                row[index[key]] += coef
        if any(row):
            rows.append(row)
    pivot_rows = _reduce(rows, len(hidden))
    return {hidden[col] for col, row in pivot_rows if sum(1 for x in row if x) == 1}


def _reduce(rows: list[list[Fraction]], width: int) -> list[tuple[int, list[Fraction]]]:
    """Gauss-Jordan elimination: [(pivot column, reduced row)]."""
    pivots = []
    r = 0
    for col in range(width):
        pick = next((i for i in range(r, len(rows)) if rows[i][col]), None)
        if pick is None:
            continue
        rows[r], rows[pick] = rows[pick], rows[r]
        lead = rows[r][col]
        rows[r] = [x / lead for x in rows[r]]
        for i in range(len(rows)):
            if i != r and rows[i][col]:
                factor = rows[i][col]
                rows[i] = [a - factor * b for a, b in zip(rows[i], rows[r], strict=True)]
        pivots.append(col)
        r += 1
        if r == len(rows):
            break
    return [(col, rows[i]) for i, col in enumerate(pivots)]


def display(count: int, state: str) -> str:
    if state == SMALL:
        return _("fewer than 5")
    if state == WITHHELD:
        return _("hidden")
    return str(count)


def count_display(count: int) -> str:
    """A count shown on its own, outside any table (primary suppression only)."""
    return display(count, SMALL if is_small(count) else VISIBLE)
