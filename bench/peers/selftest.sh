#!/bin/bash
# Self-check of the peer runners (not part of CI or the test run): writes a tiny data set (6 domains, 12 SPF pairs,
# 6 signed messages) to a temporary folder, starts knotd on 127.0.0.1:<free port> serving it (as
# tests/TestDnsServer/TestDnsServer.psm1 does), runs every runner in bench/peers on it and prints their JSON lines.
#   bash bench/peers/selftest.sh            # all runners
#   bash bench/peers/selftest.sh pyspf      # runners whose name contains 'pyspf'
#   KEEP=1 bash bench/peers/selftest.sh     # keep the folder and knot's log
#   bash bench/peers/selftest.sh --exec CMD # run 'CMD PORT DATA_DIR' against the server instead of the runners
#   DATA=bench/out/1000 LIMIT=500 bash bench/peers/selftest.sh   # serve a generator data set instead (read only),
#                                           # each runner on at most LIMIT items
# Needs knot (knotd), openssl, python3-dkim, python3-nacl and whatever bench/peers/install.sh installs.
set -u
here=$(cd "$(dirname "$0")" && pwd)
filter=${1:-}
exec_cmd=
if [ "$filter" = "--exec" ]; then exec_cmd=${2:?--exec needs a command}; filter=; fi
knotd=${MAILAUTH_KNOTD:-/usr/sbin/knotd}
[ -x "$knotd" ] || { echo "knotd is missing: install the Debian package 'knot'" >&2; exit 1; }

dir=$(mktemp -d /tmp/mailauth-peers-selftest-XXXXXX)
knot_pid=
cleanup() {
    [ -n "$knot_pid" ] && kill "$knot_pid" 2>/dev/null && wait "$knot_pid" 2>/dev/null
    if [ -z "${KEEP:-}" ]; then rm -rf "$dir"; else echo "kept $dir" >&2; fi
}
trap cleanup EXIT

if [ -n "${DATA:-}" ]; then
    ln -s "$(cd "$DATA" && pwd)" "$dir/data"
else
    /usr/bin/python3 "$here/lib_selftest_data.py" "$dir/data" >/dev/null || { echo 'data set not written' >&2; exit 1; }
fi

port=$(/usr/bin/python3 -c 'import socket
for _ in range(20):
    u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); u.bind(("127.0.0.1", 0)); p = u.getsockname()[1]
    t = socket.socket()
    try:
        t.bind(("127.0.0.1", p)); print(p); break
    except OSError: pass
    finally: u.close(); t.close()')
mkdir -p "$dir/run" "$dir/db"
{
    echo "server:"; echo "    rundir: \"$dir/run\""; echo "    listen: 127.0.0.1@$port"
    echo "    udp-workers: 1"; echo "    tcp-workers: 1"; echo "    background-workers: 1"
    echo "control:"; echo "    listen: \"$dir/run/knot.sock\""
    echo "database:"; echo "    storage: \"$dir/db\""
    echo "log:"; echo "  - target: stderr"; echo "    any: info"
    echo "template:"; echo "  - id: default"; echo "    storage: \"$dir/data/zones\""
    echo "    zonefile-sync: -1"; echo "    zonefile-load: whole"; echo "    journal-content: none"; echo "    semantic-checks: off"
    echo "zone:"
    while read -r zone file; do echo "  - domain: $zone."; echo "    file: \"$file\""; done < "$dir/data/zones.txt"
} > "$dir/knot.conf"
"$knotd" -c "$dir/knot.conf" 2> "$dir/knotd.log" &
knot_pid=$!
zones=$(wc -l < "$dir/data/zones.txt")
for _ in $(seq 1 100); do
    sleep 0.1
    if grep -q 'server started' "$dir/knotd.log" && [ "$(grep -c '\] loaded' "$dir/knotd.log")" -ge "$zones" ]; then break; fi
done
grep -q 'server started' "$dir/knotd.log" || { echo 'knotd did not start:' >&2; cat "$dir/knotd.log" >&2; exit 1; }
echo "knot on 127.0.0.1:$port serving $zones zones from $dir/data" >&2

if [ -n "$exec_cmd" ]; then $exec_cmd "$port" "$dir/data"; exit $?; fi
fails=0
for runner in "$here"/*; do
    [ -f "$runner" ] && [ -x "$runner" ] || continue
    name=$(basename "$runner")
    case "$name" in README*|install*|setup*|common*|lib*|selftest*|*.md|*.txt|*.json|*.lock) continue ;; esac
    [ -n "$filter" ] && [[ "$name" != *"$filter"* ]] && continue
    case "$name" in
        *spf*) input="$dir/data/spf-pairs.csv" ;;
        *dkim*) input="$dir/data/messages.txt" ;;
        *audit*) input="$dir/data/domains.csv" ;;
        *) echo "$name: no task in its name, skipped" >&2; continue ;;
    esac
    line=$(timeout 300 "$runner" --server 127.0.0.1 --port "$port" --input "$input" --max-seconds 30 ${LIMIT:+--limit $LIMIT} 2> "$dir/$name.err")
    rc=$?
    echo "$name (exit $rc): $line"
    if [ $rc -ne 0 ] || [ -z "$line" ]; then fails=$((fails + 1)); sed 's/^/    /' "$dir/$name.err" | tail -5; fi
done
[ -n "${DATA:-}" ] || echo "expected SPF outcomes:  $(tail -n +2 "$dir/data/expected-spf.csv" | cut -d, -f3 | sort | uniq -c | tr -s ' \n' ' ')"
[ -n "${DATA:-}" ] || echo "expected DKIM outcomes: $(tail -n +2 "$dir/data/messages-truth.csv" | cut -d, -f5 | sort | uniq -c | tr -s ' \n' ' ')"
[ $fails -eq 0 ] || { echo "$fails runner(s) failed" >&2; exit 1; }
