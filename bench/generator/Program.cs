using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using MimeKit;
using MimeKit.Cryptography;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Generators;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Security;
using Org.BouncyCastle.X509;

namespace MailAuth.Bench.Generator
{
    /// <summary>
    /// Writes the benchmark data set for N mail domains into one folder (layout in bench/README.md):
    /// zones/*.zone and zones.txt, domains.csv, spf-pairs.csv, messages/*.eml and messages.txt, truth.csv,
    /// messages-truth.csv and dnsperf-queries.txt. Everything follows from --seed: the same arguments give the same bytes.
    /// Names are under .example and .test only; addresses are in 100.64.0.0/10 (RFC 6598 shared space, never on the
    /// internet), except the MTA-STS policy hosts, which
    /// resolve to 127.0.0.1 (nothing listens on port 443 there, so a policy fetch is refused at once).
    /// </summary>
    public static class Program
    {
        private const int Ttl = 3600;
        private const int ProviderCount = 10;
        private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

        public static int Main(string[] args)
        {
            int domains = 1000, seed = 42, pairs = 10000, messages = -1, keyPool = 3;
            string? output = null;
            for (int a = 0; a < args.Length; a++)
            {
                string Next() => a + 1 < args.Length ? args[++a] : throw new ArgumentException($"{args[a]} needs a value.");
                switch (args[a])
                {
                    case "--domains": domains = int.Parse(Next(), Inv); break;
                    case "--seed": seed = int.Parse(Next(), Inv); break;
                    case "--pairs": pairs = int.Parse(Next(), Inv); break;
                    case "--messages": messages = int.Parse(Next(), Inv); break;
                    case "--key-pool": keyPool = int.Parse(Next(), Inv); break;
                    case "--out": output = Next(); break;
                    case "-h":
                    case "--help":
                        Console.WriteLine("MailAuth.Bench.Generator --domains N [--seed S] [--pairs P] [--messages M] [--key-pool K] --out DIR");
                        return 0;
                    default:
                        Console.Error.WriteLine($"Unknown argument '{args[a]}'. Try --help.");
                        return 2;
                }
            }
            if (domains < 1 || domains > 999_999) { Console.Error.WriteLine("--domains must be 1..999999."); return 2; }
            if (output is null) { Console.Error.WriteLine("--out DIR is required."); return 2; }
            if (messages < 0) messages = Math.Min(domains, 1000);

            var watch = System.Diagnostics.Stopwatch.StartNew();
            var g = new DataSet(seed, domains, keyPool);
            g.Build();
            g.Write(output, pairs, messages);
            Console.WriteLine($"Wrote {domains} domains, {pairs} SPF pairs, {messages} messages to {output} in {watch.Elapsed.TotalSeconds:0.0} s.");
            return 0;
        }
    }

    /// <summary>A DKIM signer with a fixed t= so the same seed gives the same messages.</summary>
    internal sealed class FixedTimeDkimSigner : DkimSigner
    {
        private readonly long _timestamp;

        public FixedTimeDkimSigner(AsymmetricKeyParameter key, string domain, string selector, DkimSignatureAlgorithm algorithm, DateTimeOffset time)
            : base(key, domain, selector, algorithm)
        {
            _timestamp = time.ToUnixTimeSeconds();
        }

        protected override long GetTimestamp() => _timestamp;
    }

    internal enum KeyKind { Rsa2048, Rsa1024, Ed25519 }

    internal sealed class PoolKey
    {
        public PoolKey(KeyKind kind, int index, AsymmetricKeyParameter privateKey, string publicKey)
        {
            Kind = kind; Index = index; PrivateKey = privateKey; PublicKey = publicKey;
        }
        public KeyKind Kind { get; }
        public int Index { get; }
        public AsymmetricKeyParameter PrivateKey { get; }
        public string PublicKey { get; }
        public string Record => $"v=DKIM1; k={(Kind == KeyKind.Ed25519 ? "ed25519" : "rsa")}; p={PublicKey}";
        public string Name => Kind switch { KeyKind.Rsa2048 => "rsa2048", KeyKind.Rsa1024 => "rsa1024", _ => "ed25519" };
    }

    internal sealed class Provider
    {
        public int Number;
        public string Zone = "";
        public int Cost; // DNS lookups one include of _spf.<zone> costs (RFC 7208 §4.6.4)
        public string Include => "_spf." + Zone;
        public readonly List<string> Records = new List<string>();
    }

    internal sealed class Selector
    {
        public string Name = "";
        public PoolKey Key = null!;
        public bool ViaCname;
    }

    internal sealed class Domain
    {
        public int Index;
        public string Label = "";
        public string Apex = "";       // dNNNNNN.example
        public string Name = "";       // the row's domain (apex, or mail.<apex> for dmarc-parent)
        public string Kind = "ok";
        public string Mx = "own";      // own | provider | null | none
        public string Spf = "ok";      // ok | none | over-limit | loop | void | syntax | multiple
        public int SpfLookups;
        public string Dmarc = "domain"; // domain | parent | none
        public string? DmarcPolicy;
        public readonly List<Selector> Selectors = new List<Selector>();
        public bool SelectorsInCsv;
        public bool MtaSts, TlsRpt;
        public string? SendingIp;
        public bool SendingIpAuthorized;
        public readonly List<string> SpfIps = new List<string>(); // addresses an SPF pass is expected for
        public string? OwnIp;
        public List<string>? Records;                               // records in the .example zone
        public readonly List<string> ReportAuth = new List<string>(); // records in the reports.test zone
    }

    internal sealed class DataSet
    {
        private const int Ttl = 3600;
        private const int ProviderCount = 10;
        private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;
        private static readonly string[] CommonSelectors = { "default", "mail", "dkim", "s1", "s2", "google", "k1", "key1" };
        private static readonly string[] Words =
        {
            "invoice", "meeting", "report", "quarterly", "update", "delivery", "schedule", "project", "budget", "review",
            "customer", "order", "shipment", "account", "summary", "agenda", "minutes", "draft", "approval", "contract",
        };

        private readonly int _seed;
        private readonly int _count;
        private readonly int _keyPool;
        private readonly List<Provider> _providers = new List<Provider>();
        private readonly List<Domain> _domains = new List<Domain>();
        private readonly List<PoolKey> _keys = new List<PoolKey>();
        private readonly SortedDictionary<string, string> _ptr = new SortedDictionary<string, string>(StringComparer.Ordinal);

        public DataSet(int seed, int count, int keyPool)
        {
            _seed = seed;
            _count = count;
            _keyPool = Math.Max(1, keyPool);
        }

        private Random Rng(int stream, int index) => new Random(unchecked(_seed * 1_000_003 + stream * 7_919 + index * 31));

        public void Build()
        {
            BuildKeys();
            BuildProviders();
            for (int i = 1; i <= _count; i++) _domains.Add(BuildDomain(i));
        }

        // ---- keys: a small pool, generated deterministically from the seed and reused across domains ----

        private void BuildKeys()
        {
            var random = SecureRandom.GetInstance("SHA256PRNG", false);
            random.SetSeed(Encoding.ASCII.GetBytes("mailauth-bench-keys-" + _seed.ToString(Inv)));
            for (int k = 0; k < _keyPool; k++)
            {
                foreach (var (kind, bits) in new[] { (KeyKind.Rsa2048, 2048), (KeyKind.Rsa1024, 1024) })
                {
                    var gen = new RsaKeyPairGenerator();
                    gen.Init(new RsaKeyGenerationParameters(Org.BouncyCastle.Math.BigInteger.ValueOf(65537), random, bits, 80));
                    var pair = gen.GenerateKeyPair();
                    var spki = SubjectPublicKeyInfoFactory.CreateSubjectPublicKeyInfo(pair.Public).GetDerEncoded();
                    _keys.Add(new PoolKey(kind, k, pair.Private, Convert.ToBase64String(spki)));
                }
                var ed = new Ed25519KeyPairGenerator();
                ed.Init(new Ed25519KeyGenerationParameters(random));
                var edPair = ed.GenerateKeyPair();
                _keys.Add(new PoolKey(KeyKind.Ed25519, k, edPair.Private, Convert.ToBase64String(((Ed25519PublicKeyParameters)edPair.Public).GetEncoded())));
            }
        }

        private PoolKey PickKey(Random r)
        {
            var u = r.NextDouble();
            var kind = u < 0.55 ? KeyKind.Rsa2048 : u < 0.80 ? KeyKind.Rsa1024 : KeyKind.Ed25519;
            var candidates = _keys.Where(k => k.Kind == kind).ToList();
            return candidates[r.Next(candidates.Count)];
        }

        // ---- ten mail providers, three SPF records each (~30 shared records), nested two or three deep ----

        private void BuildProviders()
        {
            for (int p = 1; p <= ProviderCount; p++)
            {
                var z = $"mailprov{p:D2}.test";
                var prov = new Provider { Number = p, Zone = z };
                string nb1 = $"ip4:100.127.{p}.0/24", nb2 = $"ip4:100.126.{p}.0/24", nb3 = $"ip4:100.125.{p * 2}.0/23";
                switch (p % 3)
                {
                    case 0: // two deep: _spf -> _nb1, _nb2
                        prov.Records.Add($"_spf TXT \"v=spf1 include:_nb1.{z} include:_nb2.{z} ~all\"");
                        prov.Records.Add($"_nb1 TXT \"v=spf1 {nb1} {nb3} -all\"");
                        prov.Records.Add($"_nb2 TXT \"v=spf1 {nb2} ip6:2001:db8:{p:x}::/48 -all\"");
                        prov.Cost = 3;
                        break;
                    case 1: // three deep: _spf -> _nb1 -> _nb2
                        prov.Records.Add($"_spf TXT \"v=spf1 {nb3} include:_nb1.{z} ~all\"");
                        prov.Records.Add($"_nb1 TXT \"v=spf1 {nb1} include:_nb2.{z} -all\"");
                        prov.Records.Add($"_nb2 TXT \"v=spf1 {nb2} ip6:2001:db8:{p:x}::/48 -all\"");
                        prov.Cost = 3;
                        break;
                    default: // three deep with a fan-out: _spf -> _nb1 (-> _nb3), _nb2
                        prov.Records.Add($"_spf TXT \"v=spf1 include:_nb1.{z} include:_nb2.{z} ~all\"");
                        prov.Records.Add($"_nb1 TXT \"v=spf1 {nb1} include:_nb3.{z} -all\"");
                        prov.Records.Add($"_nb2 TXT \"v=spf1 {nb2} -all\"");
                        prov.Records.Add($"_nb3 TXT \"v=spf1 {nb3} ip6:2001:db8:{p:x}::/48 -all\"");
                        prov.Cost = 4;
                        break;
                }
                prov.Records.Add($"@ MX 10 mx1.{z}.");
                prov.Records.Add($"mx1 A 100.127.{p}.10");
                AddPtr($"100.127.{p}.10", $"mx1.{z}");
                prov.Records.Add($"mx2 A 100.127.{p}.11");
                AddPtr($"100.127.{p}.11", $"mx2.{z}");
                for (int n = 1; n <= 8; n++)
                {
                    prov.Records.Add($"o{n} A 100.127.{p}.{100 + n}");
                    AddPtr($"100.127.{p}.{100 + n}", $"o{n}.{z}");
                }
                _providers.Add(prov);
            }
        }

        private void AddPtr(string ip, string name) => _ptr[ip] = name;

        private static string OwnIp(int i, int block) => $"100.{block + (i >> 16)}.{(i >> 8) & 255}.{i & 255}";

        // ---- one domain ----

        private Domain BuildDomain(int i)
        {
            var r = Rng(1, i);
            var d = new Domain { Index = i, Label = "d" + i.ToString("D6", Inv) };
            d.Apex = d.Label + ".example";
            d.Name = d.Apex;

            double u = r.NextDouble();
            d.Kind = u < 0.030 ? "spf-over-limit" : u < 0.040 ? "spf-loop" : u < 0.050 ? "spf-void" : u < 0.065 ? "spf-syntax"
                : u < 0.070 ? "spf-multiple" : u < 0.120 ? "null-mx" : u < 0.140 ? "spf-none" : u < 0.160 ? "no-mx" : "ok";

            // DMARC: at the domain, only at the parent (the row is a subdomain), or nowhere.
            double dm = r.NextDouble();
            if (d.Kind == "ok" && dm < 0.10) { d.Dmarc = "parent"; d.Kind = "dmarc-parent"; d.Name = "mail." + d.Apex; }
            else d.Dmarc = d.Kind == "null-mx" ? (dm < 0.80 ? "domain" : "none") : dm < 0.75 ? "domain" : "none";

            d.Mx = d.Kind == "null-mx" ? "null" : d.Kind == "no-mx" ? "none" : r.NextDouble() < 0.5 ? "own" : "provider";
            var mailProvider = _providers[r.Next(_providers.Count)];
            d.OwnIp = OwnIp(i, 64);

            // SPF
            d.Spf = d.Kind switch
            {
                "spf-over-limit" => "over-limit",
                "spf-loop" => "loop",
                "spf-void" => "void",
                "spf-syntax" => "syntax",
                "spf-multiple" => "multiple",
                "spf-none" => "none",
                _ => "ok",
            };

            // DKIM selectors (none for parked domains)
            if (d.Mx != "null")
            {
                double s = r.NextDouble();
                int n = s < 0.35 ? 0 : s < 0.80 ? 1 : 2;
                bool m365Style = d.Mx == "provider" && r.NextDouble() < 0.3;
                var names = m365Style ? new[] { "selector1", "selector2" } : CommonSelectors.OrderBy(_ => r.Next()).Take(2).ToArray();
                for (int k = 0; k < n; k++)
                    d.Selectors.Add(new Selector { Name = names[k], Key = PickKey(r), ViaCname = m365Style || r.NextDouble() < 0.15 });
                d.SelectorsInCsv = n > 0 && r.NextDouble() < 0.6;
            }
            if (d.Mx == "own" || d.Mx == "provider")
            {
                d.MtaSts = r.NextDouble() < 0.15;
                d.TlsRpt = d.MtaSts ? r.NextDouble() < 0.8 : r.NextDouble() < 0.08;
            }
            if (d.Dmarc != "none")
            {
                double p = r.NextDouble();
                d.DmarcPolicy = d.Mx == "null" ? "reject" : p < 0.40 ? "none" : p < 0.65 ? "quarantine" : "reject";
            }
            d.Records = BuildRecords(d, r, mailProvider);
            return d;
        }

        private string BuildSpf(Domain d, Random r, Provider mailProvider, List<string> extra)
        {
            var name = d.Name;
            var parts = new List<string> { "v=spf1" };
            int cost = 0;
            bool own = d.Mx == "own";
            switch (d.Spf)
            {
                case "over-limit":
                    {
                        // Four includes (3 or 4 lookups each) plus mx: at least 13 lookups.
                        parts.Add("mx");
                        cost++;
                        foreach (var p in _providers.OrderBy(_ => r.Next()).Take(4)) { parts.Add("include:" + p.Include); cost += p.Cost; }
                        parts.Add("-all");
                        d.SpfLookups = cost;
                        return string.Join(" ", parts);
                    }
                case "loop":
                    extra.Add($"_spf.{name}. TXT \"v=spf1 ip4:{d.OwnIp} include:{name} -all\"");
                    d.SpfLookups = -1;
                    return $"v=spf1 include:_spf.{name} -all";
                case "void":
                    {
                        var p = _providers[r.Next(_providers.Count)];
                        d.SpfLookups = 3 + p.Cost;
                        return $"v=spf1 a:v1.{name} a:v2.{name} a:v3.{name} include:{p.Include} -all";
                    }
                case "syntax":
                    {
                        string[] broken =
                        {
                            $"v=spf1 ip4:{d.OwnIp}.0 -all",
                            "v=spf1 include: -all",
                            $"v=spf1 mx/33 include:{mailProvider.Include} -all",
                            $"v=spf1 ip4:{d.OwnIp} foo:bar.example -all",
                            $"v=spf1 redirect={mailProvider.Include} redirect=_spf.{name}",
                            $"v=spf1 ip4:{d.OwnIp} include:{mailProvider.Include} -al",
                        };
                        d.SpfLookups = 0;
                        return broken[r.Next(broken.Length)];
                    }
            }
            // ok / multiple
            if (own)
            {
                if (r.NextDouble() < 0.6) { parts.Add("mx"); cost++; d.SpfIps.Add(d.OwnIp!); }
                else { parts.Add("ip4:" + d.OwnIp); d.SpfIps.Add(d.OwnIp!); }
            }
            else if (d.Mx == "none" || r.NextDouble() < 0.2)
            {
                parts.Add("ip4:" + d.OwnIp);
                d.SpfIps.Add(d.OwnIp!);
            }
            double k = r.NextDouble();
            int includes = k < 0.40 ? 1 : k < 0.70 ? 2 : k < 0.90 ? 3 : 4;
            var chosen = new List<Provider>();
            if (d.Mx == "provider") chosen.Add(mailProvider);
            foreach (var p in _providers.OrderBy(_ => r.Next()))
            {
                if (chosen.Count >= includes) break;
                if (!chosen.Contains(p)) chosen.Add(p);
            }
            foreach (var p in chosen)
            {
                if (cost + p.Cost > 10) break;
                parts.Add("include:" + p.Include);
                cost += p.Cost;
                d.SpfIps.Add($"100.127.{p.Number}.{101 + r.Next(8)}");
            }
            double all = r.NextDouble();
            parts.Add(all < 0.50 ? "~all" : all < 0.95 ? "-all" : "?all");
            d.SpfLookups = cost;
            return string.Join(" ", parts);
        }

        private List<string> BuildRecords(Domain d, Random r, Provider mailProvider)
        {
            var rec = new List<string>();
            var name = d.Name;
            var extra = new List<string>();

            // MX (and the hosts' addresses and PTRs)
            switch (d.Mx)
            {
                case "null":
                    rec.Add($"{name}. MX 0 .");
                    break;
                case "provider":
                    rec.Add($"{name}. MX 10 mx1.{mailProvider.Zone}.");
                    if (r.NextDouble() < 0.5) rec.Add($"{name}. MX 20 mx2.{mailProvider.Zone}.");
                    break;
                case "own":
                    {
                        rec.Add($"{name}. MX 10 mx1.{name}.");
                        rec.Add($"mx1.{name}. A {d.OwnIp}");
                        double p = r.NextDouble();
                        if (p < 0.90) AddPtr(d.OwnIp!, "mx1." + name);
                        else if (p < 0.95) AddPtr(d.OwnIp!, $"host-{d.OwnIp!.Replace('.', '-')}.isp.test");
                        if (r.NextDouble() < 0.4)
                        {
                            var ip2 = OwnIp(d.Index, 96);
                            rec.Add($"{name}. MX 20 mx2.{name}.");
                            rec.Add($"mx2.{name}. A {ip2}");
                            AddPtr(ip2, "mx2." + name);
                        }
                        if (r.NextDouble() < 0.5) rec.Add($"{name}. A {d.OwnIp}");
                        break;
                    }
            }

            // SPF (plus unrelated TXT records, as real apexes have)
            if (d.Spf != "none")
            {
                var spf = BuildSpf(d, r, mailProvider, extra);
                rec.Add($"{name}. TXT {Quote(spf)}");
                if (d.Spf == "multiple") rec.Add($"{name}. TXT \"v=spf1 include:{_providers[(mailProvider.Number) % ProviderCount].Include} -all\"");
            }
            if (r.NextDouble() < 0.3) rec.Add($"{name}. TXT \"site-verification={Hex(r, 16)}\"");
            rec.AddRange(extra);

            // Sending IP for the CSV: mostly one the SPF record authorises, sometimes a stranger.
            if (d.Mx != "null" && r.NextDouble() < 0.7)
            {
                if (d.SpfIps.Count > 0 && r.NextDouble() < 0.9)
                {
                    d.SendingIp = d.SpfIps[r.Next(d.SpfIps.Count)];
                    d.SendingIpAuthorized = d.Spf == "ok";
                }
                else
                {
                    d.SendingIp = $"100.124.{r.Next(256)}.{r.Next(1, 255)}";
                    d.SendingIpAuthorized = false;
                }
            }

            // DMARC
            string dmarcOwner = d.Dmarc == "parent" ? d.Apex : name;
            if (d.Dmarc != "none")
            {
                var tags = new List<string> { "v=DMARC1", "p=" + d.DmarcPolicy };
                double rua = r.NextDouble();
                if (rua < 0.5) tags.Add($"rua=mailto:dmarc@{dmarcOwner}");
                else if (rua < 0.9)
                {
                    tags.Add("rua=mailto:agg@reports.test");
                    if (r.NextDouble() < 0.85) d.ReportAuth.Add($"{dmarcOwner}._report._dmarc.reports.test. TXT \"v=DMARC1\"");
                }
                if (r.NextDouble() < 0.2) tags.Add("adkim=s");
                if (r.NextDouble() < 0.1) tags.Add("pct=50");
                if (r.NextDouble() < 0.2) tags.Add("sp=" + (r.NextDouble() < 0.5 ? "reject" : "none"));
                rec.Add($"_dmarc.{dmarcOwner}. TXT {Quote(string.Join("; ", tags))}");
            }

            // DKIM keys, some through a CNAME to the mail provider's zone data (kept in the .example zone so an
            // authoritative server answers the whole chain at once).
            foreach (var s in d.Selectors)
            {
                var owner = $"{s.Name}._domainkey.{name}.";
                if (s.ViaCname)
                {
                    var target = $"{s.Name}-{d.Label}._domainkey.esp{mailProvider.Number:D2}.example.";
                    rec.Add($"{owner} CNAME {target}");
                    rec.Add($"{target} TXT {Quote(s.Key.Record)}");
                }
                else rec.Add($"{owner} TXT {Quote(s.Key.Record)}");
            }

            if (d.MtaSts)
            {
                rec.Add($"_mta-sts.{name}. TXT \"v=STSv1; id=2026{d.Index:D6}T000000\"");
                rec.Add($"mta-sts.{name}. A 127.0.0.1");
            }
            if (d.TlsRpt) rec.Add($"_smtp._tls.{name}. TXT \"v=TLSRPTv1; rua=mailto:tlsrpt@{(r.NextDouble() < 0.5 ? "reports.test" : name)}\"");
            return rec;
        }

        private static string Hex(Random r, int n)
        {
            var sb = new StringBuilder(n);
            for (int i = 0; i < n; i++) sb.Append("0123456789abcdef"[r.Next(16)]);
            return sb.ToString();
        }

        /// <summary>TXT data as one or more quoted strings of at most 255 characters (RFC 1035 §3.3.14).</summary>
        private static string Quote(string text)
        {
            var parts = new List<string>();
            for (int i = 0; i < text.Length; i += 250) parts.Add("\"" + text.Substring(i, Math.Min(250, text.Length - i)).Replace("\"", "\\\"") + "\"");
            return string.Join(" ", parts);
        }

        // ---- writing ----

        public void Write(string folder, int pairs, int messages)
        {
            Directory.CreateDirectory(folder);
            var zones = Path.Combine(folder, "zones");
            if (Directory.Exists(zones)) Directory.Delete(zones, true);
            Directory.CreateDirectory(zones);
            var zoneList = new List<(string Zone, string File)>();

            // .example: every customer domain, and the DKIM CNAME targets
            using (var w = OpenText(Path.Combine(zones, "example.zone")))
            {
                WriteHead(w, "example");
                w.Write("ns1.example. A 127.0.0.1\n");
                foreach (var d in _domains)
                {
                    foreach (var line in d.Records!) { w.Write(line); w.Write('\n'); }
                }
            }
            zoneList.Add(("example", "example.zone"));

            foreach (var p in _providers)
            {
                var file = p.Zone + ".zone";
                using var w = OpenText(Path.Combine(zones, file));
                WriteHead(w, p.Zone);
                foreach (var line in p.Records) { w.Write(line); w.Write('\n'); }
                zoneList.Add((p.Zone, file));
            }
            using (var w = OpenText(Path.Combine(zones, "reports.test.zone")))
            {
                WriteHead(w, "reports.test");
                w.Write("@ MX 10 mx1.mailprov01.test.\n");
                // The authorisations of external report destinations were collected with the domains' records.
                foreach (var d in _domains)
                    foreach (var line in d.ReportAuth) { w.Write(line); w.Write('\n'); }
            }
            zoneList.Add(("reports.test", "reports.test.zone"));
            using (var w = OpenText(Path.Combine(zones, "isp.test.zone"))) WriteHead(w, "isp.test");
            zoneList.Add(("isp.test", "isp.test.zone"));
            using (var w = OpenText(Path.Combine(zones, "100.in-addr.arpa.zone")))
            {
                WriteHead(w, "100.in-addr.arpa");
                foreach (var kv in _ptr)
                {
                    var o = kv.Key.Split('.');
                    w.Write($"{o[3]}.{o[2]}.{o[1]}.100.in-addr.arpa. PTR {kv.Value}.\n");
                }
            }
            zoneList.Add(("100.in-addr.arpa", "100.in-addr.arpa.zone"));
            File.WriteAllText(Path.Combine(folder, "zones.txt"), string.Concat(zoneList.Select(z => $"{z.Zone} {z.File}\n")));

            // domains.csv and truth.csv
            using (var w = OpenText(Path.Combine(folder, "domains.csv")))
            {
                w.Write("Domain,Selector,SendingIP\n");
                foreach (var d in _domains)
                    w.Write($"{d.Name},{(d.SelectorsInCsv ? string.Join(";", d.Selectors.Select(s => s.Name)) : "")},{d.SendingIp}\n");
            }
            using (var w = OpenText(Path.Combine(folder, "truth.csv")))
            {
                w.Write("Domain,Kind,Mx,Spf,SpfLookups,Dmarc,DmarcPolicy,DkimSelectors,DkimKeys,DkimViaCname,MtaSts,TlsRpt,SendingIP,SendingIpAuthorized\n");
                foreach (var d in _domains)
                    w.Write(string.Join(",", d.Name, d.Kind, d.Mx, d.Spf, d.SpfLookups.ToString(Inv), d.Dmarc, d.DmarcPolicy ?? "",
                        string.Join(";", d.Selectors.Select(s => s.Name)), string.Join(";", d.Selectors.Select(s => s.Key.Name)),
                        string.Join(";", d.Selectors.Select(s => s.ViaCname ? "1" : "0")), d.MtaSts ? "1" : "0", d.TlsRpt ? "1" : "0",
                        d.SendingIp ?? "", d.SendingIp is null ? "" : d.SendingIpAuthorized ? "1" : "0") + "\n");
            }

            WritePairs(Path.Combine(folder, "spf-pairs.csv"), pairs);
            WriteMessages(folder, messages);
            WriteQueries(Path.Combine(folder, "dnsperf-queries.txt"));

            // The key pool, for anyone who wants to sign more (never used for anything but this data set).
            using (var w = OpenText(Path.Combine(folder, "keys.txt")))
                foreach (var k in _keys) w.Write($"{k.Name} {k.Index} {k.Record}\n");
        }

        private static StreamWriter OpenText(string path) => new StreamWriter(path, false, new UTF8Encoding(false), 1 << 16) { NewLine = "\n" };

        private static void WriteHead(TextWriter w, string origin)
        {
            w.Write($"$ORIGIN {origin}.\n$TTL {Ttl}\n");
            w.Write($"@ SOA ns1.example. hostmaster.example. 1 3600 600 86400 {Ttl}\n");
            w.Write("@ NS ns1.example.\n");
        }

        /// <summary>(IP, domain) pairs for check_host(): about 60% with an address the record authorises.</summary>
        private void WritePairs(string path, int pairs)
        {
            var r = Rng(2, 0);
            using var w = OpenText(path);
            w.Write("IP,Domain,Sender\n");
            for (int n = 0; n < pairs; n++)
            {
                var d = _domains[r.Next(_domains.Count)];
                string ip = d.SpfIps.Count > 0 && r.NextDouble() < 0.6 ? d.SpfIps[r.Next(d.SpfIps.Count)]
                    : r.NextDouble() < 0.5 ? $"100.124.{r.Next(256)}.{r.Next(1, 255)}" : $"100.127.{1 + r.Next(ProviderCount)}.{1 + r.Next(250)}";
                w.Write($"{ip},{d.Name},postmaster@{d.Name}\n");
            }
        }

        /// <summary>DKIM-signed messages from domains with keys: relaxed/relaxed, one or two signatures, ~4% altered after signing.</summary>
        private void WriteMessages(string folder, int count)
        {
            var dir = Path.Combine(folder, "messages");
            if (Directory.Exists(dir)) Directory.Delete(dir, true);
            Directory.CreateDirectory(dir);
            var signers = _domains.Where(d => d.Selectors.Count > 0).ToList();
            var list = new StringBuilder();
            var truth = new StringBuilder("File,Domain,Selectors,Keys,Expected\n");
            if (signers.Count == 0) count = 0;
            var format = FormatOptions.Default.Clone();
            format.NewLineFormat = NewLineFormat.Dos;
            var headers = new[] { HeaderId.From, HeaderId.To, HeaderId.Subject, HeaderId.Date, HeaderId.MessageId };
            for (int n = 1; n <= count; n++)
            {
                var r = Rng(3, n);
                var d = signers[r.Next(signers.Count)];
                var msg = new MimeMessage();
                msg.From.Add(new MailboxAddress("News " + d.Label, "news@" + d.Name));
                msg.To.Add(new MailboxAddress("Recipient", $"user{r.Next(1000)}@recipient.test"));
                msg.Subject = $"{Words[r.Next(Words.Length)]} {Words[r.Next(Words.Length)]} #{n}";
                msg.Date = new DateTimeOffset(2026, 11, 1, 8, 0, 0, TimeSpan.Zero).AddMinutes(n);
                msg.MessageId = $"{n}.{d.Label}@{d.Name}";
                var body = new StringBuilder();
                int lines = 5 + r.Next(40);
                for (int l = 0; l < lines; l++)
                {
                    int wc = 6 + r.Next(10);
                    for (int k = 0; k < wc; k++) { if (k > 0) body.Append(' '); body.Append(Words[r.Next(Words.Length)]); }
                    body.Append("\r\n");
                }
                body.Append("\r\nRegards,\r\nThe team\r\n");
                msg.Body = new TextPart("plain") { Text = body.ToString() };
                msg.Prepare(EncodingConstraint.SevenBit);

                var used = d.Selectors.Count == 2 && r.NextDouble() < 0.3 ? d.Selectors : new List<Selector> { d.Selectors[r.Next(d.Selectors.Count)] };
                foreach (var s in used)
                {
                    var signer = new FixedTimeDkimSigner(s.Key.PrivateKey, d.Name, s.Name,
                        s.Key.Kind == KeyKind.Ed25519 ? DkimSignatureAlgorithm.Ed25519Sha256 : DkimSignatureAlgorithm.RsaSha256, msg.Date)
                    {
                        HeaderCanonicalizationAlgorithm = DkimCanonicalizationAlgorithm.Relaxed,
                        BodyCanonicalizationAlgorithm = DkimCanonicalizationAlgorithm.Relaxed,
                    };
                    signer.Sign(format, msg, headers);
                }
                byte[] bytes;
                using (var ms = new MemoryStream())
                {
                    msg.WriteTo(format, ms);
                    bytes = ms.ToArray();
                }
                bool tamper = r.NextDouble() < 0.04;
                if (tamper)
                {
                    var text = Encoding.ASCII.GetString(bytes);
                    int at = text.LastIndexOf("Regards,", StringComparison.Ordinal);
                    text = text.Substring(0, at) + "Kind regards," + text.Substring(at + "Regards,".Length);
                    bytes = Encoding.ASCII.GetBytes(text);
                }
                var file = n.ToString("D5", Inv) + ".eml";
                File.WriteAllBytes(Path.Combine(dir, file), bytes);
                list.Append("messages/").Append(file).Append('\n');
                truth.Append($"messages/{file},{d.Name},{string.Join(";", used.Select(s => s.Name))},{string.Join(";", used.Select(s => s.Key.Name))},{(tamper ? "fail" : "pass")}\n");
            }
            File.WriteAllText(Path.Combine(folder, "messages.txt"), list.ToString());
            File.WriteAllText(Path.Combine(folder, "messages-truth.csv"), truth.ToString());
        }

        /// <summary>The queries an audit of the data set asks, one line per query (dnsperf input format).</summary>
        private void WriteQueries(string path)
        {
            using var w = OpenText(path);
            foreach (var d in _domains)
            {
                var n = d.Name;
                w.Write($"{n} MX\n{n} TXT\n_dmarc.{n} TXT\n_domainkey.{n} TXT\n_mta-sts.{n} TXT\n_smtp._tls.{n} TXT\n{n} A\n");
                foreach (var s in d.Selectors) w.Write($"{s.Name}._domainkey.{n} TXT\n");
                if (d.Mx == "own")
                {
                    w.Write($"mx1.{n} A\nmx1.{n} AAAA\n");
                    var o = d.OwnIp!.Split('.');
                    w.Write($"{o[3]}.{o[2]}.{o[1]}.100.in-addr.arpa PTR\n");
                }
                if (d.Dmarc == "parent") w.Write($"_dmarc.{d.Apex} TXT\n");
            }
        }
    }
}
