"""Every code block of the documentation runs.

* ```python blocks of one Markdown file run in order, in one namespace, in a temporary working
  directory. A block fenced as ```python no-run is skipped; it is meant for the rare code that
  cannot run by nature (it needs a plugin package installed, for instance) and is counted below.
* ```bash and ```console blocks: every command ``zorgeval …`` (run as ``python -m zorgeval.cli``),
  ``python examples/…``, ``python -m zorgeval…`` and ``python -c …`` runs with the current
  interpreter in a temporary directory that links ``examples/`` of the repository (the commands
  are written for the repository root; their output lands in the temporary directory). Installation commands (``pip install``, ``python3 -m venv``) are the only
  skipped commands, plus the test-suite command ``python -m pytest`` (which would run this file
  again); CI runs the README's commands itself. ``cd DIR`` changes the directory of the
  following commands of the block.

Each Markdown file is one test case, so a failure names the file and the line of the block.
"""

from __future__ import annotations

import contextlib
import io
import os
import re
import shlex
import subprocess
import sys
import traceback
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
MARKDOWN = sorted((ROOT / "docs").rglob("*.md")) + [ROOT / "README.md"]
FENCE = re.compile(r"^(\s*)(`{3,}|~{3,})\s*([^`\s]*)\s*(.*)$")
PYTHON_ALIASES = {"py", "python3", "pycon", "ipython"}
MAX_NO_RUN = 6
FORBIDDEN = re.compile(r"\b(ai|assistants?|agents?|helpers?|sessions?|llms?|chatbots?)\b",
                       re.IGNORECASE)


@dataclass
class Block:
    path: Path
    line: int  # 1-based line of the opening fence
    lang: str
    options: str
    code: str

    @property
    def where(self) -> str:
        return f"{self.path.relative_to(ROOT)}:{self.line}"


def blocks(path: Path) -> list[Block]:
    """The fenced code blocks of one Markdown file, in order."""
    out: list[Block] = []
    lines = path.read_text(encoding="utf-8").splitlines()
    i = 0
    while i < len(lines):
        m = FENCE.match(lines[i])
        if not m:
            i += 1
            continue
        indent, fence, lang, options = m.groups()
        start = i
        body: list[str] = []
        i += 1
        while i < len(lines) and not lines[i].strip().startswith(fence):
            line = lines[i]
            body.append(line[len(indent):] if line.startswith(indent) else line.lstrip())
            i += 1
        out.append(Block(path, start + 1, lang.lower(), options.strip().lower(), "\n".join(body) + "\n"))
        i += 1
    return out


def _ids(paths: list[Path]) -> list[str]:
    return [str(p.relative_to(ROOT)) for p in paths]


# ------------------------------------------------------------------------------------------------
# python blocks
# ------------------------------------------------------------------------------------------------
def _runnable_python(path: Path) -> list[Block]:
    return [b for b in blocks(path) if b.lang == "python" and b.options != "no-run"]


PYTHON_PAGES = [p for p in MARKDOWN if _runnable_python(p)]


def test_pages_with_python_are_found() -> None:
    # the pages whose code is run are chosen at collection; this keeps that choice honest
    assert ROOT / "README.md" in PYTHON_PAGES
    assert len(PYTHON_PAGES) >= 10, [str(p) for p in PYTHON_PAGES]


@pytest.mark.parametrize("path", PYTHON_PAGES, ids=_ids(PYTHON_PAGES))
def test_python_blocks_run(path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    code_blocks = _runnable_python(path)
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    monkeypatch.chdir(tmp_path)
    monkeypatch.syspath_prepend(str(ROOT))
    namespace: dict[str, object] = {"__name__": "__docs__"}
    failure = None
    try:
        for block in code_blocks:
            try:
                compiled = compile(block.code, block.where, "exec")
                with contextlib.redirect_stdout(io.StringIO()):
                    exec(compiled, namespace)
            except Exception:
                failure = (f"code block at {block.where} failed:\n{block.code}\n"
                           f"{traceback.format_exc(limit=-4)}")
                break
    finally:
        plt.close("all")
    assert failure is None, failure


def test_python_fences_are_spelled_python() -> None:
    """```py / ```python3 would silently escape the test above."""
    offenders = [b.where for p in MARKDOWN for b in blocks(p) if b.lang in PYTHON_ALIASES]
    assert not offenders, f"fence these blocks as ```python (or ```python no-run): {offenders}"


def test_no_run_blocks_are_rare() -> None:
    no_run = [b.where for p in MARKDOWN for b in blocks(p) if b.lang == "python" and b.options]
    unknown = [w for p in MARKDOWN for b in blocks(p)
               if b.lang == "python" and b.options not in ("", "no-run") for w in [b.where]]
    assert not unknown, f"unknown python fence options (only 'no-run' exists): {unknown}"
    assert len(no_run) <= MAX_NO_RUN, f"too many ```python no-run blocks ({len(no_run)}): {no_run}"
    readme = [w for w in no_run if w.startswith("README.md")]
    assert not readme, f"the README's code must run: {readme}"


# ------------------------------------------------------------------------------------------------
# shell blocks
# ------------------------------------------------------------------------------------------------
INSTALL = re.compile(r"^(\S*/)?(python3?|pip3?)\b.*\b(venv|install)\b")
PYTEST = re.compile(r"^(\S*/)?python3?\s+-m\s+pytest\b")


def shell_commands(block: Block) -> list[str]:
    """The commands of a bash/console block: ``$``-prompted lines of a console block, every
    non-comment line of a bash block; ``a && b`` chains are split; ``\\`` continues a line."""
    text = block.code.replace("\\\n", " ")
    commands: list[str] = []
    for raw in text.splitlines():
        line = raw.strip()
        if block.lang == "console":
            if not line.startswith("$ "):
                continue
            line = line[2:].strip()
        if not line or line.startswith("#"):
            continue
        commands.extend(part.strip() for part in line.split("&&") if part.strip())
    return commands


def to_argv(command: str) -> list[str] | None:
    """argv to run ``command`` with this interpreter, or None for an installation command."""
    if INSTALL.match(command) or PYTEST.match(command):
        return None
    words = shlex.split(command, comments=True)
    if words[0] == "zorgeval":
        return [sys.executable, "-m", "zorgeval.cli", *words[1:]]
    if re.fullmatch(r"(\S*/)?python3?", words[0]) and len(words) > 1:
        if words[1].startswith("examples/") or words[1] == "-c":
            return [sys.executable, *words[1:]]
        if words[1] == "-m" and len(words) > 2 and words[2].split(".")[0] == "zorgeval":
            return [sys.executable, *words[1:]]
    raise AssertionError(
        f"unsupported command {command!r}: docs shell blocks may run `zorgeval …`, "
        "`python examples/…`, `python -m zorgeval…` or `python -c …` "
        "(installation commands are skipped)")


def _only_installation(block: Block) -> bool:
    """Whether a shell block holds nothing but installation and test-suite commands."""
    return all(INSTALL.match(c) or PYTEST.match(c) for c in shell_commands(block))


SHELL_BLOCKS = [b for p in MARKDOWN for b in blocks(p)
                if b.lang in ("bash", "console", "sh", "shell") and not _only_installation(b)]


@pytest.mark.parametrize("block", SHELL_BLOCKS, ids=[b.where for b in SHELL_BLOCKS])
def test_shell_blocks_run(block: Block, tmp_path: Path) -> None:
    assert block.lang in ("bash", "console"), f"{block.where}: fence shell code as ```bash or ```console"
    # the commands are written for the repository root: examples/ is there, outputs land in tmp
    (tmp_path / "examples").symlink_to(ROOT / "examples", target_is_directory=True)
    env = dict(os.environ, MPLBACKEND="Agg",
               PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])))
    ran = 0
    cwd = tmp_path
    for command in shell_commands(block):
        if command.startswith("cd "):
            cwd = cwd / shlex.split(command)[1]
            assert cwd.is_dir(), f"{block.where}: `{command}`: no such directory"
            continue
        try:
            argv = to_argv(command)
        except AssertionError as exc:
            pytest.fail(f"{block.where}: {exc}", pytrace=False)
        if argv is None:
            continue
        proc = subprocess.run(argv, cwd=cwd, env=env, capture_output=True, text=True,
                              timeout=120)
        ran += 1
        if proc.returncode != 0:
            pytest.fail(f"{block.where}: `{command}` exited with {proc.returncode}\n"
                        f"{proc.stdout[-2000:]}\n{proc.stderr[-4000:]}", pytrace=False)
    assert ran, f"{block.where}: no command of this block ran"


def test_shell_command_translation() -> None:
    assert to_argv("python3 -m venv .venv") is None
    assert to_argv(".venv/bin/pip install -q .") is None
    assert to_argv(".venv/bin/python -m pytest -q") is None
    assert to_argv(".venv/bin/python examples/x.py out") == [sys.executable, "examples/x.py", "out"]
    assert to_argv("python -c 'print(1)'") == [sys.executable, "-c", "print(1)"]
    assert to_argv("zorgeval report p.toml -o out") == [sys.executable, "-m", "zorgeval.cli",
                                                         "report", "p.toml", "-o", "out"]
    with pytest.raises(AssertionError, match="unsupported command"):
        to_argv("rm -rf /")


# ------------------------------------------------------------------------------------------------
# links
# ------------------------------------------------------------------------------------------------
LINK = re.compile(r"\]\(([^)\s]+)\)")


def slug(heading: str) -> str:
    """The anchor GitHub gives a heading: lower case, punctuation removed, spaces to hyphens."""
    text = re.sub(r"[^\w\- ]", "", heading.strip().lower())
    return text.replace(" ", "-")


def anchors(path: Path) -> set[str]:
    """The heading anchors of a page; a repeated anchor gets "-1", "-2", ... as on GitHub."""
    in_code = False
    out: set[str] = set()
    seen: dict[str, int] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if FENCE.match(line):
            in_code = not in_code
        elif not in_code and line.startswith("#"):
            base = slug(line.lstrip("#"))
            n = seen.get(base, 0)
            seen[base] = n + 1
            out.add(base + (f"-{n}" if n else ""))
    return out


def test_links_resolve() -> None:
    """Every relative link of the docs points at an existing file (and heading)."""
    broken = []
    for path in MARKDOWN:
        text = path.read_text(encoding="utf-8")
        for target in LINK.findall(text):
            if re.match(r"[a-z]+:", target):
                continue
            file_part, _, anchor = target.partition("#")
            dest = (path.parent / file_part).resolve() if file_part else path
            if not dest.exists():
                broken.append(f"{path.relative_to(ROOT)}: {target} (no such file)")
            elif anchor and dest.suffix == ".md" and anchor not in anchors(dest):
                broken.append(f"{path.relative_to(ROOT)}: {target} (no such heading)")
    assert not broken, "broken links:\n" + "\n".join(broken)


# ------------------------------------------------------------------------------------------------
# names
# ------------------------------------------------------------------------------------------------
DOTTED = re.compile(r"\b((?:evalstats|fidelity|gas|outcomes|profiles|zorgeval)(?:\.[A-Za-z_]\w*)+)")
FILE_SUFFIXES = {"py", "toml", "md", "csv", "json", "R", "sav", "xlsx", "png", "html"}


def entry_point_groups() -> set[str]:
    """The entry-point groups the registries read (``zorgeval.instruments``, ...)."""
    found = set()
    for path in ROOT.glob("*/*.py"):
        found.update(re.findall(r'ENTRY_POINT_GROUP = "([\w.]+)"', path.read_text(encoding="utf-8")))
    return found


def resolves(dotted: str) -> bool:
    """Whether ``a.b.c`` names a module or an attribute reachable from one."""
    import importlib

    parts = dotted.split(".")
    for cut in range(len(parts), 0, -1):
        try:
            obj = importlib.import_module(".".join(parts[:cut]))
        except ImportError:
            continue
        try:
            for part in parts[cut:]:
                obj = getattr(obj, part)
        except AttributeError:
            return False
        return True
    return False


def test_named_functions_exist(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every ``package.name`` the docs mention exists (catches renamed or removed functions)."""
    monkeypatch.syspath_prepend(str(ROOT))
    groups = entry_point_groups()
    missing = []
    for path in MARKDOWN:
        if path.parent.name == "api":
            continue
        for name in sorted(set(DOTTED.findall(path.read_text(encoding="utf-8")))):
            if name.rsplit(".", 1)[-1] in FILE_SUFFIXES or name in groups:
                continue
            if not resolves(name):
                missing.append(f"{path.relative_to(ROOT)}: {name}")
    assert not missing, "names in the docs that do not exist:\n" + "\n".join(missing)


INLINE_CALL = re.compile(r"`(?:[\w.]*\.)?(\w+)\(([^`]*)\)`")


def test_documented_keywords_exist(monkeypatch: pytest.MonkeyPatch) -> None:
    """A keyword argument shown in inline code (`gas.dropout(cases, when=None)`) is a parameter
    of the public function of that name."""
    import importlib
    import inspect

    monkeypatch.syspath_prepend(str(ROOT))
    public: dict[str, list] = {}
    for package in ("evalstats", "fidelity", "gas", "profiles", "zorgeval"):
        module = importlib.import_module(package)
        for name in module.__all__:
            if callable(getattr(module, name)):
                public.setdefault(name, []).append(getattr(module, name))
    wrong = []
    for path in MARKDOWN:
        if path.parent.name == "api":
            continue
        for name, args in INLINE_CALL.findall(path.read_text(encoding="utf-8")):
            keywords = re.findall(r"(?:^|[,(]\s*)(\w+)\s*=", args)
            for obj in public.get(name, []):
                params = inspect.signature(obj).parameters
                if any(p.kind is p.VAR_KEYWORD for p in params.values()):
                    continue
                unknown = [k for k in keywords if k not in params]
                if unknown:
                    wrong.append(f"{path.relative_to(ROOT)}: {name}({args}): no parameter {unknown}")
    assert not wrong, "keywords in the docs that the functions do not take:\n" + "\n".join(wrong)


# ------------------------------------------------------------------------------------------------
# wording
# ------------------------------------------------------------------------------------------------
def test_docs_speak_of_the_project_alone() -> None:
    hits = []
    for path in MARKDOWN:
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            for m in FORBIDDEN.finditer(line):
                hits.append(f"{path.relative_to(ROOT)}:{n}: {m.group(0)!r}")
    assert not hits, "the docs describe the library, not how it is built:\n" + "\n".join(hits)
