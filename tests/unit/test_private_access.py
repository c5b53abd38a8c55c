"""Libraries through their public API: no `something._name` in portal/ or kiosk/ reaches into
a library's internals, except in portal/core/adapters.py, where each such use has a guard test
(tests/integration/test_adapters.py).

`obj._name` is allowed when obj is one of the project's own modules, or a class or object of
its own whose `_name` is not a library's (a subclass of a library class may not use or
override the library's private names); `self._name` and `cls._name` likewise. A namedtuple's
documented `_replace`/`_asdict`/`_fields`/`_make` are public. Everything else (a local, a
proxy such as current_app, an extension object) is listed with its file and line."""

from __future__ import annotations

import ast
import importlib
import inspect
import types
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SCANNED = ("portal", "kiosk")
ADAPTER = Path("portal/core/adapters.py")
OURS = ("portal", "kiosk", "demo_registries")
NAMEDTUPLE_API = {"_replace", "_asdict", "_fields", "_make"}


def _ours(module_name: str | None) -> bool:
    return (module_name or "").split(".")[0] in OURS


def _private(name: str) -> bool:
    return name.startswith("_") and not name.startswith("__") and name not in NAMEDTUPLE_API


def _libraries_have(cls: type, name: str) -> bool:
    """A class this one derives from, outside the project, has this name (as a class
    attribute, or one its code sets on `self`)."""
    return any(not _ours(base.__module__) and base is not object
               and (hasattr(base, name) or f"self.{name}" in _source(base))
               for base in inspect.getmro(cls))


def _source(cls: type) -> str:
    try:
        return inspect.getsource(cls)
    except (OSError, TypeError):
        return ""


def _allowed(value, name: str) -> bool:
    if isinstance(value, types.ModuleType):
        return _ours(value.__name__)
    cls = value if isinstance(value, type) else type(value)
    if isinstance(value, types.FunctionType):
        return _ours(value.__module__)
    return _ours(cls.__module__) and not _libraries_have(cls, name)


class _Finder(ast.NodeVisitor):
    def __init__(self, namespace: dict, path: str):
        self.namespace, self.path, self.classes, self.found = namespace, path, [], []

    def visit_ClassDef(self, node):
        cls = self.namespace.get(node.name) if not self.classes else None
        self.classes.append(cls if isinstance(cls, type) else None)
        for item in node.body:
            if isinstance(item, ast.FunctionDef) and _private(item.name) and \
                    self.classes[-1] is not None and _libraries_have(self.classes[-1], item.name):
                self.found.append(f"{self.path}:{item.lineno}: overrides {item.name}")
        self.generic_visit(node)
        self.classes.pop()

    def visit_Attribute(self, node):
        if _private(node.attr) and not self._allowed(node.value, node.attr):
            self.found.append(f"{self.path}:{node.lineno}: {ast.unparse(node)}")
        self.generic_visit(node)

    def _allowed(self, owner, name: str) -> bool:
        if not isinstance(owner, ast.Name):
            return False  # super()._x, a.b._x, a call's result
        if owner.id in ("self", "cls"):
            cls = self.classes[-1] if self.classes else None
            return cls is None or not _libraries_have(cls, name)
        return owner.id in self.namespace and _allowed(self.namespace[owner.id], name)


def private_accesses(source: str, path: str, namespace: dict) -> list[str]:
    finder = _Finder(namespace, path)
    finder.visit(ast.parse(source, path))
    return finder.found


def _module_name(relative: Path) -> str:
    parts = relative.with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def test_no_private_attribute_of_a_library_outside_the_adapter_module():
    found = []
    for top in SCANNED:
        for file in sorted((ROOT / top).rglob("*.py")):
            relative = file.relative_to(ROOT)
            if relative == ADAPTER:
                continue
            namespace = vars(importlib.import_module(_module_name(relative)))
            found += private_accesses(file.read_text(encoding="utf-8"), str(relative), namespace)
    assert found == []


def test_the_check_finds_a_library_internal_and_passes_our_own():
    import flask_limiter
    from flask_wtf.csrf import CSRFProtect

    from portal.core import sessions

    class Limiter(flask_limiter.Limiter):
        def _check_request_limit(self):
            return self._meta_limits, self._our_own

    Limiter.__module__ = "portal.example"  # as if it were the portal's
    namespace = {"Limiter": Limiter, "csrf": CSRFProtect(), "sessions": sessions,
                 "store": object()}
    source = """
class Limiter:
    def _check_request_limit(self):
        return self._meta_limits, self._our_own

csrf._is_exempt()
store._delete_session("id")
current_app.session_interface._get_store_id("id")
super()._check_request_limit
sessions._timestamp()
point._replace(x=1)
model.__table__
"""
    assert private_accesses(source, "example.py", namespace) == [
        "example.py:3: overrides _check_request_limit",
        "example.py:4: self._meta_limits",
        "example.py:6: csrf._is_exempt",
        "example.py:7: store._delete_session",
        "example.py:8: current_app.session_interface._get_store_id",
        "example.py:9: super()._check_request_limit",
    ]
