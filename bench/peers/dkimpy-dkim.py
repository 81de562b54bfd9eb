#!/usr/bin/python3
"""dkimpy (Debian python3-dkim) DKIM verifications over messages.txt, pointed at a local DNS server.

dkim.verify() looks keys up with dkim.dnsplug.get_txt, which uses dnspython's default resolver; this runner replaces
that resolver with one that asks only --server:--port, with no cache. Sequential (dkimpy verifies one message at a time).
Every DKIM-Signature of a message is verified; the message's outcome is pass when at least one verifies, fail
otherwise (nosig when it has none, temperror when a key lookup timed out).
"""
import os
import sys
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import lib_peers as L

args = L.parse_args(__doc__)
try:
    import dkim
    import dkim.dnsplug
    import dns.resolver  # noqa: F401
except ImportError as e:
    L.skip('dkimpy', 'dkim', 'python3-dkim or python3-dnspython is not installed (%s): run bench/peers/install.sh' % e)

version = None
try:
    from importlib.metadata import version as _v
    version = _v('dkimpy')
except Exception:
    pass

L.use_local_dnspython(args.server, args.port)
files = L.read_messages(args.input, args.limit)
messages = []
for f in files:  # reading the files is not part of the measured work
    with open(f, 'rb') as fh:
        messages.append(fh.read())

truth = L.read_message_truth(args.input)


def verify(m):
    d = dkim.DKIM(m, timeout=5)
    n = sum(1 for k, _ in d.headers if k.lower() == b'dkim-signature')
    if n == 0:
        return 'nosig', None
    temp = None
    for i in range(n):
        try:
            if d.verify(idx=i, dnsfunc=dkim.dnsplug.get_txt):
                return 'pass', None
        except dkim.DnsTimeoutError as e:
            temp = e
        except dkim.DKIMException:
            pass
    return ('temperror', temp) if temp else ('fail', None)


t = L.Tally('dkimpy', version, 'dkim', args.max_seconds, args.results)
t.begin()
for f, m in zip(files, messages):
    if t.out_of_time():
        break
    try:
        outcome, err = verify(m)
        t.add(outcome, err, truth.get(f), os.path.basename(f))
    except Exception as e:
        t.add('exception', e, truth.get(f), os.path.basename(f))
t.end()
t.emit(concurrency=1)
