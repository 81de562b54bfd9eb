using MailAuth.Spf;
using Xunit;
using Xunit.Abstractions;

namespace MailAuth.Tests.Spf;

/// <summary>The OpenSPF RFC 7208 suite (../shared/conformance/spf/rfc7208-tests.yml), every test a theory case.</summary>
public class SpfConformanceTests
{
    private const string NoSuite = "(suite missing)";
    private readonly ITestOutputHelper _output;

    public SpfConformanceTests(ITestOutputHelper output) => _output = output;

    private static string? SuitePath(string file)
    {
        var root = TestPaths.ConformanceRoot;
        if (root is null) return null;
        var path = Path.Combine(root, "spf", file);
        return File.Exists(path) ? path : null;
    }

    private static readonly Lazy<IReadOnlyList<OpenSpfScenario>> Rfc7208 = new(() =>
        SuitePath("rfc7208-tests.yml") is { } p ? OpenSpfSuite.Load(p) : Array.Empty<OpenSpfScenario>());

    public static IEnumerable<object[]> Cases()
    {
        var scenarios = Rfc7208.Value;
        if (scenarios.Count == 0) { yield return new object[] { NoSuite }; yield break; }
        foreach (var s in scenarios)
            foreach (var t in s.Tests)
                yield return new object[] { t.Id };
    }

    [SkippableTheory]
    [MemberData(nameof(Cases))]
    public async Task Rfc7208Case(string id)
    {
        Skip.If(id == NoSuite || Rfc7208.Value.Count == 0, TestPaths.ConformanceMissing);
        var scenario = Rfc7208.Value.Single(s => s.Tests.Any(t => t.Id == id));
        var test = scenario.Tests.Single(t => t.Id == id);
        var result = await OpenSpfSuite.RunAsync(scenario, test);
        foreach (var step in result.Trace) _output.WriteLine(step.ToString());
        var problem = OpenSpfSuite.Verify(test, result);
        Assert.True(problem is null, problem);
    }

    [SkippableFact]
    public async Task WholeRfc7208SuitePasses()
    {
        Skip.If(Rfc7208.Value.Count == 0, TestPaths.ConformanceMissing);
        int total = 0, passed = 0;
        var failures = new List<string>();
        foreach (var s in Rfc7208.Value)
        {
            foreach (var t in s.Tests)
            {
                total++;
                var problem = OpenSpfSuite.Verify(t, await OpenSpfSuite.RunAsync(s, t));
                if (problem is null) passed++;
                else failures.Add(problem);
            }
        }
        _output.WriteLine($"RFC 7208 suite: {passed}/{total} passed.");
        foreach (var f in failures) _output.WriteLine(f);
        Assert.Equal(203, total);
        Assert.Equal(total, passed);
    }

    /// <summary>
    /// The older RFC 4408 suite, for information only: RFC 7208 changed several outcomes (SPF type 99, limits, void
    /// lookups), so only completion is asserted, not the individual results.
    /// </summary>
    [SkippableFact]
    public async Task Rfc4408SuiteRunsForInformation()
    {
        var path = SuitePath("rfc4408-tests.yml");
        Skip.If(path is null, TestPaths.ConformanceMissing);
        var scenarios = OpenSpfSuite.Load(path!);
        int total = 0, agreed = 0;
        foreach (var s in scenarios)
        {
            foreach (var t in s.Tests)
            {
                total++;
                var result = await OpenSpfSuite.RunAsync(s, t);
                Assert.True(Enum.IsDefined(result.Result));
                if (OpenSpfSuite.Verify(t, result) is null) agreed++;
                else _output.WriteLine($"differs: {t.Id}: {result.Result} vs {string.Join("/", t.Results)}");
            }
        }
        _output.WriteLine($"RFC 4408 suite (information only): {agreed}/{total} agree with RFC 7208 evaluation.");
        Assert.True(total > 0);
    }
}
