#!/usr/bin/env node
'use strict';
// The npm package mailauth: dkimVerify (mailauth/lib/dkim/verify) over messages.txt, with its `resolver` option set to
// a node dns.promises.Resolver asking only --server:--port (no cache). 16 messages in flight by default
// (--concurrency); each bounded to 15 s. A message passes when at least one of its signatures passes.
const fs = require('node:fs');
const L = require('./lib-peers.js');
const a = L.parseArgs({ concurrency: 16 });
const version = L.packageVersion('mailauth');
let dkimVerify;
try { dkimVerify = require('./node_modules/mailauth/lib/dkim/verify').dkimVerify; } catch (e) {
    L.skip('mailauth', 'dkim', `the npm package mailauth is not installed in bench/peers (${e.code || e.message}): run bench/peers/install.sh`);
}
const { resolve } = L.localResolver(a);
const files = L.readMessages(a.input, a.limit);
const truth = L.readMessageTruth(a.input);
const items = files.map(f => ({ file: f, data: fs.readFileSync(f) })); // reading is not part of the measured work
const t = new L.Tally('mailauth', version, 'dkim', a.maxSeconds, a.results);
(async () => {
    t.begin();
    await L.pool(items, a.concurrency, t, 15, async m => {
        const r = await dkimVerify(m.data, { resolver: resolve });
        const results = (r.results || []).map(x => x.status && x.status.result);
        let outcome;
        if (results.includes('pass')) outcome = 'pass';
        else if (!results.length || results.every(x => x === 'none')) outcome = 'nosig';
        else if (results.includes('temperror')) outcome = 'temperror';
        else outcome = 'fail';
        return { outcome, error: outcome === 'temperror' ? new Error('temperror') : null, want: truth.get(m.file) };
    }, m => require('node:path').basename(m.file));
    t.end();
    t.emit({ concurrency: a.concurrency });
    process.exit(0);
})();
