#!/bin/bash
# Installs what the peer runners in bench/peers need (idempotent; run as root from anywhere):
#   Debian: python3-spf python3-dkim python3-dnspython python3-nacl spfquery opendkim-tools dnsdist (and nodejs, npm
#           when there is no node/npm yet)
#   npm:    mailauth and email-domain-check into bench/peers/node_modules, as pinned by package-lock.json
# Not part of CI or the test run.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
apt_packages=(python3-spf python3-dkim python3-dnspython python3-nacl spfquery opendkim-tools dnsdist util-linux mount)
missing=()
for p in "${apt_packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
# node and npm: whatever provides them already (a nodejs build that bundles npm conflicts with Debian's npm)
command -v node >/dev/null || missing+=(nodejs)
command -v npm >/dev/null || missing+=(npm)
if [ ${#missing[@]} -gt 0 ]; then
    if [ "$(id -u)" -ne 0 ]; then echo "run as root to install: ${missing[*]}" >&2; exit 1; fi
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
cd "$here"
if [ -f package-lock.json ]; then
    npm ci --no-audit --no-fund --loglevel=error
else
    npm install --no-audit --no-fund --loglevel=error --omit-lockfile-registry-resolved
fi
echo "peer tools installed:"
echo "  pyspf $(/usr/bin/python3 -c 'import spf; print(spf.__version__)')"
echo "  dkimpy $(/usr/bin/python3 -c 'from importlib.metadata import version; print(version("dkimpy"))')"
echo "  $(spfquery -version 2>&1 | grep 'Running with' || true)"
echo "  opendkim-tools $(dpkg-query -W -f='${Version}' opendkim-tools)"
echo "  mailauth $(node -p 'require("./node_modules/mailauth/package.json").version')"
echo "  email-domain-check $(node -p 'require("./node_modules/email-domain-check/package.json").version')"
