#!/usr/bin/env bash
# Quick start: install investenv into .venv, create the SQLite database, load the demo year and
# serve it at http://127.0.0.1:5000.  Safe to run again: the demo is loaded only once.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh

ensure_system_packages python3-venv fonts-wqy-microhei  # the font is embedded in every PDF
ensure_venv
log "安装 investenv …"
.venv/bin/pip install --quiet --disable-pip-version-check -e .

export INVESTENV_INSTANCE_PATH="${INVESTENV_INSTANCE_PATH:-$PWD/instance}"
.venv/bin/investenv db upgrade
.venv/bin/investenv demo
log "网站地址：http://127.0.0.1:5000 （Ctrl+C 停止）"
exec .venv/bin/investenv serve --host 127.0.0.1 --port "${PORT:-5000}"
