"""House style across the notebooks: one vocabulary, one copy of each helper, short cells,
exercise solutions that run, a hidden setup cell (CONTRIBUTING.md, "House style")."""

from __future__ import annotations

import ast
import builtins
import copy
import itertools
import re
import symtable
from pathlib import Path

import pytest
from conftest import ROOT, cell_source, code_cells, load_notebook, notebooks, python_of

NOTEBOOKS = notebooks()
IDS = [str(p.relative_to(ROOT)) for p in NOTEBOOKS]
MAX_CELL_LINES = 60

# Names in code that have a standard term in PyTorch or scikit-learn (CONTRIBUTING's vocabulary).
OFF_VOCABULARY = {
    "opt": "optimizer",
    "optim": "optimizer",
    "criterion": "loss_fn",
    "epochs": "num_epochs",
    "n_epochs": "num_epochs",
    "EPOCHS": "NUM_EPOCHS",
    "N_EPOCHS": "NUM_EPOCHS",
}
OFF_VOCABULARY_PART = {"optimiser": "optimizer", "optimizor": "optimizer"}


def parsed_cells(path: Path) -> list[ast.Module]:
    """Each code cell after the setup cell, parsed; `%%writefile` cells are scripts, left out."""
    cells = [cell_source(cell) for cell in code_cells(load_notebook(path))[1:]]
    return [ast.parse(python_of(s)) for s in cells if not s.lstrip().startswith("%%")]


def identifiers(tree: ast.AST) -> set[str]:
    """Variable, argument, function and class names that a cell binds or reads."""
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Name):
            names.add(node.id)
        elif isinstance(node, ast.arg):
            names.add(node.arg)
        elif isinstance(node, ast.FunctionDef | ast.ClassDef):
            names.add(node.name)
        elif isinstance(node, ast.keyword) and node.arg:
            continue  # a library's own keyword (`epochs=` of Keras) is not ours to rename
    return names


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_code_uses_the_field_vocabulary(path: Path) -> None:
    wrong = set()
    for tree in parsed_cells(path):
        for name in identifiers(tree):
            if name in OFF_VOCABULARY:
                wrong.add(f"{name} -> {OFF_VOCABULARY[name]}")
            wrong |= {
                f"{name} -> {name.replace(part, good)}"
                for part, good in OFF_VOCABULARY_PART.items()
                if part in name.lower()
            }
    assert not wrong, f"{path.name}: use the vocabulary of CONTRIBUTING.md: {sorted(wrong)}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_code_cells_hold_one_idea(path: Path) -> None:
    long = [
        (index, len(cell_source(cell).splitlines()))
        for index, cell in enumerate(load_notebook(path)["cells"])
        if cell["cell_type"] == "code" and len(cell_source(cell).splitlines()) > MAX_CELL_LINES
    ]
    assert not long, f"{path.name}: (cell, lines) over {MAX_CELL_LINES} lines: {long}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_setup_cell_is_hidden_on_the_site(path: Path) -> None:
    """The setup cell's boilerplate folds away on the page ("hide-input"), and still runs."""
    tags = code_cells(load_notebook(path))[0].get("metadata", {}).get("tags", [])
    assert "hide-input" in tags, f"{path.name}: tag the setup cell `hide-input`"


def top_level_definitions(path: Path) -> dict[str, str]:
    """Source of each function and class that a notebook defines at the top of a cell."""
    return {
        node.name: ast.unparse(node)
        for tree in parsed_cells(path)
        for node in tree.body
        if isinstance(node, ast.FunctionDef | ast.ClassDef)
    }


def test_a_helper_shared_by_chapters_is_one_copy() -> None:
    """A name defined in two notebooks is the same helper, to the letter: copies must not drift.

    A chapter's own variant takes a name that says what differs (`train_dp_sgd`, not `train`).
    """
    definitions = {path: top_level_definitions(path) for path in NOTEBOOKS}
    drifted = []
    names = {name for found in definitions.values() for name in found}
    for name in sorted(names):
        sources = {p.name: d[name] for p, d in definitions.items() if name in d}
        if len(set(sources.values())) > 1:
            drifted.append(f"{name}: {sorted(sources)}")
    assert not drifted, "helpers with one name and different code:\n" + "\n".join(drifted)


class _Shape(ast.NodeTransformer):
    """Forget names, attributes' names and literal values: what is left is a function's shape."""

    def visit_Name(self, node: ast.Name) -> ast.AST:
        return ast.Name(id="_", ctx=node.ctx)

    def visit_arg(self, node: ast.arg) -> ast.AST:
        return ast.arg(arg="_")

    def visit_Constant(self, node: ast.Constant) -> ast.AST:
        return ast.Constant(value=0)

    def visit_Attribute(self, node: ast.Attribute) -> ast.AST:
        self.generic_visit(node)
        return ast.Attribute(value=node.value, attr="_", ctx=node.ctx)


def shape_of(function: ast.FunctionDef) -> str:
    node = copy.deepcopy(function)
    if (
        node.body
        and isinstance(node.body[0], ast.Expr)
        and isinstance(node.body[0].value, ast.Constant)
    ):
        node.body = node.body[1:] or [ast.Pass()]  # the docstring says what differs, not the code
    node.name, node.decorator_list, node.returns = "_", [], None
    return ast.dump(_Shape().visit(node), annotate_fields=False)


def test_no_function_is_a_renamed_copy() -> None:
    """The same function under other names or numbers (six or more statements) is one helper
    kept twice: share one copy under one name (identical, tested above), or call a library."""
    functions = []
    for path in NOTEBOOKS:
        for tree in parsed_cells(path):
            for node in tree.body:
                if isinstance(node, ast.FunctionDef):
                    size = sum(isinstance(n, ast.stmt) for n in ast.walk(node)) - 1
                    if size >= 6:
                        functions.append((path.name, node.name, ast.unparse(node), shape_of(node)))
    copies = [
        f"{a[0]}:{a[1]} ~ {b[0]}:{b[1]}"
        for a, b in itertools.combinations(functions, 2)
        if a[3] == b[3] and a[2] != b[2]
    ]
    assert not copies, "renamed copies (same shape, other names or values):\n" + "\n".join(copies)


EXERCISE = re.compile(r"```\{exercise\}[^\n]*\n:label: ([\w-]+)")
SOLUTION_START = re.compile(r"```\{solution-start\} ([\w-]+)")


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_every_exercise_has_a_solution_that_runs(path: Path) -> None:
    """Each `{exercise}` has a gated `{solution-start}` ... `{solution-end}` block holding at
    least one code cell, so that CI runs the solution (the QuantEcon lectures' pattern)."""
    cells = load_notebook(path)["cells"]
    text = "\n".join(cell_source(c) for c in cells if c["cell_type"] == "markdown")
    assert "{admonition} Solution" not in text, (
        f"{path.name}: a solution in prose never runs; use solution-start/solution-end around code"
    )
    exercises = EXERCISE.findall(text)
    solved: dict[str, int] = {}
    open_label = None
    for cell in cells:
        source = cell_source(cell)
        if cell["cell_type"] == "markdown" and (match := SOLUTION_START.search(source)):
            assert open_label is None, f"{path.name}: solution of {open_label} never ends"
            open_label, solved[match.group(1)] = match.group(1), 0
        elif cell["cell_type"] == "markdown" and "```{solution-end}" in source:
            assert open_label is not None, f"{path.name}: solution-end without solution-start"
            open_label = None
        elif cell["cell_type"] == "code" and open_label is not None:
            solved[open_label] += 1
    assert open_label is None, f"{path.name}: solution of {open_label} never ends"
    assert len(exercises) == len(set(exercises)), f"{path.name}: exercise labels repeat"
    unsolved = [label for label in exercises if solved.get(label, 0) == 0]
    assert not unsolved, f"{path.name}: exercises without a solution code cell: {unsolved}"
    assert set(solved) <= set(exercises), f"{path.name}: solutions without an exercise"


# The standard setup cell's seeded generator, shared by every chapter on purpose.
SHARED_BY_THE_SETUP = {"rng"}
NESTED_SCOPES = {"lambda", "listcomp", "dictcomp", "setcomp", "genexpr"}


def bound_names(target: ast.expr) -> set[str]:
    """Names an assignment target binds: `a`, `a, (b, *c)`; not `os` in `os.environ[k] = v`."""
    if isinstance(target, ast.Name):
        return {target.id}
    if isinstance(target, ast.Tuple | ast.List):
        return {name for element in target.elts for name in bound_names(element)}
    if isinstance(target, ast.Starred):
        return bound_names(target.value)
    return set()


def notebook_data(trees: list[ast.Module]) -> set[str]:
    """Names that a notebook's cells bind at top level: its data (`X_test`, `model`), not its
    UPPER_CASE constants, classes or type aliases (`Params`), functions or imports."""
    names = set()
    for tree in trees:
        for node in tree.body:
            if isinstance(node, ast.Assign):
                targets = node.targets
            elif isinstance(node, ast.AnnAssign | ast.AugAssign | ast.For):
                targets = [node.target]
            elif isinstance(node, ast.With):
                targets = [item.optional_vars for item in node.items if item.optional_vars]
            else:
                continue
            names |= {name for target in targets for name in bound_names(target)}
    constants_and_classes = {n for n in names if n.isupper() or (n[0].isupper() and "_" not in n)}
    return names - constants_and_classes - set(dir(builtins))


def globals_read(table: symtable.SymbolTable) -> set[str]:
    """Global names that a function, or any scope nested in it, reads."""
    names = set(table.get_globals()) if table.get_type() == "function" else set()
    for child in table.get_children():
        names |= globals_read(child)
    return names


def functions_reading_notebook_data(path: Path) -> dict[str, set[str]]:
    """{function: notebook data it reads as globals} for the `def`s of a notebook's code cells."""
    sources = [cell_source(c) for c in code_cells(load_notebook(path))]
    sources = [python_of(s) for s in sources if not s.lstrip().startswith("%%")]
    data = notebook_data([ast.parse(s) for s in sources]) - SHARED_BY_THE_SETUP
    found = {}
    for source in sources:
        for table in symtable.symtable(source, path.name, "exec").get_children():
            if table.get_type() != "function" or table.get_name() in NESTED_SCOPES:
                continue
            if read := globals_read(table) & data:
                found[table.get_name()] = read
    return found


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_functions_take_their_data_as_arguments(path: Path) -> None:
    """A function gets its data as arguments, so that a reader can call it on other data and
    a cell run out of order fails loudly instead of using whatever the name holds."""
    found = functions_reading_notebook_data(path)
    assert found == {}, (
        f"{path.name}: functions that read notebook data as globals (pass it as arguments): "
        f"{ {name: sorted(data) for name, data in found.items()} }"
    )
