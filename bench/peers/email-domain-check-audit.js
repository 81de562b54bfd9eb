#!/usr/bin/env node
'use strict';
// The npm package email-domain-check (DomainChecker) auditing domains.csv, pointed at --server:--port.
// Per domain, with the tool's defaults otherwise (dnsTimeout 5 s, tries 3, no cache, no MTA-STS HTTPS fetch, no SMTP):
//   getMxRecord, getSpfRecord, getDmarcRecord and getDkimRecord for each selector in the CSV (the tool's default
//   selector 'default' when the row has none), the lookups of one domain at once; 16 domains in flight by default
//   (--concurrency). Each domain is bounded to 30 s.
// Pointing it at the local server: the `server` option; its failover resolvers (public resolvers by default, and the
// system resolver as the last resort) are removed, and node's default resolvers are set to the local server too, so
// no query can leave the loopback address.
const L = require('./lib-peers.js');
const a = L.parseArgs({ concurrency: 16 });
const version = L.packageVersion('email-domain-check');
const mod = L.requirePeer('email-domain-check');
if (!mod || !mod.DomainChecker) {
    L.skip('email-domain-check', 'audit', 'the npm package email-domain-check is not installed in bench/peers: run bench/peers/install.sh');
}
const { endpoint } = L.localResolver(a);
const checker = new mod.DomainChecker({ server: [endpoint], failoverServers: [] });
checker.failoverResolvers = []; // drop the FailoverSystem resolver (the host's resolv.conf) it adds next to `server`
if (!Array.isArray(checker.failoverResolvers) || checker.failoverResolvers.length !== 0) {
    L.skip('email-domain-check', 'audit', 'could not remove its failover resolvers', version);
}
const rows = L.readCsv(a.input, a.limit);
const t = new L.Tally('email-domain-check', version, 'audit', a.maxSeconds, a.results);
const aspects = {};
function note(k) { aspects[k] = (aspects[k] || 0) + 1; }
const soft = e => e && (e.code === 'ENODATA' || e.code === 'ENOTFOUND');
(async () => {
    t.begin();
    await L.pool(rows, a.concurrency, t, 30, async row => {
        const d = row.Domain;
        const selectors = (row.Selector || '').split(';').map(s => s.trim()).filter(Boolean);
        const errs = [];
        const guard = p => p.catch(e => { if (!soft(e)) errs.push(e); return null; });
        const [mx, spf, dmarc, ...dkim] = await Promise.all([
            guard(checker.getMxRecord({ target: d })),
            guard(checker.getSpfRecord({ target: d })),
            guard(checker.getDmarcRecord({ target: d })),
            ...(selectors.length ? selectors : [undefined]).map(s => guard(checker.getDkimRecord({ target: d, dkimSelector: s })))
        ]);
        const nullMx = Array.isArray(mx) && mx.length === 1 && (mx[0].exchange === '' || mx[0].exchange === '.');
        note(nullMx ? 'mx:null' : mx && mx.length ? 'mx:found' : 'mx:none');
        note(spf ? 'spf:found' : 'spf:none');
        note(dmarc ? 'dmarc:found' : 'dmarc:none');
        note(dkim.some(Boolean) ? 'dkim:found' : 'dkim:none');
        if (errs.length) return { outcome: 'error', error: errs[0] };
        return { outcome: (mx && mx.length && !nullMx) && spf && dmarc ? 'complete' : 'incomplete' };
    }, row => row.Domain);
    t.end();
    t.emit({ concurrency: a.concurrency, aspects, checks: 'MX, SPF, DMARC, DKIM (given selectors) records: presence and parse, no policy evaluation' });
    process.exit(0);
})();
