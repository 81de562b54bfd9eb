#!/usr/bin/python3
"""libspf2's spfquery (Debian package spfquery) SPF evaluations over spf-pairs.csv, pointed at a local DNS server.

spfquery has no server option and libspf2 asks the system resolver (res_query, /etc/resolv.conf, port 53), so this
runner uses lib_port53: a private dnsdist on 127.53.X.Y:53 forwarding to --server:--port, and spfquery run under
`unshare --mount` with a resolv.conf naming only that address bind-mounted over /etc/resolv.conf. Needs root.
spfquery runs once in its batch mode (-file: one "IP sender helo" line per pair), so the pairs are evaluated one after
another in one process; libspf2's own DNS cache (SPF_DNS_CACHE layer) lives for that process, so names repeated across
pairs are asked once. The measured time is the whole spfquery process (its start-up is a few ms).
"""
import os
import subprocess
import sys
import tempfile
import time
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import lib_peers as L
import lib_port53 as P53

args = L.parse_args(__doc__)
SPFQUERY = '/usr/bin/spfquery'


def version():
    try:
        r = subprocess.run([SPFQUERY, '-version'], capture_output=True, text=True, timeout=10)
        for line in (r.stdout + r.stderr).splitlines():
            if line.startswith('Running with SPF library version:'):
                return 'libspf2 ' + line.split(':', 1)[1].strip()
    except Exception:
        pass
    try:
        r = subprocess.run(['dpkg-query', '-W', '-f=${Version}', 'libspf2-2t64'], capture_output=True, text=True)
        if r.returncode != 0:
            r = subprocess.run(['dpkg-query', '-W', '-f=${Version}', 'libspf2-2'], capture_output=True, text=True)
        return r.stdout.strip() or None
    except Exception:
        return None


if not os.path.exists(SPFQUERY):
    L.skip('spfquery', 'spf', "spfquery is not installed (Debian package 'spfquery'): run bench/peers/install.sh")

if not args.inside:
    why = P53.missing_prerequisite([SPFQUERY])
    if why:
        L.skip('spfquery', 'spf', why, version())
    try:
        sys.exit(P53.run_inside(args, __file__))
    except Exception as e:
        L.skip('spfquery', 'spf', 'could not point spfquery at the local server: %s' % e, version())

RESULTS = {'pass', 'fail', 'softfail', 'neutral', 'none', 'permerror', 'temperror', '(invalid)'}

# ---- inside the mount namespace ----
P53.check_inside(args.port53_address)
pairs = L.read_spf_pairs(args.input, args.limit)
t = L.Tally('spfquery', version(), 'spf', args.max_seconds, args.results)
with tempfile.NamedTemporaryFile('w', suffix='.txt', delete=False) as f:
    for ip, domain, sender in pairs:
        f.write('%s %s %s\n' % (ip, sender, domain))
    batch = f.name
try:
    t.begin()
    p = subprocess.Popen([SPFQUERY, '-file', batch], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    deadline = time.monotonic() + args.max_seconds
    # read results as they come; stop (kill) when the time budget is spent
    import selectors
    sel = selectors.DefaultSelector()
    sel.register(p.stdout, selectors.EVENT_READ)
    buf = ''
    done = False
    while not done:
        left = deadline - time.monotonic()
        if left <= 0:
            t.truncated = True
            p.kill()
            break
        if not sel.select(timeout=min(left, 1.0)):
            continue
        chunk = os.read(p.stdout.fileno(), 65536).decode('utf-8', 'replace')
        if not chunk:
            done = True
        buf += chunk
        lines = buf.split('\n')
        buf = lines.pop() if not done else ''
        for line in lines:
            if os.environ.get('PEERS_DEBUG'):
                sys.stderr.write(line + '\n')
            # each pair prints its result word on a line of its own (after an optional StartError..EndError
            # block), then comments and a Received-SPF line; a record that does not compile prints '(invalid)'
            # and no Received-SPF line: counted as permerror (RFC 7208 4.6).
            word = line.strip()
            if word in RESULTS:
                result = 'permerror' if word == '(invalid)' else word
                k = pairs[t.count] if t.count < len(pairs) else ('?', '?', '')
                t.add(result, line[:200] if result == 'temperror' else None, item=k[0] + ' ' + k[1])
    p.wait()
    t.end()
finally:
    os.unlink(batch)
missing = len(pairs) - t.count
extra = {'concurrency': 1, 'mode': 'one spfquery -file process, via a port-53 forwarder'}
if missing and not t.truncated:
    extra['unanswered'] = missing
    t.errors += missing
t.emit(**extra)
