"""Shared code for the Python peer runners in bench/peers (not a runner itself: not executable).

The runner contract (bench/README.md, the issue-6 plan):
    <runner> --server 127.0.0.1 --port <port> --input <file> [--limit N] [--max-seconds S]
prints exactly one JSON line on stdout:
    {"tool":..,"version":..,"task":"spf|dkim|audit","count":N,"seconds":S,"outcomes":{..},"errors":n}
`seconds` is the wall time of the work only. A runner whose tool is missing prints {"skipped": why} and exits 0.
Only loopback addresses are accepted as the DNS server.
"""
import argparse
import csv
import ipaddress
import json
import os
import sys
import time

DEFAULT_MAX_SECONDS = float(os.environ.get('PEERS_MAX_SECONDS', '120'))


def parse_args(description):
    p = argparse.ArgumentParser(description=description)
    p.add_argument('--server', default='127.0.0.1', help='DNS server address (loopback only)')
    p.add_argument('--port', type=int, required=True, help='DNS server port')
    p.add_argument('--input', required=True, help='spf-pairs.csv, messages.txt or domains.csv')
    p.add_argument('--limit', type=int, default=0, help='at most this many items (0: all)')
    p.add_argument('--max-seconds', type=float, default=DEFAULT_MAX_SECONDS,
                   help='stop starting new items after this many seconds (the rate stays count/seconds)')
    p.add_argument('--results', default=None, help='also write one CSV line per item (Item,Outcome) to this file')
    p.add_argument('--inside', action='store_true', help=argparse.SUPPRESS)
    p.add_argument('--port53-address', default=None, help=argparse.SUPPRESS)
    a = p.parse_args()
    try:
        if not ipaddress.ip_address(a.server).is_loopback:
            raise ValueError
    except ValueError:
        fail_json(a, 'the DNS server must be a loopback address, got %r' % a.server)
    return a


def emit(obj):
    sys.stdout.write(json.dumps(obj, separators=(',', ':')) + '\n')
    sys.stdout.flush()


def skip(tool, task, why, version=None):
    emit({'tool': tool, 'version': version, 'task': task, 'count': 0, 'seconds': 0, 'outcomes': {}, 'errors': 0,
          'skipped': why})
    sys.exit(0)


def fail_json(args, why):
    sys.stderr.write(why + '\n')
    sys.exit(2)


def read_spf_pairs(path, limit):
    """Rows of spf-pairs.csv (IP,Domain,Sender) as tuples."""
    rows = []
    with open(path, newline='', encoding='utf-8') as f:
        for r in csv.DictReader(f):
            rows.append((r['IP'].strip(), r['Domain'].strip(), (r.get('Sender') or '').strip() or 'postmaster@' + r['Domain'].strip()))
            if limit and len(rows) >= limit:
                break
    return rows


def read_messages(path, limit):
    """Absolute paths of the messages listed in messages.txt (names relative to that file)."""
    base = os.path.dirname(os.path.abspath(path))
    out = []
    with open(path, encoding='utf-8') as f:
        for line in f:
            line = line.strip()
            if not line or line.startswith('#'):
                continue
            out.append(line if os.path.isabs(line) else os.path.join(base, line))
            if limit and len(out) >= limit:
                break
    return out


def read_message_truth(messages_txt):
    """{absolute path: 'pass'|'fail'} from messages-truth.csv beside messages.txt (the generator writes it), or {}."""
    base = os.path.dirname(os.path.abspath(messages_txt))
    path = os.path.join(base, 'messages-truth.csv')
    if not os.path.exists(path):
        return {}
    with open(path, newline='', encoding='utf-8') as f:
        return {os.path.join(base, r['File']): r['Expected'].strip() for r in csv.DictReader(f) if r.get('File')}


def read_domains(path, limit):
    out = []
    with open(path, newline='', encoding='utf-8') as f:
        for r in csv.DictReader(f):
            sel = [s.strip() for s in (r.get('Selector') or '').split(';') if s.strip()]
            out.append((r['Domain'].strip(), sel, (r.get('SendingIP') or '').strip()))
            if limit and len(out) >= limit:
                break
    return out


class Tally:
    """Counts outcomes and errors; times the work with a monotonic clock."""

    def __init__(self, tool, version, task, max_seconds, results=None):
        self.tool, self.version, self.task, self.max_seconds = tool, version, task, max_seconds
        self.results = None
        if results:
            self.results = open(results, 'w', encoding='utf-8')
            self.results.write('Item,Outcome\n')
        self.outcomes = {}
        self.errors = 0
        self.count = 0
        self.examples = []
        self.start = None
        self.seconds = 0.0
        self.truncated = False

    def begin(self):
        self.start = time.monotonic()

    def out_of_time(self):
        if time.monotonic() - self.start > self.max_seconds:
            self.truncated = True
            return True
        return False

    truth = None  # {'agree': n, 'disagree': n} when the data set says what each item should give

    def add(self, outcome, error=None, want=None, item=None):
        self.count += 1
        if self.results is not None:
            self.results.write('"%s",%s\n' % (item if item is not None else self.count, outcome))
        self.outcomes[outcome] = self.outcomes.get(outcome, 0) + 1
        if want:
            if self.truth is None:
                self.truth = {'agree': 0, 'disagree': 0}
            self.truth['agree' if outcome == want else 'disagree'] += 1
        if error is not None:
            self.errors += 1
            if len(self.examples) < 5:
                self.examples.append(str(error)[:200])

    def end(self):
        self.seconds = time.monotonic() - self.start
        if self.results is not None:
            self.results.close()

    def emit(self, **extra):
        o = {'tool': self.tool, 'version': self.version, 'task': self.task, 'count': self.count,
             'seconds': round(self.seconds, 4), 'outcomes': self.outcomes, 'errors': self.errors}
        if self.truncated:
            o['truncated'] = 'stopped after %.0f s (--max-seconds)' % self.max_seconds
        if self.truth is not None:
            o['truth'] = self.truth
        if self.examples:
            o['errorExamples'] = self.examples
        o.update(extra)
        emit(o)


def use_local_dnspython(server, port, timeout=2.0):
    """Points dnspython's default resolver (the one pyspf and dkimpy use) at server:port only, without a cache."""
    import dns.resolver
    r = dns.resolver.Resolver(configure=False)
    r.nameservers = [server]
    r.port = port
    r.timeout = timeout
    r.lifetime = timeout * 2
    r.cache = None
    dns.resolver.default_resolver = r
    return r
