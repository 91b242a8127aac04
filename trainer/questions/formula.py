"""A safe evaluator for the formulas of calculated questions.

Authors write `dose / strength * 5` or `round(weight * 2.2, 1)`. The text is parsed
with `ast` and only an allowlist of nodes is walked: numbers, names, + - * / **, unary
minus, parentheses and a few functions. Arithmetic is Decimal, so 0.1 + 0.2 is 0.3, and
sizes are bounded so a formula can neither run long nor build huge numbers. Nothing is
ever executed.
"""

from __future__ import annotations

import ast
import decimal
import functools
import math
from collections.abc import Mapping
from decimal import Decimal

MAX_LENGTH = 500
MAX_NODES = 200
MAX_EXPONENT = 100
MAX_DIGITS_ROUND = 12
FUNCTIONS = frozenset({"round", "floor", "ceil", "min", "max", "sqrt", "abs"})

# Emax bounds every intermediate value; the traps turn overflow, 1/0 and sqrt(-1) into
# FormulaError instead of Infinity or NaN quietly reaching a learner.
_CONTEXT = decimal.Context(
    prec=28,
    rounding=decimal.ROUND_HALF_EVEN,
    Emax=999,
    Emin=-999,
    traps=[decimal.InvalidOperation, decimal.DivisionByZero, decimal.Overflow],
)


class FormulaError(ValueError):
    """Raised when a formula is refused or cannot be evaluated; `message` is for the author."""

    def __init__(self, message: str):
        self.message = message
        super().__init__(message)


def parse_formula(expression: object) -> ast.Expression:
    """Parse and check a formula against the allowlist; raise FormulaError."""
    if isinstance(expression, bool) or not isinstance(expression, (str, int, float)):
        raise FormulaError("a formula must be text such as 'dose / strength * 5'")
    return _checked_tree(str(expression).strip())


# Checking a template evaluates its formulas hundreds of times; the parse is the same each time.
# A tree is never changed once checked, so sharing one is safe.
@functools.lru_cache(maxsize=1024)
def _checked_tree(text: str) -> ast.Expression:
    if not text:
        raise FormulaError("the formula is empty")
    if len(text) > MAX_LENGTH:
        raise FormulaError(f"the formula is longer than {MAX_LENGTH} characters")
    try:
        tree = ast.parse(text, mode="eval")
    except (SyntaxError, ValueError, RecursionError, MemoryError) as exc:
        detail = getattr(exc, "msg", None) or "cannot be read"
        raise FormulaError(f"not a valid formula ({detail})") from None
    nodes = list(ast.walk(tree))
    if len(nodes) > MAX_NODES:
        raise FormulaError(f"the formula is too long (more than {MAX_NODES} parts)")
    for node in nodes:
        _check_node(node)
    return tree


_OPERATORS = (ast.Add, ast.Sub, ast.Mult, ast.Div, ast.Pow, ast.USub, ast.UAdd, ast.Load)


def _check_node(node: ast.AST) -> None:
    if isinstance(node, (ast.Expression, ast.BinOp, ast.UnaryOp, ast.Name, *_OPERATORS)):
        return
    if isinstance(node, ast.Constant):
        if isinstance(node.value, bool) or not isinstance(node.value, (int, float)):
            raise FormulaError(f"only numbers are allowed, not {node.value!r}")
        # Python reads 1e999 as infinity: refused here, before it can reach a learner
        if isinstance(node.value, float) and not math.isfinite(node.value):
            raise FormulaError("a number in the formula is too large (write it in full, at most 1e308)")
        return
    if isinstance(node, ast.Call):
        if not isinstance(node.func, ast.Name) or node.func.id not in FUNCTIONS:
            raise FormulaError("only these functions are allowed: " + ", ".join(sorted(FUNCTIONS)))
        if node.keywords or any(isinstance(arg, ast.Starred) for arg in node.args):
            raise FormulaError(f"{node.func.id}() takes plain arguments only")
        return
    raise FormulaError(f"'{_describe(node)}' is not allowed in a formula")


def _describe(node: ast.AST) -> str:
    try:
        return ast.unparse(node)[:40]
    except Exception:  # noqa: BLE001 - only for the message
        return type(node).__name__


def formula_names(expression: object) -> list[str]:
    """Names a formula uses (not counting function names); raise FormulaError if refused."""
    tree = parse_formula(expression)
    called = {id(node.func) for node in ast.walk(tree) if isinstance(node, ast.Call)}
    names: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and id(node) not in called and node.id not in names:
            if node.id in FUNCTIONS:
                raise FormulaError(f"{node.id} is a function: write {node.id}(…)")
            names.append(node.id)
    return names


def formula_size(expression: object) -> int:
    """How many parts (parse-tree nodes) a formula has: the work of one evaluation."""
    return sum(1 for _ in ast.walk(parse_formula(expression)))


def formula_problems(expression: object, known: set[str] | frozenset[str]) -> list[str]:
    """Problems with a formula before any values are known (empty when fine)."""
    try:
        names = formula_names(expression)
    except FormulaError as exc:
        return [exc.message]
    return [f"unknown name '{name}'" for name in names if name not in known]


def evaluate_formula(expression: object, values: Mapping[str, object]) -> Decimal:
    """Evaluate a formula with Decimal arithmetic; raise FormulaError, never anything else."""
    tree = parse_formula(expression)
    try:
        with decimal.localcontext(_CONTEXT):
            result = _evaluate(tree.body, values)
            # unary plus applies the context, so a constant too long for it is rounded here
            return +result
    except FormulaError:
        raise
    except decimal.DivisionByZero:
        raise FormulaError("division by zero") from None
    except decimal.Overflow:
        raise FormulaError("a number in the formula grows too large") from None
    except (decimal.InvalidOperation, ArithmeticError, ValueError, TypeError, RecursionError):
        raise FormulaError("the formula has no numeric value for these values") from None


def _evaluate(node: ast.AST, values: Mapping[str, object]) -> Decimal:
    if isinstance(node, ast.Constant):
        return Decimal(str(node.value)) if isinstance(node.value, float) else Decimal(node.value)
    if isinstance(node, ast.Name):
        if node.id not in values:
            raise FormulaError(f"unknown name '{node.id}'")
        value = values[node.id]
        if isinstance(value, bool) or not isinstance(value, (int, float, Decimal)):
            raise FormulaError(f"'{node.id}' is text, not a number")
        return Decimal(str(value)) if isinstance(value, float) else Decimal(value)
    if isinstance(node, ast.UnaryOp):
        operand = _evaluate(node.operand, values)
        return -operand if isinstance(node.op, ast.USub) else +operand
    if isinstance(node, ast.BinOp):
        left = _evaluate(node.left, values)
        right = _evaluate(node.right, values)
        if isinstance(node.op, ast.Add):
            return left + right
        if isinstance(node.op, ast.Sub):
            return left - right
        if isinstance(node.op, ast.Mult):
            return left * right
        if isinstance(node.op, ast.Div):
            return left / right
        if isinstance(node.op, ast.Pow):
            return _power(left, right)
    if isinstance(node, ast.Call):
        assert isinstance(node.func, ast.Name)
        args = [_evaluate(arg, values) for arg in node.args]
        return _call(node.func.id, args)
    raise FormulaError(f"'{_describe(node)}' is not allowed in a formula")


def _power(base: Decimal, exponent: Decimal) -> Decimal:
    if abs(exponent) > MAX_EXPONENT:
        raise FormulaError(f"an exponent larger than {MAX_EXPONENT} is not allowed")
    if base == 0 and exponent <= 0:
        raise FormulaError("zero cannot be raised to a zero or negative power")
    if base < 0 and exponent != exponent.to_integral_value():
        raise FormulaError("a negative number has no fractional power")
    return base**exponent


def _call(name: str, args: list[Decimal]) -> Decimal:
    if name in ("min", "max"):
        if not args:
            raise FormulaError(f"{name}() needs at least one value")
        return min(args) if name == "min" else max(args)
    if name == "round":
        if len(args) not in (1, 2):
            raise FormulaError("round() takes a value and optionally a number of decimals")
        places = args[1] if len(args) == 2 else Decimal(0)
        if places != places.to_integral_value() or abs(places) > MAX_DIGITS_ROUND:
            raise FormulaError(f"round() takes a whole number of decimals up to {MAX_DIGITS_ROUND}")
        # pharmacy rounding is half up (2.25 → 2.3), not Python's half to even
        return args[0].quantize(Decimal(1).scaleb(-int(places)), rounding=decimal.ROUND_HALF_UP)
    if len(args) != 1:
        raise FormulaError(f"{name}() takes exactly one value")
    value = args[0]
    if name == "floor":
        return value.to_integral_value(rounding=decimal.ROUND_FLOOR)
    if name == "ceil":
        return value.to_integral_value(rounding=decimal.ROUND_CEILING)
    if name == "abs":
        return abs(value)
    if value < 0:
        raise FormulaError("sqrt() of a negative number")
    return value.sqrt()
