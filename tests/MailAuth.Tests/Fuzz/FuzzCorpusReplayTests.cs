using MailAuth.Dkim;
using MailAuth.Fuzz;
using Xunit;

namespace MailAuth.Tests.Fuzz;

/// <summary>
/// Replays every seed input (tests/fuzz/corpus/&lt;target&gt;/) and every input a fuzzing run found a fault with
/// (tests/fuzz/regressions/&lt;target&gt;/) through the same fuzz target AFL++ runs: each must return, never throw.
/// </summary>
public class FuzzCorpusReplayTests
{
    private static readonly string FuzzRoot = Path.Combine(TestPaths.RepoRoot, "tests", "fuzz");

    public static TheoryData<string, string> Inputs()
    {
        var data = new TheoryData<string, string>();
        foreach (var kind in new[] { "corpus", "regressions" })
        {
            var root = Path.Combine(FuzzRoot, kind);
            if (!Directory.Exists(root)) continue;
            foreach (var dir in Directory.GetDirectories(root).OrderBy(d => d, StringComparer.Ordinal))
                foreach (var file in Directory.GetFiles(dir).OrderBy(f => f, StringComparer.Ordinal))
                    data.Add(Path.GetFileName(dir), Path.GetRelativePath(FuzzRoot, file));
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Inputs))]
    public void TargetReturnsForInput(string target, string file)
    {
        Assert.True(FuzzTargets.All.TryGetValue(target, out var run), $"no fuzz target named '{target}' (folder of {file})");
        var bytes = File.ReadAllBytes(Path.Combine(FuzzRoot, file));
        var ex = Record.Exception(() => run!(bytes));
        Assert.Null(ex);
    }

    [Fact]
    public void EveryTargetHasASeedCorpus()
    {
        foreach (var target in FuzzTargets.All.Keys)
        {
            var dir = Path.Combine(FuzzRoot, "corpus", target);
            Assert.True(Directory.Exists(dir) && Directory.GetFiles(dir).Length >= 8, $"tests/fuzz/corpus/{target} needs a seed corpus");
        }
    }

    [Theory]
    [InlineData("relaxed.eml", DkimResult.Pass)]
    [InlineData("simple.eml", DkimResult.Pass)]
    [InlineData("cname-key.eml", DkimResult.Pass)]
    [InlineData("tampered-body.eml", DkimResult.Fail)]
    [InlineData("revoked-key.eml", DkimResult.Fail)]
    [InlineData("unknown-selector.eml", DkimResult.PermError)]
    [InlineData("no-signature.eml", DkimResult.None)]
    public void TheDkimSignatureSeedsReachVerification(string file, DkimResult expected)
    {
        // The seeds must get past parsing into key lookup and cryptography, or the fuzzer starts from the shallow end.
        var verifier = new DkimSignatureVerifier(FuzzTargets.DkimKeyResolver, FuzzTargets.DkimOptions);
        var results = verifier.VerifyAsync(File.ReadAllBytes(Path.Combine(FuzzRoot, "corpus", "dkimsig", file))).GetAwaiter().GetResult();
        Assert.Equal(expected, results[0].Result);
    }

    [Fact]
    public void TheReportTargetFlagsAProgrammingErrorTurnedIntoAProblem()
    {
        // The report reader turns every exception into a problem row; the target must still see internal errors.
        Assert.True(FuzzTargets.IsProgrammingError("the content could not be read (NullReferenceException): Object reference not set"));
        Assert.False(FuzzTargets.IsProgrammingError("invalid XML: Unexpected end of file"));
    }
}
