# Helpers shared by quickstart.sh and test.sh.

log() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }

# True when the Debian package providing the named capability is already usable.
have() {
  case "$1" in
    python3-venv) python3 -c 'import ensurepip, venv' 2>/dev/null ;;
    postgresql) compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null ;;
    chromium) command -v chromium >/dev/null ;;
    fonts-wqy-microhei) [ -e /usr/share/fonts/truetype/wqy/wqy-microhei.ttc ] ;;
    poppler-utils) command -v pdftotext >/dev/null && command -v pdftoppm >/dev/null ;;
    npm) command -v npm >/dev/null ;;
    *) dpkg -s "$1" >/dev/null 2>&1 ;;
  esac
}

# Install the Debian packages that are missing, with sudo when not root.
ensure_system_packages() {
  local missing=() sudo=""
  for package in "$@"; do have "$package" || missing+=("$package"); done
  [ ${#missing[@]} -eq 0 ] && return 0
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  log "apt-get install ${missing[*]}"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

ensure_venv() {
  if [ ! -x .venv/bin/python ]; then
    log "创建虚拟环境 .venv"
    python3 -m venv .venv
  fi
}

# axe-core, the accessibility checker the browser tests inject into each page (tests/browser/test_accessibility.py),
# from npm into .cache/axe-core; installed again only when the pinned version is not there.
AXE_VERSION=4.14.1
ensure_axe() {
  local dir=.cache/axe-core
  if ! grep -qs "\"version\": \"$AXE_VERSION\"" "$dir/node_modules/axe-core/package.json"; then
    log "npm install axe-core@$AXE_VERSION"
    npm install --prefix "$dir" --no-save --no-package-lock --no-audit --no-fund --silent "axe-core@$AXE_VERSION"
  fi
}
