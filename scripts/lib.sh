# Shared set-up for scripts/run and scripts/test. Every step checks before it acts, so a second
# run is fast and changes nothing.
# shellcheck shell=bash

MODULE_NAME=l10n_no_annual_accounts
MODULE_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
ODOO_SRC=${ODOO_SRC:-/opt/odoo}
STATE_DIR=${L10N_NO_AA_STATE:-${XDG_STATE_HOME:-$HOME/.local/state}/$MODULE_NAME}
export PGHOST=${PGHOST:-127.0.0.1}
export PGPORT=${PGPORT:-5432}
export PGUSER=${PGUSER:-odoo}

say() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }
die() { printf '\033[31mERROR: %s\033[0m\n' "$*" >&2; exit 1; }
is_root() { [ "$(id -u)" = 0 ]; }

apt_install() {
    is_root && command -v apt-get >/dev/null || return 1
    say "Installing $* with apt"
    if ! DEBIAN_FRONTEND=noninteractive apt-get install -y -q "$@" >/dev/null 2>&1; then
        DEBIAN_FRONTEND=noninteractive apt-get update -q >/dev/null 2>&1 || true
        DEBIAN_FRONTEND=noninteractive apt-get install -y -q "$@" >/dev/null
    fi
}

# --- Python ---------------------------------------------------------------------------------
pick_python() {
    local candidate
    for candidate in ${PYTHON:-} python3 python3.12 python3.11 python3.10; do
        command -v "$candidate" >/dev/null 2>&1 || continue
        if "$candidate" -c 'import sys; sys.exit(not (3, 10) <= sys.version_info[:2] <= (3, 12))'; then
            echo "$candidate"
            return
        fi
    done
    die "Odoo 18 needs Python 3.10, 3.11 or 3.12; none was found (set PYTHON=/path/to/python3.x)."
}

# Odoo's own requirements as it pins them for Python 3.12 (Ubuntu Noble): each of those installs
# from a wheel on 3.10 and 3.11 too, while its pins for older Pythons build from source. Two
# exceptions: psycopg2 builds against libpq, so its binary build (the same module, the same
# version) stands in; python-ldap builds against libldap and only auth_ldap imports it.
odoo_requirements() {
    "$1" - "$ODOO_SRC/requirements.txt" <<'PY'
import sys
from pip._vendor.packaging.requirements import Requirement

PY312 = {"python_version": "3.12", "python_full_version": "3.12.0"}
for line in open(sys.argv[1]):
    line = line.split("#")[0].strip()
    if not line:
        continue
    req = Requirement(line)
    if req.marker and not req.marker.evaluate(PY312):
        continue
    if req.name == "python-ldap":
        continue
    if req.name == "psycopg2":
        req.name = "psycopg2-binary"
    req.marker = None
    print(req)
PY
}

ensure_venv() {
    local python version reqs stamp
    python=$(pick_python)
    version=$("$python" -c 'import sys; print("%d.%d" % sys.version_info[:2])')
    VENV=${L10N_NO_AA_VENV:-$STATE_DIR/venv-$version}
    if [ ! -x "$VENV/bin/python" ]; then
        "$python" -c 'import venv' 2>/dev/null || apt_install python3-venv
        say "Creating the virtualenv $VENV"
        "$python" -m venv "$VENV"
    fi
    # Everything pip is given, in one resolution: Odoo's requirements, the module's, the tools'.
    reqs="$STATE_DIR/requirements-odoo.txt"
    odoo_requirements "$VENV/bin/python" > "$reqs" || die "cannot read $ODOO_SRC/requirements.txt"
    stamp=$(cat "$reqs" "$MODULE_DIR/requirements.txt" "$MODULE_DIR/test-requirements.txt" \
        | sha1sum | cut -c1-12)
    if [ "$(cat "$VENV/.requirements" 2>/dev/null)" != "$stamp" ]; then
        say "Installing Python requirements (Odoo's, requirements.txt, test-requirements.txt)"
        "$VENV/bin/pip" install --disable-pip-version-check -r "$reqs" \
            -r "$MODULE_DIR/requirements.txt" -r "$MODULE_DIR/test-requirements.txt" \
            > "$STATE_DIR/pip.log" 2>&1 || { tail -n 30 "$STATE_DIR/pip.log"; die "pip install failed"; }
        echo "$stamp" > "$VENV/.requirements"
    fi
    # Odoo is not a pip package here: put its source on the venv's path.
    local site
    site=$("$VENV/bin/python" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')
    [ "$(cat "$site/odoo-src.pth" 2>/dev/null)" = "$ODOO_SRC" ] || echo "$ODOO_SRC" > "$site/odoo-src.pth"
    PY="$VENV/bin/python"
}

# --- Odoo source ------------------------------------------------------------------------------
ensure_odoo() {
    [ -f "$ODOO_SRC/odoo-bin" ] && return
    say "Odoo 18.0 is not at $ODOO_SRC; trying to clone it"
    if command -v git >/dev/null && mkdir -p "$(dirname "$ODOO_SRC")" \
        && git clone -q --depth 1 -b 18.0 https://github.com/odoo/odoo.git "$ODOO_SRC" 2>/dev/null; then
        return
    fi
    die "Odoo 18.0's source is needed at $ODOO_SRC (or set ODOO_SRC). Cloning it failed.
Put an Odoo 18.0 tree there, for example:
    git clone --depth 1 -b 18.0 https://github.com/odoo/odoo.git $ODOO_SRC
or extract an Odoo 18.0 archive so that $ODOO_SRC/odoo-bin exists, then run this again."
}

# --- PostgreSQL -------------------------------------------------------------------------------
pg_answers() { "$PY" - <<'PY' 2>/dev/null
import os, psycopg2
psycopg2.connect(dbname="postgres", connect_timeout=3).close()
PY
}

pg_admin() {
    # Run psql as a PostgreSQL superuser: the postgres role over TCP (trust), or the postgres
    # system user over the local socket (peer).
    if psql -U postgres -d postgres -tAc 'select 1' >/dev/null 2>&1; then
        psql -U postgres -d postgres -v ON_ERROR_STOP=1 -q "$@"
    elif is_root && id postgres >/dev/null 2>&1; then
        runuser -u postgres -- psql -h /var/run/postgresql -d postgres -v ON_ERROR_STOP=1 -q "$@"
    else
        return 1
    fi
}

ensure_postgres() {
    command -v psql >/dev/null || apt_install postgresql-client || true
    if ! pg_isready -q -h "$PGHOST" -p "$PGPORT" 2>/dev/null; then
        if is_root && command -v apt-get >/dev/null; then
            command -v pg_ctlcluster >/dev/null || apt_install postgresql
            local version
            version=$(ls /etc/postgresql 2>/dev/null | sort -V | tail -n 1)
            [ -n "$version" ] || die "PostgreSQL was installed but no cluster exists."
            say "Starting PostgreSQL $version"
            pg_ctlcluster --skip-systemctl-redirect "$version" main start || true
            sleep 2
        fi
        pg_isready -q -h "$PGHOST" -p "$PGPORT" \
            || die "No PostgreSQL answers on $PGHOST:$PGPORT. Start one, or set PGHOST/PGPORT/PGUSER."
    fi
    if ! pg_answers; then
        say "Creating the PostgreSQL role $PGUSER"
        pg_admin -c "CREATE ROLE \"$PGUSER\" LOGIN CREATEDB PASSWORD '${PGPASSWORD:-odoo}'" \
            || die "Cannot connect to PostgreSQL as $PGUSER, nor create that role. Set PGUSER/PGPASSWORD."
        export PGPASSWORD=${PGPASSWORD:-odoo}
        pg_answers || die "PostgreSQL refuses the role $PGUSER; allow it in pg_hba.conf or set PGPASSWORD."
    fi
}

# --- System tools -----------------------------------------------------------------------------
ensure_wkhtmltopdf() {
    command -v wkhtmltopdf >/dev/null || apt_install wkhtmltopdf \
        || say "wkhtmltopdf is missing and cannot be installed here: PDFs will not render."
    # Debian's build runs without an X server this way.
    export QT_QPA_PLATFORM=${QT_QPA_PLATFORM:-offscreen}
}

ensure_pdftotext() {
    command -v pdftotext >/dev/null || apt_install poppler-utils \
        || say "pdftotext (poppler-utils) is missing: the tests that read PDFs will fail."
}

ensure_browser() {
    # Odoo's browser tests drive a headless Chrome or Chromium; without one they are skipped.
    local bin
    for bin in google-chrome chromium chromium-browser google-chrome-stable; do
        command -v "$bin" >/dev/null && return
    done
    apt_install chromium \
        || say "No Chrome or Chromium, and it cannot be installed here: the browser test will be skipped."
}

# --- Odoo configuration -----------------------------------------------------------------------
# An addons folder where the module sits under its own name, whatever the checkout is called.
make_addons_dir() {
    local dir=$1
    mkdir -p "$dir"
    ln -sfn "$MODULE_DIR" "$dir/$MODULE_NAME"
}

free_port() {
    "${PY:-python3}" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# A test run takes a free HTTP port (HTTP_PORT overrides), so that several runs can share a machine.
write_odoo_conf() {
    local conf=$1 addons=$2 data_dir=$3
    cat > "$conf" <<CONF
[options]
addons_path = $ODOO_SRC/addons,$ODOO_SRC/odoo/addons,$addons
data_dir = $data_dir
db_host = $PGHOST
db_port = $PGPORT
db_user = $PGUSER
db_password = ${PGPASSWORD:-False}
list_db = False
without_demo = all
http_port = ${HTTP_PORT:-$(free_port)}
CONF
}

setup_all() {
    mkdir -p "$STATE_DIR"
    ensure_odoo
    ensure_venv
    ensure_postgres
    ensure_wkhtmltopdf
}
