"""The packages' import graph (scripts/import_graph.py): no cycle, domains imported only by the
shell modules that assemble them, a pure ``scoring`` package, project code imported inside
functions only where the script gives the reason, and docs/architecture.md showing the graph as it is."""
import importlib.util
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = ROOT / "scripts" / "import_graph.py"
WEB_LIBRARIES = frozenset({"flask", "flask_sqlalchemy", "flask_login", "flask_wtf", "wtforms", "werkzeug", "sqlalchemy",
                           "alembic"})

def _load_script():
    spec = importlib.util.spec_from_file_location("import_graph", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


import_graph = _load_script()


@pytest.fixture(scope="module")
def graph():
    return import_graph.build()


def test_the_script_prints_the_graph_and_finds_no_cycle():
    run = subprocess.run([sys.executable, str(SCRIPT)], capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    assert run.stdout.startswith("graph LR\n") and "Module-level imports:" in run.stdout
    assert "    scoring[scoring]" in run.stdout and "    investenv_cli --> investenv_app" in run.stdout


def test_a_cycle_is_found(tmp_path):
    for package, imports in {"survey": "import complaints\n", "complaints": "from survey import models\n"}.items():
        (tmp_path / package).mkdir()
        (tmp_path / package / "__init__.py").write_text(imports)
        (tmp_path / package / "models.py").write_text("")
    (tmp_path / "investenv").mkdir()
    for package in ("feedback", "spotchecks", "evaluation", "scoring"):
        (tmp_path / package).mkdir()
    assert import_graph.build(tmp_path).cycles() == [["complaints", "survey"]]


def test_only_the_assembling_shell_modules_import_the_domains(graph):
    assemblers = {"investenv.app", "investenv.cli", "investenv.demo", "investenv.migrate"}
    importing = {name for name, targets in graph.edges().items()
                 if name.startswith("investenv") and {import_graph.node(t) for t in targets} & set(import_graph.DOMAINS)}
    assert importing <= assemblers, importing - assemblers


def test_scoring_loads_no_web_or_database_module(graph):
    """Not directly, not inside a function, and not through a project module it imports."""
    for module in (m for m in graph.modules if import_graph.node(m) == "scoring"):
        assert not graph.reaches(module, WEB_LIBRARIES), module
        for item in (i for i in graph.lazy if i.module == module):
            assert item.target.split(".")[0] not in WEB_LIBRARIES, item
            assert not (item.target in graph.modules and graph.reaches(item.target, WEB_LIBRARIES)), item


def test_project_code_is_imported_inside_functions_only_where_the_script_says_why(graph):
    assert not graph.lazy_problems(), [f"{i.module}.{i.function} -> {i.target}: {what}" for i, what in graph.lazy_problems()]
    lazy_modules = {item.module for item in graph.lazy_project()}
    for module, reason in import_graph.LAZY_LOADERS.items():
        assert module in lazy_modules and reason, f"{module} loads nothing lazily: remove it from LAZY_LOADERS"


def test_the_command_line_starts_without_matplotlib_or_reportlab():
    code = "import sys, investenv.cli; print(sorted({m.split('.')[0] for m in sys.modules} & {'matplotlib', 'reportlab'}))"
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, cwd=ROOT)
    assert run.stdout.strip() == "[]", run.stdout + run.stderr


def test_the_architecture_document_shows_the_current_graph(graph):
    document = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    assert f"```mermaid\n{import_graph.mermaid(graph)}\n```" in document, \
        "the import graph changed: run python scripts/import_graph.py --update-doc"
