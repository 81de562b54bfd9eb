#!/usr/bin/python3
"""OpenDKIM (Debian opendkim-tools: opendkim-testmsg, a direct front end to libopendkim) DKIM verifications over
messages.txt, pointed at a local DNS server.

libopendkim asks the system resolver (/etc/resolv.conf, port 53), so this runner uses lib_port53: a private dnsdist on
127.53.X.Y:53 forwarding to --server:--port, and the verifications run under `unshare --mount` with a resolv.conf
naming only that address bind-mounted over /etc/resolv.conf. Needs root.
One opendkim-testmsg process per message (message on stdin), one after another: the measured time includes a process
start per message (about a millisecond), which is how the tool is used from the command line. Exit status 0 is pass;
any other status is fail (its message says why: bad signature, key retrieval failed, ...).
"""
import os
import subprocess
import sys
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import lib_peers as L
import lib_port53 as P53

args = L.parse_args(__doc__)
TESTMSG = '/usr/sbin/opendkim-testmsg'


def version():
    try:
        r = subprocess.run(['dpkg-query', '-W', '-f=${Version}', 'opendkim-tools'], capture_output=True, text=True)
        return r.stdout.strip().split('~')[0].split('-')[0] or None
    except Exception:
        return None


if not os.path.exists(TESTMSG):
    L.skip('opendkim', 'dkim', "opendkim-testmsg is not installed (Debian package 'opendkim-tools'): run bench/peers/install.sh")

if not args.inside:
    why = P53.missing_prerequisite([TESTMSG])
    if why:
        L.skip('opendkim', 'dkim', why, version())
    try:
        sys.exit(P53.run_inside(args, __file__))
    except Exception as e:
        L.skip('opendkim', 'dkim', 'could not point OpenDKIM at the local server: %s' % e, version())

# ---- inside the mount namespace ----
P53.check_inside(args.port53_address)
files = L.read_messages(args.input, args.limit)
truth = L.read_message_truth(args.input)
messages = []
for f in files:
    with open(f, 'rb') as fh:
        messages.append(fh.read())
tmp = '/tmp'
t = L.Tally('opendkim', version(), 'dkim', args.max_seconds, args.results)
t.begin()
for f, m in zip(files, messages):
    if t.out_of_time():
        break
    try:
        r = subprocess.run([TESTMSG, '-t', tmp], input=m, capture_output=True, timeout=30)
        if r.returncode == 0:
            t.add('pass', None, truth.get(f), os.path.basename(f))
        else:
            why = r.stderr.decode('utf-8', 'replace').strip()
            if os.environ.get('PEERS_DEBUG'):
                sys.stderr.write('%s: %s\n' % (f, why))
            t.add('fail', None, truth.get(f), os.path.basename(f))
    except subprocess.TimeoutExpired as e:
        t.add('timeout', e, truth.get(f), os.path.basename(f))
t.end()
t.emit(concurrency=1, mode='one opendkim-testmsg process per message, via a port-53 forwarder')
