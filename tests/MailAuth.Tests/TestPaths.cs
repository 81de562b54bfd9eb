namespace MailAuth.Tests;

/// <summary>Locates the repository and the shared conformance data (../shared beside the repository).</summary>
public static class TestPaths
{
    public static string RepoRoot { get; } = FindRepoRoot();

    /// <summary>../shared/conformance, or null when that folder is absent (tests then skip with a message).</summary>
    public static string? ConformanceRoot
    {
        get
        {
            var env = Environment.GetEnvironmentVariable("MAILAUTH_SHARED");
            var shared = env ?? Path.GetFullPath(Path.Combine(RepoRoot, "..", "shared"));
            var conf = Path.Combine(shared, "conformance");
            return Directory.Exists(conf) ? conf : null;
        }
    }

    public const string ConformanceMissing = "../shared/conformance is absent: conformance tests need the shared test suites and are skipped.";

    private static string FindRepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir != null && !File.Exists(Path.Combine(dir.FullName, "MailAuthTools.sln"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("MailAuthTools.sln not found above " + AppContext.BaseDirectory);
    }
}
