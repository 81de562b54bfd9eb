#!/usr/bin/env node
'use strict';
// The npm package mailauth: its SPF check (mailauth/lib/spf) over spf-pairs.csv, with its `resolver` option set to a
// node dns.promises.Resolver asking only --server:--port (no cache). 16 evaluations in flight by default
// (--concurrency), as a mail server evaluates concurrent connections; each bounded to 15 s.
const L = require('./lib-peers.js');
const a = L.parseArgs({ concurrency: 16 });
const version = L.packageVersion('mailauth');
let spf;
try { spf = require('./node_modules/mailauth/lib/spf').spf; } catch (e) {
    L.skip('mailauth', 'spf', `the npm package mailauth is not installed in bench/peers (${e.code || e.message}): run bench/peers/install.sh`);
}
const { resolve } = L.localResolver(a);
const pairs = L.readCsv(a.input, a.limit);
const t = new L.Tally('mailauth', version, 'spf', a.maxSeconds, a.results);
(async () => {
    t.begin();
    await L.pool(pairs, a.concurrency, t, 15, async p => {
        const r = await spf({ sender: p.Sender || `postmaster@${p.Domain}`, ip: p.IP, helo: p.Domain, mta: 'bench.invalid', resolver: resolve });
        const outcome = r.status.result;
        return { outcome, error: outcome === 'temperror' ? new Error(r.status.comment || 'temperror') : null };
    }, p => `${p.IP} ${p.Domain}`);
    t.end();
    t.emit({ concurrency: a.concurrency });
    process.exit(0);
})();
