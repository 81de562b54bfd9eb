'use strict';
// Shared code for the node peer runners in bench/peers (not a runner itself: not executable).
// Contract: <runner> --server 127.0.0.1 --port <port> --input <file> [--limit N] [--max-seconds S] [--concurrency C]
//           [--results FILE: one CSV line per item, Item,Outcome]
// prints one JSON line {"tool","version","task","count","seconds","outcomes","errors"}; "skipped" when it cannot run.
const fs = require('node:fs');
const path = require('node:path');
const net = require('node:net');
const dns = require('node:dns');

function emit(obj) {
    process.stdout.write(JSON.stringify(obj) + '\n');
}

function skip(tool, task, why, version) {
    emit({ tool, version: version || null, task, count: 0, seconds: 0, outcomes: {}, errors: 0, skipped: why });
    process.exit(0);
}

function parseArgs(defaults) {
    const a = { server: '127.0.0.1', port: 0, input: null, limit: 0,
        maxSeconds: Number(process.env.PEERS_MAX_SECONDS || 120), concurrency: defaults.concurrency || 16 };
    const argv = process.argv.slice(2);
    for (let i = 0; i < argv.length; i++) {
        const k = argv[i], v = argv[i + 1];
        switch (k) {
            case '--server': a.server = v; i++; break;
            case '--port': a.port = Number(v); i++; break;
            case '--input': a.input = v; i++; break;
            case '--limit': a.limit = Number(v); i++; break;
            case '--max-seconds': a.maxSeconds = Number(v); i++; break;
            case '--results': a.results = v; i++; break;
            case '--concurrency': a.concurrency = Math.max(1, Number(v)); i++; break;
            default: process.stderr.write(`unknown argument ${k}\n`); process.exit(2);
        }
    }
    if (!a.port || !a.input) { process.stderr.write('usage: --server 127.0.0.1 --port N --input FILE [--limit N]\n'); process.exit(2); }
    // loopback only (127.0.0.0/8 or ::1)
    if (!(net.isIPv4(a.server) && a.server.startsWith('127.')) && a.server !== '::1') {
        process.stderr.write(`the DNS server must be a loopback address, got ${a.server}\n`); process.exit(2);
    }
    return a;
}

// A node dns.promises.Resolver that asks only server:port; every other resolver in the process is pointed there too,
// so nothing can fall back to the system's resolver. No cache (node's resolver has none).
function localResolver(a, options) {
    const endpoint = a.server.includes(':') ? `[${a.server}]:${a.port}` : `${a.server}:${a.port}`;
    dns.setServers([endpoint]);
    dns.promises.setServers([endpoint]);
    const r = new dns.promises.Resolver(options || { timeout: 2000, tries: 2 });
    r.setServers([endpoint]);
    return { endpoint, resolver: r, resolve: (name, rr) => r.resolve(name, rr || 'A') };
}

function readCsv(file, limit) {
    const lines = fs.readFileSync(file, 'utf8').split(/\r?\n/).filter(l => l.trim());
    const head = lines.shift().split(',').map(s => s.trim());
    const rows = [];
    for (const l of lines) {
        const cells = l.split(',');
        const row = {};
        head.forEach((h, i) => { row[h] = (cells[i] || '').trim(); });
        rows.push(row);
        if (limit && rows.length >= limit) break;
    }
    return rows;
}

function readMessages(file, limit) {
    const base = path.dirname(path.resolve(file));
    const out = [];
    for (const l of fs.readFileSync(file, 'utf8').split(/\r?\n/)) {
        const n = l.trim();
        if (!n || n.startsWith('#')) continue;
        out.push(path.isAbsolute(n) ? n : path.join(base, n));
        if (limit && out.length >= limit) break;
    }
    return out;
}

function readMessageTruth(messagesTxt) {
    const base = path.dirname(path.resolve(messagesTxt));
    const p = path.join(base, 'messages-truth.csv');
    const map = new Map();
    if (!fs.existsSync(p)) return map;
    for (const r of readCsv(p, 0)) if (r.File) map.set(path.join(base, r.File), r.Expected);
    return map;
}

class Tally {
    constructor(tool, version, task, maxSeconds, results) {
        Object.assign(this, { tool, version, task, maxSeconds, outcomes: {}, errors: 0, count: 0, examples: [], truth: null, truncated: false });
        this.lines = results ? ['Item,Outcome'] : null;
        this.resultsFile = results;
    }
    begin() { this.start = process.hrtime.bigint(); }
    elapsed() { return Number(process.hrtime.bigint() - this.start) / 1e9; }
    outOfTime() { if (this.elapsed() > this.maxSeconds) { this.truncated = true; return true; } return false; }
    add(outcome, error, want, item) {
        this.count++;
        if (this.lines) this.lines.push(`"${item === undefined ? this.count : item}",${outcome}`);
        this.outcomes[outcome] = (this.outcomes[outcome] || 0) + 1;
        if (error) { this.errors++; if (this.examples.length < 5) this.examples.push(String(error.message || error).slice(0, 200)); }
        if (want) { this.truth = this.truth || { agree: 0, disagree: 0 }; this.truth[outcome === want ? 'agree' : 'disagree']++; }
    }
    end() {
        this.seconds = this.elapsed();
        if (this.lines) fs.writeFileSync(this.resultsFile, this.lines.join('\n') + '\n');
    }
    emit(extra) {
        const o = { tool: this.tool, version: this.version, task: this.task, count: this.count,
            seconds: Math.round(this.seconds * 10000) / 10000, outcomes: this.outcomes, errors: this.errors };
        if (this.truncated) o.truncated = `stopped after ${this.maxSeconds} s (--max-seconds)`;
        if (this.truth) o.truth = this.truth;
        if (this.examples.length) o.errorExamples = this.examples;
        emit(Object.assign(o, extra || {}));
    }
}

// Runs work(item) for every item with at most `concurrency` in flight; each item is bounded by itemSeconds
// (a late item counts as 'timeout'); no new item starts once the time budget is spent.
async function pool(items, concurrency, tally, itemSeconds, work, itemKey) {
    let next = 0;
    async function worker() {
        while (next < items.length) {
            if (tally.outOfTime()) return;
            const item = items[next++];
            let timer;
            const timeout = new Promise(resolve => { timer = setTimeout(() => resolve({ outcome: 'timeout', error: new Error(`no result within ${itemSeconds} s`) }), itemSeconds * 1000); });
            let r;
            try {
                r = await Promise.race([work(item), timeout]);
            } catch (e) {
                r = { outcome: 'exception', error: e };
            } finally { clearTimeout(timer); }
            tally.add(r.outcome, r.error, r.want, itemKey ? itemKey(item) : undefined);
        }
    }
    await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
}

function packageVersion(name) {
    try { return require(path.join(__dirname, 'node_modules', name, 'package.json')).version; } catch { return null; }
}

function requirePeer(name) {
    try { return require(path.join(__dirname, 'node_modules', name)); } catch { return null; }
}

module.exports = { emit, skip, parseArgs, localResolver, readCsv, readMessages, readMessageTruth, Tally, pool, packageVersion, requirePeer };
