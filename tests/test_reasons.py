"""Every reason code the code can write is registered (and so documented) in crawler/reasons.py.

The codes are read from the source, at every place one is given: the code of a Refusal or a
Signal, the reasons of a `record(...)` call and of a Decision, what the classifiers return, the
reason a wrapped middleware's refusal stands for, and the rules-fetch reasons.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator

from crawler.reasons import REASONS
from tests.helpers import REPO

SOURCES = [*(REPO / "crawler").rglob("*.py"), *(REPO / "pipelines").rglob("*.py")]
# callee name -> index of the positional argument that holds a code or a list of codes
CODE_ARGUMENT = {
    "Refusal": 0,
    "Signal": 0,
    "Decision": 1,
    "record": 2,
    "_refuse": 2,
}
# Signal codes that are evidence, never a reason: an RSL licence pointer is licence evidence.
EVIDENCE_ONLY = frozenset({"licence-rsl"})
CLASSIFIERS = {"classify_exception", "classify_status"}


def strings(node: ast.AST) -> Iterator[str]:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        yield node.value
    elif isinstance(node, ast.List | ast.Tuple | ast.Set):
        for element in node.elts:
            yield from strings(element)


def callee(node: ast.Call) -> str:
    func = node.func
    return func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")


def codes_in(tree: ast.AST) -> Iterator[tuple[int, str]]:
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and callee(node) in CODE_ARGUMENT:
            index = CODE_ARGUMENT[callee(node)]
            if len(node.args) > index:
                yield from ((node.lineno, s) for s in strings(node.args[index]))
            for keyword in node.keywords:
                if keyword.arg in ("code", "reasons"):
                    yield from ((node.lineno, s) for s in strings(keyword.value))
        elif isinstance(node, ast.FunctionDef) and node.name in CLASSIFIERS:
            for ret in ast.walk(node):
                if isinstance(ret, ast.Return) and isinstance(ret.value, ast.Tuple):
                    yield from ((ret.lineno, s) for s in strings(ret.value.elts[1]))
        elif isinstance(node, ast.Assign | ast.AnnAssign):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            names = {getattr(t, "id", None) for t in targets}
            if "refusal_code" in names and isinstance(node.value, ast.Tuple):
                yield from ((node.lineno, s) for s in strings(node.value.elts[0]))
            if "RULES_REASON" in names and isinstance(node.value, ast.Dict):
                for value in node.value.values:
                    yield from ((node.lineno, s) for s in strings(value))


def test_every_reason_code_written_anywhere_is_registered() -> None:
    found: dict[str, str] = {}
    for path in SOURCES:
        for line, code in codes_in(ast.parse(path.read_text(encoding="utf-8"))):
            found.setdefault(code, f"{path.relative_to(REPO)}:{line}")
    assert len(found) > 30, "the scan must see the crawler's codes"
    unregistered = {
        code: where
        for code, where in found.items()
        if code not in REASONS and code not in EVIDENCE_ONLY
    }
    assert unregistered == {}, "register these in crawler/reasons.py (and the README)"


def test_the_scan_finds_a_code_in_each_kind_of_place() -> None:
    sample = ast.parse(
        "Refusal('a-1')\nSignal(code='a-2', source='s', evidence='e')\n"
        "context.record(url, 'error', ['a-3', 'a-4'])\nDecision('dropped', ('a-5',))\n"
        "refusal_code = ('a-6', 'error')\n"
        "def classify_status(status):\n    return 'error', 'a-7'\n"
    )
    assert {code for _, code in codes_in(sample)} == {f"a-{n}" for n in range(1, 8)}
