"""Which library functions a kata replaced, and putting them back.

A kata runs in the same interpreter as the tests that grade it: `torch.allclose = lambda *a, **k: True`
or `_pytest.runner.call_and_report = ...` would change the verdict. Python raises no audit event for
assigning a module's or a class's attribute, so the guard takes a snapshot of the namespaces that
decide a verdict before kata code runs, compares it after each test, and restores what changed.
"""

from __future__ import annotations

import builtins
import operator
import sys
import warnings
from dataclasses import dataclass, field
from types import ModuleType

# Top-level packages whose modules and classes decide a verdict or write the results.
GUARDED = frozenset(
    {
        "builtins",
        "torch",
        "transformers",
        "tokenizers",
        "safetensors",
        "numpy",
        "PIL",
        "pytest",
        "_pytest",
        "pluggy",
        "hypothesis",
        "katakit",
        "json",
        "os",
        "io",
        "math",
        "operator",
        "functools",
        "itertools",
        "collections",
        "copy",
        "re",
        "inspect",
        "traceback",
        "unittest",
        "threading",
        "signal",
        "time",
    }
)

# Hooks that pytest itself sets around every test; they shape an assertion's message, not its verdict.
REBOUND_BY_PYTEST = frozenset({"_pytest.assertion.util._reprcompare", "_pytest.assertion.util._assertion_pass"})


def _guarded(name: str | None) -> bool:
    return bool(name) and name.partition(".")[0] in GUARDED


@dataclass
class _Namespace:
    label: str
    owner: object  # a module or a class
    saved: dict  # its code attributes (what a kata would replace), as they were
    keys: frozenset  # every attribute's name, as it was
    values: tuple = ()  # saved's values, in its order: compared at once, identity first
    live: object = None  # the namespace itself (a class's is a live, read-only view)

    def __post_init__(self):
        self.values = tuple(self.saved.values())
        self.live = self.owner.__dict__

    def unchanged(self) -> bool:
        """Checked in C: every code attribute is the same object, and none was added."""
        live = self.live
        if len(live) != len(self.keys):
            return False
        try:
            return tuple(map(live.__getitem__, self.saved)) == self.values
        except Exception:  # deleted (KeyError), or a replacement whose `==` raises: the slow path says which
            return False


@dataclass
class Snapshot:
    also_under: tuple[str, ...] = ()  # folders whose modules are guarded too (the instructor's tests)
    namespaces: dict[int, _Namespace] = field(default_factory=dict)  # id(owner) -> its namespace
    modules: dict[str, object] = field(default_factory=dict)  # sys.modules entries of guarded names
    seen_modules: int = 0
    _flat: tuple | None = None  # everything saved, in flat sequences (`_all_unchanged`); None: to be made

    def extend(self) -> None:
        """Add the guarded modules imported since the last call (the library imports lazily)."""
        if len(sys.modules) == self.seen_modules:
            return
        with warnings.catch_warnings():  # reading deprecated attributes warns
            warnings.simplefilter("ignore")
            self._extend()

    def _extend(self) -> None:
        for name, module in list(sys.modules.items()):
            if module is None or name in self.modules or not (_guarded(name) or self._is_under(module)):
                continue
            self.modules[name] = module
            self._add(name, module)
            for value in list(getattr(module, "__dict__", {}).values()):
                if isinstance(value, type) and _guarded(getattr(value, "__module__", None)):
                    self._add(f"{value.__module__}.{value.__qualname__}", value)
        self.seen_modules = len(sys.modules)
        self._flat = None

    def _is_under(self, module) -> bool:
        file = getattr(module, "__file__", None) or ""
        return any(file.startswith(folder) for folder in self.also_under)

    def _add(self, label: str, owner: object) -> None:
        namespace = getattr(owner, "__dict__", None)
        if namespace is not None and id(owner) not in self.namespaces:
            code = {
                key: value
                for key, value in namespace.items()
                if _is_code(value) and f"{label}.{key}" not in REBOUND_BY_PYTEST
            }
            self.namespaces[id(owner)] = _Namespace(label, owner, code, frozenset(namespace))

    def restore_changes(self) -> list[str]:
        """Put back every replaced, deleted or shadowing attribute; return what was changed."""
        if self._all_unchanged():
            return []
        changed = []
        for name, module in self.modules.items():
            if sys.modules.get(name) is not module:
                changed.append(f"sys.modules[{name!r}]")
                sys.modules[name] = module
        for space in self.namespaces.values():
            changed.extend(_restore(space))
        self._flat = None  # some baselines moved
        return changed

    def _all_unchanged(self) -> bool:
        """The common case after a test, checked in a few loops in C over every saved attribute (some 100,000
        in 6,000 namespaces): every namespace has as many attributes as it had, every code attribute is the
        same object, every guarded module is still in sys.modules."""
        if self._flat is None:
            spaces = list(self.namespaces.values())
            self._flat = (
                [space.live for space in spaces],
                tuple(len(space.keys) for space in spaces),
                [space.live for space in spaces for _ in space.saved],
                [key for space in spaces for key in space.saved],
                tuple(value for space in spaces for value in space.values),
                list(self.modules),
                tuple(self.modules.values()),
            )
        lives, sizes, owners, keys, values, names, modules = self._flat
        try:
            return (
                tuple(map(len, lives)) == sizes
                and tuple(map(operator.getitem, owners, keys)) == values
                and tuple(map(sys.modules.get, names)) == modules
            )
        except Exception:  # deleted (KeyError), or a replacement whose `==` raises: the slow path says which
            return False


def _restore(space: _Namespace) -> list[str]:
    """Put back what changed in one namespace. What changed harmlessly becomes the new baseline, so that the
    next check takes the fast path: an equal new object (some compiled classes make one per lookup), an
    attribute the library added lazily that hides nothing."""
    if space.unchanged():
        return []
    live = space.live
    changed = []
    for key, value in list(space.saved.items()):
        current = live.get(key, _MISSING)
        if current is value:
            continue
        if _same(current, value):
            space.saved[key] = current
            continue
        changed.append(f"{space.label}.{key}")
        _set(space.owner, key, value)
    if len(live) != len(space.keys):
        for key in [key for key in live if key not in space.keys and _hides_something(space.owner, key)]:
            changed.append(f"{space.label}.{key}")
            delattr(space.owner, key)
        space.keys = frozenset(live)
    space.values = tuple(space.saved.values())
    return changed


def _is_code(value: object) -> bool:
    """Functions, methods (class methods and properties too), classes and modules: what a kata would
    replace to change a verdict. The library's other globals (counters, caches) change as it runs."""
    return callable(value) or hasattr(type(value), "__get__") or isinstance(value, ModuleType)


def _same(live: object, saved: object) -> bool:
    if live is saved:
        return True
    try:  # some compiled classes hand out an equal new method object on every lookup
        return type(live) is type(saved) and bool(live == saved)
    except Exception:
        return False


def _hides_something(owner: object, key: str) -> bool:
    """A new attribute matters where it hides an inherited one (a class's new __eq__) or a builtin
    (a module's own `isinstance`); the library adds other attributes lazily, harmlessly."""
    if isinstance(owner, type):
        return any(key in base.__dict__ for base in owner.__mro__[1:])
    return key in _BUILTIN_NAMES


def _set(owner: object, key: str, value: object) -> None:
    if isinstance(owner, type):
        setattr(owner, key, value)  # a class's __dict__ is read-only
    else:
        owner.__dict__[key] = value


_MISSING = object()
_BUILTIN_NAMES = frozenset(vars(builtins))
