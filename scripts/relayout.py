# ruff: noqa: T201, C901  (a one-off script: it reports on stderr; its steps read best whole)
"""Move portal/ into the layout that shows its plan (README "How it is built"), replayably.

Run from the repository root on a clean tree:  .venv/bin/python scripts/relayout.py
It `git mv`s every module of MAPPING and rewrites every import and dotted module path (and
every `portal/…` file path) in the code, tests, configuration and docs from that one table, so it
also fixes files it has never seen (a module or test added on another branch that imports an
old path). Run twice, it changes nothing the second time. It does not commit: review
`git status`, then commit (the hand-made commits that follow are cherry-picked onto it).

The rewrite, for each file:
  1. `from OLD import name` where OLD.name is a moved module: `from NEW_PARENT import leaf`,
     with `as name` when the leaf's name changed (so the code below still reads `name`);
  2. every dotted name OLD or OLD.x (word boundaries, longest match first): NEW / NEW.x;
  3. every path portal/old/x.py or portal/old/: the new path.
Last, a module split by concern (SPLITS: portal.core.web into errors, headers, fragments, …)
becomes a package whose __init__.py imports the parts' names, so its importers do not change.
A package whose views move to routes.py ("portal.auth" -> "portal.auth.routes") keeps its other
modules: portal.auth.forms stays portal.auth.forms (found on disk, so new ones too).
"""

from __future__ import annotations

import ast
import re
import subprocess
import sys
import textwrap
from pathlib import Path

# OLD module -> NEW module. A package moves with all its modules unless some of them are
# listed here too; "X" -> "Y.routes" moves X/__init__.py to Y/routes.py (X's other modules go
# to Y) and leaves a short Y/__init__.py.
MAPPING: dict[str, str] = {
    # The shared core: imports no journey.
    "portal.models": "portal.core.models",
    "portal.registries": "portal.core.registries",
    "portal.sms": "portal.core.sms",
    "portal.sessions": "portal.core.sessions",
    "portal.labels": "portal.core.labels",
    "portal.citizens": "portal.core.citizens",
    "portal.web": "portal.core.web",
    "portal.wizard": "portal.core.wizard",
    "portal.signing_forms": "portal.core.signing_forms",
    "portal.signing_texts": "portal.core.signing_texts",
    "portal.services": "portal.core.services",
    "portal.services.applications": "portal.core.services.applications",
    "portal.services.catalogue": "portal.core.services.catalogue",
    "portal.services.citizens": "portal.core.services.citizens",
    "portal.services.codes": "portal.core.services.codes",
    "portal.services.errors": "portal.core.services.errors",
    "portal.services.lifecycle": "portal.core.services.lifecycle",
    "portal.services.notices": "portal.core.services.notices",
    "portal.services.numbering": "portal.core.services.numbering",
    "portal.services.requester": "portal.core.services.requester",
    "portal.services.signing": "portal.core.services.signing",
    "portal.services.sms_texts": "portal.core.services.sms_texts",
    "portal.services.drafts": "portal.core.services.drafts",
    "portal.services.turns": "portal.core.services.turns",
    "portal.adapters": "portal.core.adapters",
    # ЭЦП, one package: verification (portal.ecp's modules, as they were), the signing service,
    # its texts, its settings and its pages.
    "portal.ecp_setup": "portal.ecp.setup",
    "portal.ecp_texts": "portal.ecp.texts",
    "portal.ecp_web": "portal.ecp.routes",
    "portal.services.ecp_signing": "portal.ecp.signing",
    # Residence registration, with the owners' consent.
    "portal.consent": "portal.residence.consent.routes",
    "portal.services.residence": "portal.residence.services.residence",
    "portal.services.submission": "portal.residence.services.submission",
    "portal.services.consent": "portal.residence.services.consent",
    "portal.services.consent_answers": "portal.residence.services.consent_answers",
    "portal.services.consent_reads": "portal.residence.services.consent_reads",
    "portal.services.sms_webhooks": "portal.residence.services.sms_webhooks",
    # The housing waiting list, with its office (staff sign-in and its guard included).
    "portal.housing_labels": "portal.housing.labels",
    "portal.services.housing": "portal.housing.services.housing",
    "portal.services.housing_after": "portal.housing.services.housing_after",
    "portal.services.housing_queue": "portal.housing.services.housing_queue",
    "portal.services.housing_sms": "portal.housing.services.housing_sms",
    "portal.office": "portal.housing.office",
    "portal.staff": "portal.housing.office.staff",
    "portal.services.housing_office": "portal.housing.office.services.housing_office",
    "portal.services.office_signing": "portal.housing.office.services.office_signing",
    # Shared pages: their views in routes.py like every blueprint's.
    "portal.auth": "portal.auth.routes",
    "portal.main": "portal.main.routes",
    "portal.status": "portal.status.routes",
    "portal.demo": "portal.demo.routes",
}

# The docstring of each package the move creates (its __init__.py).
NEW_PACKAGES: dict[str, str] = {
    "portal.core": "The shared core: what every journey uses (applications and their life cycle, "
                   "numbering,\nsigning, notices, status links, citizens and sessions, the web "
                   "layer's helpers). It imports\nno journey (.importlinter); a journey "
                   "registers itself in services.catalogue.",
    "portal.core.services": "The core's use cases (one transaction each); no Flask request "
                            "here.",
    "portal.residence.services": "Residence registration's use cases: the application, its "
                                 "submission, the owners' consent.",
    "portal.residence.consent": "The owners' consent: the page behind the SMS link, the "
                                "cabinet's answer, the SMS replies.",
    "portal.housing.services": "The housing waiting list's use cases (SPEC §2).",
    "portal.housing.office.services": "The housing office's use cases: decisions, and signing "
                                      "them with ЭЦП.",
    "portal.auth": "Citizen sign-in (SMS code; ЭЦП in portal.ecp.routes): views in routes.py.",
    "portal.main": "The home page, the personal account and the health check: views in "
                   "routes.py.",
    "portal.status": "The status page behind every application's QR code: views in routes.py.",
    "portal.demo": "Demo mode's pages (404 unless demo mode is on): views in routes.py.",
}

# Where module names and paths are rewritten (directories recursively, and single files).
TARGETS = ["portal", "kiosk", "tests", "bench", "demo_registries", "docs", "templates",
           "migrations", "scripts", "wsgi.py", ".importlinter", "pyproject.toml", "babel.cfg",
           "Makefile", "README.md"]
SUFFIXES = {".py", ".md", ".cfg", ".toml", ".ini", ".txt", ".html", ".sh", ".mako", ""}
SELF = Path(__file__).resolve()
GUARD = "\x00"  # stands for "." in a module name step 1 wrote

# What may stay at the root of portal/ (the app factory and the base).
ROOT_MODULES = {"__init__", "cli", "config", "clock", "i18n", "extensions", "channels",
                "proxies"}


def run(*args: str) -> None:
    subprocess.run(args, check=True)


def path_of(module: str) -> Path:
    return Path(*module.split("."))


def is_package(module: str) -> bool:
    return (path_of(module) / "__init__.py").exists()


def is_views_move(old: str, new: str) -> bool:
    return new.endswith(".routes") and not old.endswith(".routes")


def full_mapping() -> dict[str, str]:
    """MAPPING, plus each package's modules that MAPPING does not list (found on disk, so a
    module another branch added moves with its package), plus each new name mapped to itself
    (so a second run, and `portal.auth.forms` under "portal.auth", are left alone)."""
    mapping = dict(MAPPING)
    for old, new in MAPPING.items():
        if not is_package(old):
            continue
        if is_views_move(old, new) or any(k.startswith(old + ".") for k in MAPPING):
            target = new.rpartition(".")[0] if is_views_move(old, new) else new
            for child in sorted(path_of(old).iterdir()):
                name = child.stem if child.suffix == ".py" else child.name
                if name.startswith("__"):
                    continue
                if child.is_dir() and not (child / "__init__.py").exists():
                    continue
                if child.suffix != ".py" and not child.is_dir():
                    continue
                mapping.setdefault(f"{old}.{name}", f"{target}.{name}")
    for new in list(mapping.values()):
        mapping.setdefault(new, new)
    for package in NEW_PACKAGES:
        mapping.setdefault(package, package)
    return mapping


def ensure_package(package: str) -> None:
    parts = package.split(".")
    for i in range(1, len(parts) + 1):
        name = ".".join(parts[:i])
        init = path_of(name) / "__init__.py"
        if not init.exists():
            init.parent.mkdir(parents=True, exist_ok=True)
            doc = NEW_PACKAGES.get(name, "")
            init.write_text(f'"""{doc}"""\n' if doc else "")
            run("git", "add", str(init))


def absolutize(path: Path, module: str) -> None:
    """Relative imports in a module that changes package, made absolute first (from where it
    was), so the rewrite below can map them."""
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    text = path.read_text()

    def repl(m: re.Match) -> str:
        dots, rest = m.group(2), m.group(3)
        base = package.split(".")
        if len(dots) > 1:
            base = base[: -(len(dots) - 1)]
        target = ".".join(base + ([rest] if rest else []))
        return f"{m.group(1)}from {target} import "

    new = re.sub(r"(?m)^(\s*)from (\.+)([\w.]*) import ", repl, text)
    if new != text:
        path.write_text(new)


def move(mapping: dict[str, str]) -> None:
    # Children before their packages, so a package listed with some of its modules keeps none.
    for old in sorted(MAPPING, key=lambda m: -m.count(".")):
        new = MAPPING[old]
        old_dir, old_file = path_of(old), path_of(old).with_suffix(".py")
        if is_views_move(old, new):
            target_package = new.rpartition(".")[0]
            if not (old_dir / "__init__.py").exists() or (path_of(new).with_suffix(".py")).exists():
                continue
            if target_package != old:
                ensure_package(target_package.rpartition(".")[0])
                path_of(target_package).mkdir(parents=True, exist_ok=True)
                for child in sorted(old_dir.iterdir()):
                    if child.name in ("__init__.py", "__pycache__"):
                        continue
                    run("git", "mv", str(child), str(path_of(target_package) / child.name))
            absolutize(old_dir / "__init__.py", old)
            run("git", "mv", str(old_dir / "__init__.py"), str(path_of(new).with_suffix(".py")))
            ensure_package(target_package)
            continue
        if old_file.exists():
            ensure_package(new.rpartition(".")[0])
            if old.rpartition(".")[0] != new.rpartition(".")[0]:
                absolutize(old_file, old)
            run("git", "mv", str(old_file), str(path_of(new).with_suffix(".py")))
        elif (old_dir / "__init__.py").exists():
            listed = [k for k in MAPPING if k.startswith(old + ".")]
            ensure_package(new.rpartition(".")[0])
            if not listed and not path_of(new).exists():
                run("git", "mv", str(old_dir), str(path_of(new)))
                continue
            # The rest of a package whose modules went their own ways.
            for child in sorted(old_dir.iterdir()):
                if child.name == "__pycache__":
                    continue
                if listed and child.name != "__init__.py":
                    print(f"relayout: {child} is not in MAPPING; moved to {path_of(new)}/"
                          f" (add it to MAPPING if it belongs to a journey)", file=sys.stderr)
                ensure_package(new)
                dest = path_of(new) / child.name
                if dest.exists() and child.name == "__init__.py":
                    run("git", "rm", "-q", "-f", str(dest))
                run("git", "mv", str(child), str(dest))
    for old in MAPPING:
        d = path_of(old)
        if d.is_dir():
            for cache in d.rglob("__pycache__"):
                subprocess.run(["rm", "-rf", str(cache)], check=True)
            if not any(d.rglob("*")):
                d.rmdir()


def build_rewriter(mapping: dict[str, str]):
    keys = sorted(mapping, key=len, reverse=True)
    dotted = re.compile(r"(?<![\w.])(" + "|".join(re.escape(k) for k in keys) + r")(?!\w)")

    def map_module(name: str) -> str | None:
        """The new name of a module (or of something inside one), None if nothing moved."""
        m = dotted.fullmatch(name) or dotted.match(name)
        if m is None or m.start() != 0:
            return None
        return mapping[m.group(1)] + name[m.end():]

    # Paths: portal/services/housing.py, portal/office/ (files and packages that moved).
    path_pairs = []
    for old, new in mapping.items():
        if old == new or is_views_move(old, new):
            continue
        o, n = old.replace(".", "/"), new.replace(".", "/")
        path_pairs.append((o + ".py", n + ".py"))
        if not any(k.startswith(old + ".") and k != old for k in MAPPING):
            path_pairs.append((o + "/", n + "/"))
    path_pairs.sort(key=lambda p: len(p[0]), reverse=True)
    paths = re.compile(r"(?<![\w/.])(" + "|".join(re.escape(o) for o, _ in path_pairs) + r")")
    path_map = dict(path_pairs)

    from_import = re.compile(
        r"(?m)^(?P<indent>[ \t]*)from (?P<mod>[\w.]+) import (?P<names>\([^)]*\)|[^\n]*)")

    def rewrite_from(m: re.Match) -> str:
        indent, mod, raw = m.group("indent"), m.group("mod"), m.group("names")
        parenthesised = raw.startswith("(")
        body = raw[1:-1] if parenthesised else raw
        comment = ""
        if not parenthesised and "#" in body:
            body, comment = body.split("#", 1)
            comment = "  #" + comment
        items = [i.strip() for i in re.split(r",", re.sub(r"#[^\n]*", "", body)) if i.strip()]
        if not items or "*" in items:
            return m.group(0)
        moved = {}
        for item in items:
            name, _, alias = (p.strip() for p in item.partition(" as "))
            target = map_module(f"{mod}.{name}")
            if target is not None:
                parent, _, leaf = target.rpartition(".")
                as_name = alias or name
                moved[item] = (parent, leaf + (f" as {as_name}" if as_name != leaf else ""))
        if not moved:
            return m.group(0)
        new_mod = map_module(mod) or mod
        groups: dict[str, list[str]] = {}
        for item in items:
            parent, entry = moved.get(item, (new_mod, item))
            groups.setdefault(parent, []).append(entry)
        lines = []
        for parent, entries in groups.items():
            parent = parent.replace(".", GUARD)  # already new: step 2 must not map it again
            line = f"{indent}from {parent} import {', '.join(entries)}"
            if len(line) > 99:
                inner = "".join(f"{indent}    {e},\n" for e in entries)
                line = f"{indent}from {parent} import (\n{inner}{indent})"
            lines.append(line)
        return "\n".join(lines) + comment

    def rewrite(text: str, python: bool) -> str:
        if python:
            text = from_import.sub(rewrite_from, text)
        text = dotted.sub(lambda m: mapping[m.group(1)], text).replace(GUARD, ".")
        return paths.sub(lambda m: path_map[m.group(1)], text)

    return rewrite


def files():
    for target in TARGETS:
        p = Path(target)
        if p.is_file():
            yield p
        elif p.is_dir():
            for f in sorted(p.rglob("*")):
                if f.is_file() and f.suffix in SUFFIXES and "__pycache__" not in f.parts \
                        and f.resolve() != SELF:
                    yield f

# A module split by concern into a package of the same name: (module, {part: (its docstring,
# the top-level names that go there)}). The rest (imports, init_app, anything new) stays in
# the package's __init__.py, which imports every part's public names, so importers do not change.
SPLITS = [
    ("portal.core.web", "What every page shares, one concern a module: errors (translated error "
     "pages), headers\n(security headers), fragments (a page or its htmx fragment), guards (what "
     "is refused at the\ndoor; route converters), kept_pages (pages kept for every visitor; the "
     "CSRF token). Views\nimport these names from here; init_app wires them.", {
        "errors": ("Translated error pages, and anything unexpected: never a stack trace; a "
                   "database or Redis out\nof reach is a 503 with Retry-After.",
                   ["log", "ERRORS", "RETRY_AFTER_SECONDS", "_store_unreachable", "error_page",
                    "unexpected"]),
        "headers": ("The headers every response carries: the content policy and the browser's "
                    "other protections.", ["CSP", "security_headers"]),
        "fragments": ("One template per page and fragment: the whole page, or the block htmx "
                      "asked for.", ["render_page"]),
        "guards": ("What the portal refuses at the door, before any view: another site's form "
                   "(403), a NUL in a\nfield or a body no form can read (400), a route id no "
                   "row can have (404).",
                   ["FOREIGN_ORIGIN", "MAX_ROUTE_ID", "SAFE_METHODS", "RouteId", "PathPart",
                    "accepts_files", "_origin", "_foreign_origin", "_unreadable_body",
                    "_has_nul", "refuse_odd_requests"]),
        "kept_pages": ("Public pages kept once per language for every visitor, and the CSRF "
                       "token: in plain forms,\nin htmx's header, and in the holes a kept page "
                       "leaves for each visitor's token.",
                       ["same_for_every_visitor", "CSRF_PLACEHOLDER", "CSRF_FORM_HOLE",
                        "_PLACEHOLDER_ISSUED", "_KEEPING", "_FORM_HOLE_USED", "csrf_field",
                        "_filled", "csrf_header_token", "fill_csrf_header"]),
    }),
]


def _defined(node: ast.stmt) -> set[str]:
    if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
        return {node.name}
    targets = node.targets if isinstance(node, ast.Assign) else \
        [node.target] if isinstance(node, ast.AnnAssign) else []
    return {t.id for t in targets if isinstance(t, ast.Name)}


def _used(nodes: list[ast.stmt]) -> set[str]:
    return {n.id for node in nodes for n in ast.walk(node) if isinstance(n, ast.Name)}


def _imports_for(imports: list[ast.stmt], used: set[str]) -> str:
    """The import statements, each keeping only the names the code uses."""
    out = []
    for node in imports:
        if isinstance(node, ast.ImportFrom) and node.module == "__future__":
            continue
        names = [a for a in node.names if (a.asname or a.name.split(".")[0]) in used]
        if names:
            kept = ast.ImportFrom(node.module, names, node.level) \
                if isinstance(node, ast.ImportFrom) else ast.Import(names)
            out.append(ast.unparse(kept) + "\n")
    return "".join(out)


def split(module: str, doc: str, parts: dict) -> None:
    """Split module.py into module/ (a package): each part gets its statements (with the
    comments just above them), the module's imports it uses and the other parts' names it
    uses; __init__.py keeps the rest and imports the parts."""
    source = path_of(module).with_suffix(".py")
    if not source.exists():
        return
    text = source.read_text()
    lines = text.splitlines(keepends=True)
    tree = ast.parse(text)
    body = [n for n in tree.body if not (isinstance(n, ast.Expr) and n is tree.body[0]
                                         and isinstance(n.value, ast.Constant))]
    imports = [n for n in body if isinstance(n, (ast.Import, ast.ImportFrom))]
    owner = {name: part for part, (_doc, names) in parts.items() for name in names}

    def segment(node: ast.stmt) -> str:
        start = min([node.lineno] + [d.lineno for d in getattr(node, "decorator_list", [])]) - 1
        while start > 0 and lines[start - 1].lstrip().startswith("#"):
            start -= 1
        return "".join(lines[start:node.end_lineno])

    placed: dict[str, list[ast.stmt]] = {part: [] for part in parts}
    rest: list[ast.stmt] = []
    for node in body:
        if node in imports:
            continue
        names = _defined(node)
        homes = {owner[n] for n in names if n in owner}
        if len(homes) > 1:
            raise SystemExit(f"relayout: {names} are split between {homes}")
        (placed[homes.pop()] if homes else rest).append(node)
    left = set().union(*(_defined(n) for n in rest)) if rest else set()
    package = path_of(module)
    package.mkdir()
    written = []
    for part, (part_doc, _names) in parts.items():
        nodes = placed[part]
        mine = set().union(*(_defined(n) for n in nodes)) if nodes else set()
        wanted = _used(nodes) - mine
        if wanted & left:
            raise SystemExit(f"relayout: {module}.{part} uses {wanted & left}, left in __init__")
        cross = "".join(
            f"from .{other} import {', '.join(sorted(wanted & set(names)))}\n"
            for other, (_d, names) in parts.items() if other != part and wanted & set(names))
        out = package / f"{part}.py"
        out.write_text(f'"""{part_doc}"""\n\nfrom __future__ import annotations\n\n'
                       + _imports_for(imports, _used(nodes)) + cross + "\n\n"
                       + "\n\n".join(segment(n) for n in nodes))
        written.append(str(out))
    uses = _used(rest)
    # What importers may use: the public names (not the logger), and what __init__ uses.
    shown = {part: sorted(n for n in names if n in uses or not n.startswith("_") and n != "log")
             for part, (_d, names) in parts.items()}
    public = sorted({n for names in shown.values() for n in names if not n.startswith("_")}
                    | {n for n in left if not n.startswith("_")})
    reexports = "".join(f"from .{part} import {', '.join(names)}\n"
                        for part, names in shown.items() if names)
    listed = textwrap.fill(", ".join(f'"{n}"' for n in public), 88, initial_indent=" " * 11,
                           subsequent_indent=" " * 11).strip()
    reexports += f"\n__all__ = [{listed}]\n"
    init = package / "__init__.py"
    init.write_text(f'"""{doc}"""\n\nfrom __future__ import annotations\n\n'
                    + _imports_for(imports, uses) + reexports + "\n\n"
                    + "\n\n".join(segment(n) for n in rest))
    written.append(str(init))
    run("git", "rm", "-q", "--cached", "-f", str(source))
    source.unlink()
    run("git", "add", *written)
    subprocess.run([sys.executable, "-m", "ruff", "check", "--quiet", "--fix", "--select", "I",
                    *written], check=False)
    run("git", "add", *written)


def main() -> int:
    if not Path("portal/__init__.py").exists():
        print("relayout: run me from the repository root", file=sys.stderr)
        return 2
    dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"],
                           capture_output=True, text=True, check=True).stdout
    if dirty.strip():
        print("relayout: the tree has changes; commit or stash them first", file=sys.stderr)
        return 2
    mapping = full_mapping()
    move(mapping)
    rewrite = build_rewriter(mapping)
    changed = []
    for f in files():
        try:
            text = f.read_text()
        except UnicodeDecodeError:
            continue
        new = rewrite(text, f.suffix == ".py")
        if new != text:
            f.write_text(new)
            changed.append(str(f))
    print(f"relayout: {len(changed)} files rewritten")
    # Imports in their sorted places again (ruff's isort rule), only where something moved.
    linted = [f for f in changed if f.endswith(".py") and not f.startswith("migrations/")]
    if linted:
        subprocess.run([sys.executable, "-m", "ruff", "check", "--quiet", "--fix", "--select",
                        "I", *linted], check=False)
    for module, doc, parts in SPLITS:
        split(module, doc, parts)
    loose = sorted(p.stem for p in Path("portal").glob("*.py") if p.stem not in ROOT_MODULES)
    if loose:
        print(f"relayout: loose modules still at portal/'s root: {loose}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
