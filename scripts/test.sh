#!/usr/bin/env bash
# The whole test suite: installs what it needs (PostgreSQL, Chromium, CJK fonts and poppler with apt-get
# when missing; Python packages into .venv), then runs pytest.  Extra arguments go to pytest.
# .ci/run calls exactly this script.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh

ensure_system_packages python3-venv postgresql chromium fonts-wqy-microhei poppler-utils npm
ensure_venv
ensure_axe
log "安装 investenv 与测试依赖 …"
.venv/bin/pip install --quiet --disable-pip-version-check -e '.[test]'
log "代码检查（ruff）…"
.venv/bin/ruff check investenv survey complaints feedback spotchecks evaluation projects notifications portal scoring tests bench scripts
log "运行测试 …"
exec .venv/bin/python -m pytest -n auto --dist loadfile "$@"
