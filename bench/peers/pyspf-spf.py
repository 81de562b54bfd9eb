#!/usr/bin/python3
"""pyspf (Debian python3-spf) SPF evaluations over spf-pairs.csv, pointed at a local DNS server.

pyspf has no server option: its DNS goes through dnspython's default resolver (spf.DNSLookup_dnspython), which this
runner replaces with one that asks only --server:--port, with no cache. Sequential, as pyspf is used (one check at a time).
"""
import os
import sys
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import lib_peers as L

args = L.parse_args(__doc__)
try:
    import spf
    import dns.resolver  # noqa: F401
except ImportError as e:
    L.skip('pyspf', 'spf', 'python3-spf or python3-dnspython is not installed (%s): run bench/peers/install.sh' % e)
if spf.DNSLookup is not spf.DNSLookup_dnspython:
    L.skip('pyspf', 'spf', 'pyspf is not using dnspython, so it cannot be pointed at the local server')

L.use_local_dnspython(args.server, args.port)
pairs = L.read_spf_pairs(args.input, args.limit)
t = L.Tally('pyspf', getattr(spf, '__version__', None), 'spf', args.max_seconds, args.results)
t.begin()
for ip, domain, sender in pairs:
    if t.out_of_time():
        break
    try:
        # timeout: pyspf's bound for the whole evaluation (seconds)
        res, code, exp = spf.query(i=ip, s=sender, h=domain, timeout=10).check()
        t.add(res, exp if res == 'temperror' else None, item=ip + ' ' + domain)
    except Exception as e:  # pyspf raises only for programming errors; count and go on
        t.add('exception', e, item=ip + ' ' + domain)
t.end()
t.emit(concurrency=1)
