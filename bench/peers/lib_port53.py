"""Points a tool that only knows the system resolver (libspf2's spfquery, OpenDKIM) at a local server on any port.

glibc's resolver reads /etc/resolv.conf and always uses port 53. So the runner (as root):
  1. starts a private dnsdist on 127.53.X.Y:53 (a free loopback address, no cache) that forwards to --server:--port;
  2. re-runs itself with --inside under `unshare --mount`, where a temporary resolv.conf naming only 127.53.X.Y is
     bind-mounted over /etc/resolv.conf (the host's file is untouched, other processes see nothing);
  3. stops dnsdist when the inner run ends.
The extra hop adds a few tens of microseconds per query; every query still reaches --server:--port exactly once.
"""
import os
import random
import shutil
import socket
import struct
import subprocess
import sys
import tempfile
import time


def missing_prerequisite(tools):
    """A reason why the trick cannot run here, or None."""
    if os.geteuid() != 0:
        return 'needs root (unshare --mount and a listener on port 53)'
    for t in ['unshare', 'mount'] + list(tools):
        if not shutil.which(t) and not os.path.exists(t):
            return '%s is not installed: run bench/peers/install.sh' % t
    if not dnsdist_path():
        return "dnsdist is not installed (Debian package 'dnsdist')"
    return None


def dnsdist_path():
    for p in ('/usr/bin/dnsdist', shutil.which('dnsdist') or ''):
        if p and os.path.exists(p):
            return p
    return None


def _free_address():
    for _ in range(50):
        addr = '127.53.%d.%d' % (random.randint(0, 255), random.randint(1, 254))
        u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        try:
            u.bind((addr, 53))
            s.bind((addr, 53))
            return addr
        except OSError:
            continue
        finally:
            u.close()
            s.close()
    raise RuntimeError('no free 127.53.x.y:53 address')


PROBE = 'mailauth-peers-probe.invalid.'


def probe(addr, port=53, name='.', timeout=0.5, qtype=6):
    """True when anything answers a query (SOA by default) for name at addr:port."""
    q = struct.pack('>HHHHHH', 0x5050, 0x0100, 1, 0, 0, 0)
    for label in [x for x in name.strip('.').split('.') if x]:
        q += bytes([len(label)]) + label.encode('ascii')
    q += b'\x00' + struct.pack('>HH', qtype, 1)
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.settimeout(timeout)
    try:
        s.sendto(q, (addr, port))
        data, _ = s.recvfrom(4096)
        return len(data) >= 12 and data[:2] == b'\x50\x50'
    except OSError:
        return False
    finally:
        s.close()


def run_inside(args, script):
    """Outer half: start the forwarder, run `script --inside ...` under unshare with the private resolv.conf,
    pass its stdout through. Returns the inner exit code."""
    folder = tempfile.mkdtemp(prefix='mailauth-peers-port53-')
    proc = None
    try:
        addr = _free_address()
        conf = os.path.join(folder, 'dnsdist.conf')
        with open(conf, 'w') as f:
            f.write('setSecurityPollSuffix("")\n')
            f.write('setLocal("%s:53")\n' % addr)
            f.write('newServer({address="%s:%d", name="target", checkInterval=3600})\n' % (args.server, args.port))
            f.write('getServer(0):setUp()\n')
            f.write('setMaxUDPOutstanding(65535)\n')
            # answered by dnsdist itself, so readiness does not depend on the server behind it
            f.write('addAction(QNameRule("%s"), SpoofAction("127.0.0.1"))\n' % PROBE)
        err = open(os.path.join(folder, 'dnsdist.err'), 'w')
        proc = subprocess.Popen([dnsdist_path(), '--supervised', '--disable-syslog', '-C', conf],
                                stdout=subprocess.DEVNULL, stderr=err, stdin=subprocess.DEVNULL)
        deadline = time.monotonic() + 15
        while not probe(addr, name=PROBE, qtype=1):
            if proc.poll() is not None or time.monotonic() > deadline:
                with open(os.path.join(folder, 'dnsdist.err')) as e:
                    raise RuntimeError('the port-53 forwarder did not start: ' + e.read()[-500:])
            time.sleep(0.1)
        resolv = os.path.join(folder, 'resolv.conf')
        with open(resolv, 'w') as f:
            # timeout 2 s, 2 attempts: a lost answer costs at most ~4 s per query
            f.write('nameserver %s\noptions timeout:2 attempts:2\n' % addr)
        inner = [sys.executable, os.path.abspath(script), '--inside', '--port53-address', addr,
                 '--server', args.server, '--port', str(args.port), '--input', args.input,
                 '--limit', str(args.limit), '--max-seconds', str(args.max_seconds)]
        if args.results:
            inner += ['--results', os.path.abspath(args.results)]
        cmd = ['unshare', '--mount', '--', '/bin/sh', '-c',
               'mount --bind "$0" /etc/resolv.conf && exec "$@"', resolv] + inner
        child = subprocess.Popen(cmd, stdin=subprocess.DEVNULL)
        try:
            return child.wait(timeout=args.max_seconds + 120)
        except subprocess.TimeoutExpired:
            child.kill()
            child.wait()
            sys.stderr.write('the inner run did not end in time and was killed\n')
            return 1
    finally:
        if proc is not None and proc.poll() is None:
            proc.terminate()
            try:
                proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        shutil.rmtree(folder, ignore_errors=True)


def check_inside(addr):
    """Inner half: refuse to run unless /etc/resolv.conf names only the private forwarder (never the host's resolver)."""
    with open('/etc/resolv.conf') as f:
        servers = [l.split()[1] for l in f if l.strip().startswith('nameserver') and len(l.split()) > 1]
    if servers != [addr]:
        raise RuntimeError('/etc/resolv.conf inside the namespace names %r, not only %s' % (servers, addr))
