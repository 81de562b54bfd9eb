using System.Net;
using MailAuth.Dns;
using MailAuth.Spf;
using YamlDotNet.RepresentationModel;

namespace MailAuth.Tests.Spf;

/// <summary>One test of an OpenSPF suite file.</summary>
public sealed record OpenSpfTest(string Scenario, string Name, string Host, string MailFrom, string Helo,
    IReadOnlyList<string> Results, string? Explanation, string? Spec)
{
    public string Id => Scenario + "/" + Name;
}

/// <summary>A scenario: its tests and the zone data they run against.</summary>
public sealed record OpenSpfScenario(string Description, IReadOnlyList<OpenSpfTest> Tests, OpenSpfZone Zone);

/// <summary>Loads the OpenSPF YAML suites (a multi-document stream, one scenario per document).</summary>
public static class OpenSpfSuite
{
    public static IReadOnlyList<OpenSpfScenario> Load(string path)
    {
        var stream = new YamlStream();
        using (var reader = new StreamReader(path)) stream.Load(reader);
        var scenarios = new List<OpenSpfScenario>();
        foreach (var doc in stream.Documents)
        {
            if (doc.RootNode is not YamlMappingNode root) continue;
            var description = Scalar(root, "description") ?? "scenario " + (scenarios.Count + 1);
            var tests = new List<OpenSpfTest>();
            if (Child(root, "tests") is YamlMappingNode testMap)
            {
                foreach (var (key, value) in testMap.Children)
                {
                    var t = (YamlMappingNode)value;
                    var results = Child(t, "result") switch
                    {
                        YamlSequenceNode seq => seq.Children.Select(n => ((YamlScalarNode)n).Value!.Trim()).ToArray(),
                        YamlScalarNode s => new[] { s.Value!.Trim() },
                        _ => Array.Empty<string>(),
                    };
                    tests.Add(new OpenSpfTest(description, ((YamlScalarNode)key).Value!, Scalar(t, "host") ?? "", Scalar(t, "mailfrom") ?? "",
                        Scalar(t, "helo") ?? "", results, Scalar(t, "explanation"), Scalar(t, "spec")));
                }
            }
            var zone = new OpenSpfZone(Child(root, "zonedata") as YamlMappingNode);
            scenarios.Add(new OpenSpfScenario(description, tests, zone));
        }
        return scenarios;
    }

    private static YamlNode? Child(YamlMappingNode map, string key) =>
        map.Children.TryGetValue(new YamlScalarNode(key), out var v) ? v : null;

    private static string? Scalar(YamlMappingNode map, string key) => (Child(map, key) as YamlScalarNode)?.Value;

    /// <summary>Parses a result word of the suite.</summary>
    public static SpfResult ParseResult(string word) => word.ToLowerInvariant() switch
    {
        "pass" => SpfResult.Pass,
        "fail" => SpfResult.Fail,
        "softfail" => SpfResult.SoftFail,
        "neutral" => SpfResult.Neutral,
        "none" => SpfResult.None,
        "permerror" => SpfResult.PermError,
        "temperror" => SpfResult.TempError,
        _ => throw new FormatException("Unknown SPF result word '" + word + "'."),
    };

    /// <summary>Runs one test against its scenario's zone, with the HELO identity when MAIL FROM is empty.</summary>
    public static Task<SpfCheckResult> RunAsync(OpenSpfScenario scenario, OpenSpfTest test, SpfEvaluationOptions? options = null)
    {
        var evaluator = new SpfEvaluator(scenario.Zone, options);
        var ip = IPAddress.Parse(test.Host);
        return evaluator.CheckMailFromAsync(ip, test.MailFrom, test.Helo);
    }

    /// <summary>Null when the result satisfies the test, else why not.</summary>
    public static string? Verify(OpenSpfTest test, SpfCheckResult result)
    {
        var accepted = test.Results.Select(ParseResult).ToArray();
        if (!accepted.Contains(result.Result))
            return $"{test.Id}: got {result.Result} ({result.ErrorMessage}), expected {string.Join(" or ", test.Results)}";
        if (test.Explanation is null || result.Result != SpfResult.Fail) return null;
        if (test.Explanation == "DEFAULT")
            return result.Explanation is null ? null : $"{test.Id}: expected the default explanation, got '{result.Explanation}'";
        return result.Explanation == test.Explanation ? null : $"{test.Id}: explanation '{result.Explanation}', expected '{test.Explanation}'";
    }
}

/// <summary>
/// An in-memory <see cref="IDnsResolver"/> serving a suite's zonedata by the rules in the suite README:
/// absent names are NXDOMAIN, present names without the type answer NODATA, SPF entries are also served as TXT unless
/// the name has its own TXT entry ("TXT: NONE" means no TXT), a bare TIMEOUT makes queries for types not listed before
/// it time out, CNAMEs are followed.
/// </summary>
public sealed class OpenSpfZone : IDnsResolver
{
    private sealed class Entry
    {
        public string Type = "";
        public YamlNode? Value;
    }

    private readonly Dictionary<string, List<Entry>> _names = new(StringComparer.OrdinalIgnoreCase);
    private readonly List<(string Name, DnsRecordType Type)> _queries = new();

    public OpenSpfZone(YamlMappingNode? zonedata)
    {
        if (zonedata is null) return;
        foreach (var (key, value) in zonedata.Children)
        {
            var name = DnsName.Normalize(((YamlScalarNode)key).Value);
            if (!_names.TryGetValue(name, out var list)) _names[name] = list = new List<Entry>();
            if (value is not YamlSequenceNode seq) continue;
            foreach (var item in seq.Children)
            {
                if (item is YamlScalarNode s) list.Add(new Entry { Type = s.Value!.Trim().ToUpperInvariant() });
                else if (item is YamlMappingNode m)
                    foreach (var (k, v) in m.Children) list.Add(new Entry { Type = ((YamlScalarNode)k).Value!.Trim().ToUpperInvariant(), Value = v });
            }
        }
    }

    /// <summary>A zone from YAML text in the suite's zonedata format (a mapping of names to record lists).</summary>
    public static OpenSpfZone FromYaml(string yaml)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        return new OpenSpfZone((YamlMappingNode)stream.Documents[0].RootNode);
    }

    /// <summary>Every question asked, in order.</summary>
    public IReadOnlyList<(string Name, DnsRecordType Type)> Queries => _queries;

    public Task<DnsLookupResult> QueryAsync(string name, DnsRecordType type, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_queries) _queries.Add((DnsName.Normalize(name), type));
        return Task.FromResult(Resolve(DnsName.Normalize(name), type));
    }

    private DnsLookupResult Resolve(string qname, DnsRecordType type)
    {
        var chain = new List<string>();
        var current = qname;
        while (true)
        {
            if (!_names.TryGetValue(current, out var entries))
                return new DnsLookupResult(qname, type, DnsLookupStatus.NxDomain, cnameChain: chain, source: "test zone");
            int timeout = entries.FindIndex(e => e.Type == "TIMEOUT");
            var records = RecordsOf(current, entries, type, timeout < 0 ? entries.Count : timeout);
            if (records.Count > 0)
                return new DnsLookupResult(qname, type, DnsLookupStatus.Success, records, chain, "test zone");
            if (timeout >= 0)
                return new DnsLookupResult(qname, type, DnsLookupStatus.Timeout, cnameChain: chain, source: "test zone", errorMessage: "TIMEOUT in test data");
            var cname = entries.FirstOrDefault(e => e.Type == "CNAME");
            if (cname is null || type == DnsRecordType.CNAME)
                return new DnsLookupResult(qname, type, DnsLookupStatus.NoData, cnameChain: chain, source: "test zone");
            var target = DnsName.Normalize(((YamlScalarNode)cname.Value!).Value);
            if (target == qname || chain.Contains(target))
                return new DnsLookupResult(qname, type, DnsLookupStatus.ServerFailure, cnameChain: chain, source: "test zone", errorMessage: "CNAME loop");
            chain.Add(target);
            current = target;
        }
    }

    /// <summary>Records of <paramref name="type"/> among the first <paramref name="limit"/> entries of a name.</summary>
    private static List<DnsResourceRecord> RecordsOf(string name, List<Entry> entries, DnsRecordType type, int limit)
    {
        var result = new List<DnsResourceRecord>();
        var served = entries.Take(limit).ToList();
        switch (type)
        {
            case DnsRecordType.TXT:
                // SPF entries double as TXT unless the name has TXT entries of its own (including "TXT: NONE").
                var txt = entries.Any(e => e.Type == "TXT") ? served.Where(e => e.Type == "TXT") : served.Where(e => e.Type == "SPF");
                foreach (var e in txt)
                {
                    if (e.Value is YamlScalarNode s && s.Value == "NONE" && e.Type == "TXT") continue;
                    result.Add(DnsResourceRecord.CreateText(name, DnsRecordType.TXT, Strings(e.Value), 3600));
                }
                break;
            case DnsRecordType.SPF:
                foreach (var e in served.Where(e => e.Type == "SPF"))
                    result.Add(DnsResourceRecord.CreateText(name, DnsRecordType.SPF, Strings(e.Value), 3600));
                break;
            case DnsRecordType.A:
            case DnsRecordType.AAAA:
                foreach (var e in served.Where(e => e.Type == type.ToString()))
                    result.Add(DnsResourceRecord.CreateAddress(name, IPAddress.Parse(((YamlScalarNode)e.Value!).Value!), 3600));
                break;
            case DnsRecordType.PTR:
            case DnsRecordType.CNAME:
                foreach (var e in served.Where(e => e.Type == type.ToString()))
                    result.Add(DnsResourceRecord.CreateTarget(name, type, ((YamlScalarNode)e.Value!).Value!, 3600));
                break;
            case DnsRecordType.MX:
                foreach (var e in served.Where(e => e.Type == "MX"))
                {
                    var seq = (YamlSequenceNode)e.Value!;
                    var pref = ushort.Parse(((YamlScalarNode)seq.Children[0]).Value!, System.Globalization.CultureInfo.InvariantCulture);
                    result.Add(DnsResourceRecord.CreateMx(name, pref, ((YamlScalarNode)seq.Children[1]).Value ?? "", 3600));
                }
                break;
        }
        return result;
    }

    private static IReadOnlyList<string> Strings(YamlNode? value) => value switch
    {
        YamlScalarNode s => new[] { s.Value ?? "" },
        YamlSequenceNode seq => seq.Children.Select(c => ((YamlScalarNode)c).Value ?? "").ToArray(),
        _ => Array.Empty<string>(),
    };
}
