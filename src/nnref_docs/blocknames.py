"""Which names a block takes from the blocks above it, found from the code alone (no run).

A page runs top to bottom in one namespace, so a block may read ``model`` that a block three
screens up made. :func:`uses_from_above` finds, for each block, the names it reads before binding
them itself that an earlier block binds (imports included), so the page can say so where a reader
copies the block.

The analysis follows Python's scopes closely enough for teaching code: a module-level statement
reads before it binds (``x = x + 1`` reads ``x``), a function body reads its globals when called
(so a name the block binds anywhere does not count), comprehension and lambda variables are
local, and a class body reads in order.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable

SCOPES = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)
COMPREHENSIONS = (ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp)


def _arg_names(args: ast.arguments) -> set[str]:
    every = [*args.posonlyargs, *args.args, *args.kwonlyargs, args.vararg, args.kwarg]
    return {a.arg for a in every if a is not None}


def _import_names(node: ast.Import | ast.ImportFrom) -> list[str]:
    return [alias.asname or alias.name.split(".")[0] for alias in node.names if alias.name != "*"]


class _Reader:
    """Walks one scope in execution order, recording reads of names not yet bound in it."""

    def __init__(self, bound: set[str] | None = None) -> None:
        self.bound: set[str] = set(bound or ())
        self.reads: dict[str, None] = {}  # first-read order
        self.deferred: dict[str, None] = {}  # read by function bodies, whenever they are called
        self.global_binds: set[str] = set()  # bound by `global x` inside functions

    def read(self, name: str) -> None:
        if name not in self.bound:
            self.reads.setdefault(name, None)

    # expressions -----------------------------------------------------------------------------
    def expr(self, node: ast.AST | None) -> None:
        if node is None:
            return
        if isinstance(node, ast.Name):
            if isinstance(node.ctx, ast.Load):
                self.read(node.id)
            elif isinstance(node.ctx, ast.Store):
                self.bound.add(node.id)
            return
        if isinstance(node, ast.NamedExpr):
            self.expr(node.value)
            self.bound.add(node.target.id)
            return
        if isinstance(node, ast.Lambda):
            self._defaults(node.args)
            self._function(node.args, [node.body])
            return
        if isinstance(node, COMPREHENSIONS):
            self._comprehension(node)
            return
        for child in ast.iter_child_nodes(node):
            self.expr(child)

    def target(self, node: ast.AST) -> None:
        """An assignment target: names are bound, subscripts and attributes read their parts."""
        if isinstance(node, ast.Name):
            self.bound.add(node.id)
        elif isinstance(node, (ast.Tuple, ast.List)):
            for element in node.elts:
                self.target(element)
        elif isinstance(node, ast.Starred):
            self.target(node.value)
        else:
            self.expr(node)

    def _defaults(self, args: ast.arguments) -> None:
        for default in [*args.defaults, *args.kw_defaults]:
            self.expr(default)

    def _comprehension(self, node: ast.AST) -> None:
        generators = node.generators
        self.expr(generators[0].iter)  # evaluated in the enclosing scope
        inner = _Reader()
        for k, generator in enumerate(generators):
            if k:
                inner.expr(generator.iter)
            inner.target(generator.target)
            for condition in generator.ifs:
                inner.expr(condition)
        if isinstance(node, ast.DictComp):
            inner.expr(node.key)
            inner.expr(node.value)
        else:
            inner.expr(node.elt)
        for name in inner.reads:
            self.read(name)
        self.deferred.update(inner.deferred)

    def _function(self, args: ast.arguments | None, body: list[ast.AST]) -> None:
        local = _arg_names(args) if args is not None else set()
        declared = {name for node in _own_nodes(body) if isinstance(node, ast.Global) for name in node.names}
        inner = _Reader(local)
        inner.statements(body) if isinstance(body[0], ast.stmt) else inner.expr(body[0])
        # a function's locals are bound anywhere in its body, so only never-bound names are global
        stored = inner.bound - declared
        for name in [*inner.reads, *inner.deferred]:
            if name not in stored:
                self.deferred.setdefault(name, None)
        self.global_binds |= (inner.bound & declared) | inner.global_binds

    # statements ------------------------------------------------------------------------------
    def statements(self, body: Iterable[ast.stmt]) -> None:
        for node in body:
            self.statement(node)

    def statement(self, node: ast.stmt) -> None:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            for decorator in node.decorator_list:
                self.expr(decorator)
            self._defaults(node.args)
            self._function(node.args, node.body)
            self.bound.add(node.name)
        elif isinstance(node, ast.ClassDef):
            for part in [*node.decorator_list, *node.bases, *(k.value for k in node.keywords)]:
                self.expr(part)
            inner = _Reader(self.bound)
            inner.statements(node.body)
            for name in inner.reads:
                self.read(name)
            self.deferred.update(inner.deferred)
            self.global_binds |= inner.global_binds
            self.bound.add(node.name)
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            self.bound.update(_import_names(node))
        elif isinstance(node, ast.Assign):
            self.expr(node.value)
            for target in node.targets:
                self.target(target)
        elif isinstance(node, ast.AugAssign):
            if isinstance(node.target, ast.Name):
                self.read(node.target.id)
            self.expr(node.value)
            self.target(node.target)
        elif isinstance(node, ast.AnnAssign):
            self.expr(node.value)
            self.target(node.target)
        elif isinstance(node, (ast.For, ast.AsyncFor)):
            self.expr(node.iter)
            self.target(node.target)
            self.statements(node.body)
            self.statements(node.orelse)
        elif isinstance(node, (ast.With, ast.AsyncWith)):
            for item in node.items:
                self.expr(item.context_expr)
                if item.optional_vars is not None:
                    self.target(item.optional_vars)
            self.statements(node.body)
        elif isinstance(node, (ast.Try, getattr(ast, "TryStar", ast.Try))):
            self.statements(node.body)
            for handler in node.handlers:
                self.expr(handler.type)
                if handler.name:
                    self.bound.add(handler.name)
                self.statements(handler.body)
            self.statements(node.orelse)
            self.statements(node.finalbody)
        elif isinstance(node, (ast.If, ast.While)):
            self.expr(node.test)
            self.statements(node.body)
            self.statements(node.orelse)
        elif isinstance(node, (ast.Global, ast.Nonlocal)):
            pass
        else:  # expressions, return, assert, raise, delete, match ...
            for child in ast.iter_child_nodes(node):
                if isinstance(child, ast.stmt):
                    self.statement(child)
                elif isinstance(child, ast.expr):
                    self.expr(child)
                else:  # match cases and patterns
                    self._pattern(child)

    def _pattern(self, node: ast.AST) -> None:
        for child in ast.walk(node):
            if isinstance(child, (ast.MatchAs, ast.MatchStar)) and child.name:
                self.bound.add(child.name)
            elif isinstance(child, ast.MatchMapping) and child.rest:
                self.bound.add(child.rest)
            elif isinstance(child, ast.match_case):
                self.expr(child.guard)
                self.statements(child.body)
            elif isinstance(child, ast.MatchValue):
                self.expr(child.value)


def _own_nodes(body: list[ast.AST]) -> Iterable[ast.AST]:
    """Nodes of a scope's body, not descending into nested functions, lambdas or classes."""
    stack = list(body)
    while stack:
        node = stack.pop()
        yield node
        stack.extend(child for child in ast.iter_child_nodes(node) if not isinstance(child, SCOPES))


def analyse(source: str) -> tuple[list[str], set[str]]:
    """``(reads, binds)`` of a block run at module level.

    ``reads``: names it takes from the namespace it runs in, in the order it first reads them.
    ``binds``: module-level names it leaves behind.
    """
    tree = ast.parse(source)
    reader = _Reader()
    reader.statements(tree.body)
    binds = reader.bound | reader.global_binds
    reads = list(reader.reads) + [name for name in reader.deferred if name not in binds and name not in reader.reads]
    return reads, binds


def imported_modules(source: str) -> set[str]:
    """The top-level modules ``source`` imports absolutely (``import a.b``, ``from a import b`` ->
    ``a``; relative imports aside)."""
    found = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.add(node.module.split(".")[0])
    return found


def uses_from_above(sources: list[str | None]) -> list[list[str]]:
    """For each block, the names it reads that earlier blocks bind.

    ``None`` stands for a block that does not run (a skipped one): it binds nothing and reads
    nothing. A block that does not parse reads nothing (the page's tests report it).
    """
    earlier: set[str] = set()
    result: list[list[str]] = []
    for source in sources:
        if source is None:
            result.append([])
            continue
        try:
            reads, binds = analyse(source)
        except SyntaxError:
            result.append([])
            continue
        result.append([name for name in reads if name in earlier])
        earlier |= binds
    return result
