# Helpers shared by scripts/test.sh and bench/run.sh: install Debian packages when missing (PostgreSQL,
# the receipts' PDF engine and fonts) and run a private PostgreSQL cluster (own port, own data directory, removed afterwards).
# Sourced, not executed.

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"
  elif command -v sudo >/dev/null 2>&1; then sudo "$@"
  else echo "need root (or sudo) to run: $*" >&2; return 1
  fi
}

# apt_install PACKAGE... — installs without starting the packages' own services
# (a policy-rc.d that says "no" keeps the stock postgresql cluster from starting on port 5432).
# Runs in a subshell so that its EXIT trap removes that policy-rc.d on every way out (failure,
# Ctrl-C): left behind, it would stop every service this machine installs later from starting.
apt_install() (
  policy=/usr/sbin/policy-rc.d
  if [ ! -e "$policy" ]; then
    trap 'as_root rm -f "$policy"' EXIT
    as_root sh -c "printf '#!/bin/sh\nexit 101\n' > $policy && chmod +x $policy"
  fi
  echo "Installing Debian packages: $*" >&2
  as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq >&2 || true
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >&2
)

pg_bindir() {
  local d
  for d in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
    [ -x "$d/initdb" ] && [ -x "$d/pg_ctl" ] && { echo "$d"; return 0; }
  done
  return 1
}

ensure_postgres() {
  pg_bindir >/dev/null || apt_install postgresql
  pg_bindir >/dev/null || { echo "PostgreSQL could not be installed" >&2; return 1; }
}

pkg_installed() {
  dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed'
}

# ensure_receipt_tools — what PDF receipts need: Chromium (prints the receipt HTML to PDF),
# poppler-utils (pdftotext: the tests read the PDFs back) and fonts for every script a name may be
# written in (Noto: Latin, Thai and most others; Noto CJK: Japanese, Chinese, Korean).
# A Chromium given by CHROMIUM_PATH counts as installed.
ensure_receipt_tools() {
  local missing=() pkg
  if ! pkg_installed chromium && ! { [ -n "${CHROMIUM_PATH:-}" ] && [ -x "$CHROMIUM_PATH" ]; }; then missing+=(chromium); fi
  for pkg in poppler-utils fonts-noto-core fonts-noto-cjk; do
    pkg_installed "$pkg" || missing+=("$pkg")
  done
  [ ${#missing[@]} -eq 0 ] || apt_install "${missing[@]}"
}

# ensure_browser_test_tools — what the browser tests need: Chromium and its WebDriver (chromedriver),
# both from Debian so their versions match; Selenium is pointed at them and never downloads its own.
# A Chromium given by CHROMIUM_PATH with a driver given by CHROMEDRIVER_PATH counts as installed.
ensure_browser_test_tools() {
  local missing=()
  if ! pkg_installed chromium && ! { [ -n "${CHROMIUM_PATH:-}" ] && [ -x "$CHROMIUM_PATH" ]; }; then missing+=(chromium); fi
  if ! pkg_installed chromium-driver && ! { [ -n "${CHROMEDRIVER_PATH:-}" ] && [ -x "$CHROMEDRIVER_PATH" ]; }; then missing+=(chromium-driver); fi
  [ ${#missing[@]} -eq 0 ] || apt_install "${missing[@]}"
}

free_port() {
  local port
  for _ in $(seq 1 50); do
    port=$(( 20000 + RANDOM % 20000 ))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then echo "$port"; return 0; fi
  done
  return 1
}

# pg_start [extra postgres -c settings...] — sets PG_DIR, PG_PORT, PG_URL; pg_stop undoes it.
# PG_DIR, PG_BIN and PG_RUN are set before anything can fail, so that pg_stop (the callers' EXIT
# trap) also removes a cluster whose initdb or start failed or timed out.
pg_start() {
  PG_BIN=$(pg_bindir)
  PG_RUN=()
  # PostgreSQL refuses to run as root; the Debian package creates the 'postgres' user for it.
  if [ "$(id -u)" -eq 0 ]; then PG_RUN=(runuser -u postgres --); fi
  PG_DIR=$(mktemp -d /tmp/payments-pg.XXXXXX)
  PG_PORT=$(free_port)
  if [ "$(id -u)" -eq 0 ]; then chown postgres:postgres "$PG_DIR"; fi
  "${PG_RUN[@]}" "$PG_BIN/initdb" -D "$PG_DIR/data" -U payments --auth=trust --encoding=UTF8 --locale=C.UTF-8 >"$PG_DIR/initdb.log" 2>&1 \
    || { cat "$PG_DIR/initdb.log" >&2; return 1; }
  local opts="-p $PG_PORT -k $PG_DIR -c listen_addresses=127.0.0.1 -c max_connections=300" setting
  for setting in "$@"; do opts="$opts -c $setting"; done
  "${PG_RUN[@]}" "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/server.log" -o "$opts" -w -t 60 start >/dev/null \
    || { cat "$PG_DIR/server.log" >&2; return 1; }
  PG_URL="postgres://payments@127.0.0.1:$PG_PORT/postgres"
  echo "PostgreSQL $("$PG_BIN/postgres" --version | awk '{print $3}') on 127.0.0.1:$PG_PORT (data in $PG_DIR)" >&2
}

pg_stop() {
  [ -n "${PG_DIR:-}" ] || return 0
  if [ -f "$PG_DIR/data/postmaster.pid" ]; then
    "${PG_RUN[@]}" "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -m fast -w stop >/dev/null 2>&1 || true
  fi
  rm -rf "$PG_DIR"
  PG_DIR=
}
