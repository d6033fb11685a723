#!/usr/bin/env bash
# Installs the Debian packages the project needs that the machine lacks, and nothing else.
#
#   scripts/install-system-packages.sh             redis-server, chromium (browser tests), nginx and its
#                                                  headers-more module (the production proxy, tested),
#                                                  wrk (bench), Pango (board pack PDFs) and poppler-utils
#                                                  (their tests)
#   scripts/install-system-packages.sh --postgres  the same, plus postgresql (CI's second test run)
#   scripts/install-system-packages.sh --run       only what `make run` uses: Pango (board pack PDFs)
#                                                  and npm; no server, browser or proxy
#
# Idempotent: a package already installed is left alone (`apt-get install` of an installed package
# may upgrade it), and `apt-get update` runs only when something is to be installed. Without root or
# sudo it installs nothing: it says what to install, and fails only if something required is missing.
set -euo pipefail

want_postgres=false
only_run=false
for arg in "$@"; do
    case "$arg" in
        --postgres) want_postgres=true ;;
        --run) only_run=true ;;
        -h | --help)
            sed -n '2,14p' "$0" | sed 's/^# \{0,1\}//'
            exit 0
            ;;
        *)
            echo "install-system-packages: unknown option '$arg' (try --help)" >&2
            exit 2
            ;;
    esac
done

# nginx: the production proxy in front of gunicorn (deploy/nginx.conf), which the test suite starts on a
# free port; headers-more lets it send no Server header at all. `manage.py bench` also measures public
# pages through a real nginx (the micro-cache, deploy/nginx-public-cache-*.conf) with wrk (issue 15).
# Pango is what WeasyPrint draws board pack PDFs with; poppler-utils (pdftotext, pdfinfo) is how the
# tests read those PDFs back.
packages=(redis-server chromium nginx libnginx-mod-http-headers-more-filter wrk libpango-1.0-0 libpangoft2-1.0-0 poppler-utils)
if [ "$want_postgres" = true ]; then
    packages+=(postgresql)
fi
# A local run: SQLite and the filesystem broker (no Redis), Django's server (no nginx), no browser tests.
if [ "$only_run" = true ]; then
    packages=(libpango-1.0-0 libpangoft2-1.0-0)
fi

is_installed() {
    [ "$(dpkg-query -W -f='${Status}' "$1" 2>/dev/null || true)" = "install ok installed" ]
}

if ! command -v dpkg-query >/dev/null 2>&1; then
    echo "install-system-packages: this is not a Debian-based machine; install by hand: ${packages[*]} and npm" >&2
    missing_cmds=()
    command -v npm >/dev/null 2>&1 || missing_cmds+=(npm)
    command -v chromium >/dev/null 2>&1 || [ -x /usr/bin/chromium ] || missing_cmds+=(chromium)
    if [ "${#missing_cmds[@]}" -gt 0 ]; then
        echo "install-system-packages: missing: ${missing_cmds[*]}" >&2
        exit 1
    fi
    exit 0
fi

missing=()
for package in "${packages[@]}"; do
    is_installed "$package" || missing+=("$package")
done

# npm comes with Node.js (NodeSource's nodejs package ships it); Debian's own npm package is the
# fallback for a machine whose Node.js came from Debian.
if ! command -v npm >/dev/null 2>&1; then
    missing+=(npm)
fi

if [ "${#missing[@]}" -eq 0 ]; then
    exit 0
fi

if [ "$(id -u)" -eq 0 ]; then
    as_root=()
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    as_root=(sudo -n)
else
    echo "install-system-packages: these system packages are missing and this user cannot install them:" >&2
    echo "    ${missing[*]}" >&2
    echo "Install them as root, for example:" >&2
    echo "    apt-get update && apt-get install -y ${missing[*]}" >&2
    exit 1
fi

echo "install-system-packages: installing ${missing[*]}"
# Installing nginx would start it as a service on port 80; the tests start their own on a free port.
# A temporary policy-rc.d (Debian's standard switch) keeps the package from starting any service.
policy=/usr/sbin/policy-rc.d
if [ ! -e "$policy" ]; then
    printf '#!/bin/sh\nexit 101\n' | "${as_root[@]}" tee "$policy" >/dev/null
    "${as_root[@]}" chmod 755 "$policy"
    trap '"${as_root[@]}" rm -f "$policy"' EXIT
fi
"${as_root[@]}" apt-get update -qq
# With recommends: Chromium's bring the fonts (fonts-liberation) that pages are rendered and tested in.
"${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null

for package in "${missing[@]}"; do
    if [ "$package" = npm ]; then
        command -v npm >/dev/null 2>&1 || { echo "install-system-packages: npm is still missing" >&2; exit 1; }
    elif ! is_installed "$package"; then
        echo "install-system-packages: $package did not install" >&2
        exit 1
    fi
done
echo "install-system-packages: done"
