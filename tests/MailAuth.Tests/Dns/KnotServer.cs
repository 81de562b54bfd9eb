using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;
using MailAuth.Dns;
using Xunit;

namespace MailAuth.Tests.Dns;

/// <summary>
/// A real authoritative DNS server (Knot DNS, <c>/usr/sbin/knotd</c>) for tests: writes a configuration and the zone
/// files into a temporary folder, listens on 127.0.0.1 on a free port for UDP and TCP, and is killed on dispose.
/// No root needed: rundir, storage, database and the control socket all live in the temporary folder.
/// <para>
/// Zone texts are RFC 1035 master files relative to their origin; when a text has no SOA record a default
/// SOA and NS are put in front. A zone whose text does not load is still configured, so knot answers
/// SERVFAIL for it; a name in no configured zone is answered REFUSED.
/// </para>
/// <para>
/// When knotd is missing, <see cref="StartAsync"/> throws (the test fails) naming the Debian package <c>knot</c>,
/// unless the environment variable MAILAUTH_SKIP_LIVE_DNS=1 is set: then the test is skipped.
/// </para>
/// </summary>
public sealed class KnotServer : IAsyncDisposable, IDisposable
{
    public const string SkipVariable = "MAILAUTH_SKIP_LIVE_DNS";
    private static readonly TimeSpan StartBound = TimeSpan.FromSeconds(5);

    private readonly Process _process;
    private readonly StringBuilder _log;
    private bool _disposed;

    private KnotServer(Process process, StringBuilder log, string folder, int port)
    {
        _process = process;
        _log = log;
        Folder = folder;
        Port = port;
        Endpoint = new DnsServerEndpoint(IPAddress.Loopback, port);
    }

    /// <summary>127.0.0.1 and the port knot listens on (UDP and TCP).</summary>
    public DnsServerEndpoint Endpoint { get; }
    public int Port { get; }
    /// <summary>The temporary folder with knot.conf, zones/, run/ and db/.</summary>
    public string Folder { get; }

    /// <summary>What knotd wrote to stderr so far (for failure messages).</summary>
    public string Log { get { lock (_log) return _log.ToString(); } }

    /// <summary>Path of knotd (MAILAUTH_KNOTD when set, else /usr/sbin/knotd or PATH), or null when it is not installed.</summary>
    public static string? FindKnotd()
    {
        var overridden = Environment.GetEnvironmentVariable("MAILAUTH_KNOTD");
        if (!string.IsNullOrEmpty(overridden)) return File.Exists(overridden) ? overridden : null;
        if (File.Exists("/usr/sbin/knotd")) return "/usr/sbin/knotd";
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator))
        {
            if (dir.Length == 0) continue;
            var candidate = Path.Combine(dir, "knotd");
            if (File.Exists(candidate)) return candidate;
        }
        return null;
    }

    /// <summary>True when MAILAUTH_SKIP_LIVE_DNS=1.</summary>
    public static bool SkipRequested => Environment.GetEnvironmentVariable(SkipVariable) == "1";

    /// <summary>
    /// Skips the test when MAILAUTH_SKIP_LIVE_DNS=1; otherwise throws when knotd is missing, naming the package.
    /// Returns the path of knotd.
    /// </summary>
    public static string RequireKnotd()
    {
        Skip.If(SkipRequested, $"{SkipVariable}=1: live DNS tests against Knot DNS are skipped.");
        return FindKnotd() ?? throw new InvalidOperationException(
            "knotd (Knot DNS) is not installed, and the live DNS tests need it: install the Debian package 'knot' " +
            $"(apt-get install knot; .ci/run does this), or set {SkipVariable}=1 to skip these tests.");
    }

    /// <summary>Starts knot serving the given zones and waits (at most ~5 s) until it answers for each.</summary>
    public static async Task<KnotServer> StartAsync(params (string Origin, string ZoneText)[] zones)
    {
        var knotd = RequireKnotd();
        if (zones.Length == 0) throw new ArgumentException("Give at least one zone.", nameof(zones));

        Exception? lastError = null;
        for (int attempt = 0; attempt < 3; attempt++)
        {
            var folder = Path.Combine(Path.GetTempPath(), "mailauth-knot-" + Guid.NewGuid().ToString("N").Substring(0, 12));
            var port = FreePort();
            WriteConfiguration(folder, port, zones);
            var log = new StringBuilder();
            var psi = new ProcessStartInfo(knotd)
            {
                RedirectStandardError = true,
                RedirectStandardOutput = true,
                UseShellExecute = false,
            };
            psi.ArgumentList.Add("-c");
            psi.ArgumentList.Add(Path.Combine(folder, "knot.conf"));
            var process = new Process { StartInfo = psi };
            process.ErrorDataReceived += (_, e) => { if (e.Data != null) lock (log) log.AppendLine(e.Data); };
            process.OutputDataReceived += (_, e) => { if (e.Data != null) lock (log) log.AppendLine(e.Data); };
            process.Start();
            process.BeginErrorReadLine();
            process.BeginOutputReadLine();

            var server = new KnotServer(process, log, folder, port);
            try
            {
                await server.WaitUntilReadyAsync(zones.Select(z => DnsName.Normalize(z.Origin)).ToArray()).ConfigureAwait(false);
                return server;
            }
            catch (Exception ex)
            {
                lastError = ex;
                await server.DisposeAsync().ConfigureAwait(false);
                // A port taken between choosing and binding: try another one.
                if (!ex.Message.Contains("bind", StringComparison.OrdinalIgnoreCase) &&
                    !ex.Message.Contains("address already in use", StringComparison.OrdinalIgnoreCase)) break;
            }
        }
        throw new InvalidOperationException("Knot DNS did not start: " + lastError?.Message, lastError);
    }

    private async Task WaitUntilReadyAsync(string[] origins)
    {
        var options = new DnsResolverOptions
        {
            Servers = new[] { Endpoint },
            Timeout = TimeSpan.FromMilliseconds(250),
            Retries = 0,
        };
        using var resolver = new LiveDnsResolver(options);
        var pending = new HashSet<string>(origins);
        var watch = Stopwatch.StartNew();
        while (true)
        {
            if (_process.HasExited)
                throw new InvalidOperationException($"knotd exited with code {_process.ExitCode}:\n{Log}");

            foreach (var origin in pending.ToArray())
            {
                var result = await resolver.QueryAsync(origin, DnsRecordType.SOA).ConfigureAwait(false);
                // A zone that failed to load stays SERVFAIL: knot logs that, so it is ready too.
                if (result.Status == DnsLookupStatus.Success || Log.Contains($"[{origin}.] zone event 'load' failed", StringComparison.Ordinal))
                    pending.Remove(origin);
            }
            if (pending.Count == 0) return;
            if (watch.Elapsed > StartBound)
                throw new InvalidOperationException(
                    $"knotd on 127.0.0.1@{Port} did not answer for {string.Join(", ", pending)} within {StartBound.TotalSeconds} s:\n{Log}");
            await Task.Delay(50).ConfigureAwait(false);
        }
    }

    private static readonly Regex SoaPattern = new(@"(^|\s)SOA(\s|$)", RegexOptions.IgnoreCase | RegexOptions.Multiline);

    /// <summary>The zone text with $ORIGIN/$TTL in front, and a default SOA and NS when it has no SOA.</summary>
    public static string CompleteZoneText(string origin, string zoneText)
    {
        var o = DnsName.Normalize(origin) + ".";
        var sb = new StringBuilder();
        sb.Append("$ORIGIN ").Append(o).Append('\n');
        sb.Append("$TTL 300\n");
        if (!SoaPattern.IsMatch(zoneText))
        {
            sb.Append("@ IN SOA ns1.").Append(o).Append(" hostmaster.").Append(o).Append(" 1 3600 600 86400 60\n");
            sb.Append("@ IN NS ns1.").Append(o).Append('\n');
        }
        sb.Append(zoneText);
        if (!zoneText.EndsWith('\n')) sb.Append('\n');
        return sb.ToString();
    }

    private static void WriteConfiguration(string folder, int port, (string Origin, string ZoneText)[] zones)
    {
        var zonesDir = Path.Combine(folder, "zones");
        var runDir = Path.Combine(folder, "run");
        var dbDir = Path.Combine(folder, "db");
        Directory.CreateDirectory(zonesDir);
        Directory.CreateDirectory(runDir);
        Directory.CreateDirectory(dbDir);

        var conf = new StringBuilder();
        conf.Append("server:\n");
        conf.Append($"    rundir: \"{runDir}\"\n");
        conf.Append($"    listen: 127.0.0.1@{port}\n");
        conf.Append("    udp-workers: 2\n");
        conf.Append("    tcp-workers: 2\n");
        conf.Append("    background-workers: 1\n");
        conf.Append("control:\n");
        conf.Append($"    listen: \"{Path.Combine(runDir, "knot.sock")}\"\n");
        conf.Append("database:\n");
        conf.Append($"    storage: \"{dbDir}\"\n");
        conf.Append("log:\n  - target: stderr\n    any: info\n");
        conf.Append("template:\n  - id: default\n");
        conf.Append($"    storage: \"{zonesDir}\"\n");
        conf.Append("    file: \"%s.zone\"\n");
        conf.Append("    zonefile-sync: -1\n");
        conf.Append("    zonefile-load: whole\n");
        conf.Append("    journal-content: none\n");
        conf.Append("    semantic-checks: off\n");
        conf.Append("zone:\n");
        foreach (var (origin, text) in zones)
        {
            var name = DnsName.Normalize(origin);
            conf.Append($"  - domain: {name}.\n");
            File.WriteAllText(Path.Combine(zonesDir, name + ".zone"), CompleteZoneText(name, text ?? string.Empty));
        }
        File.WriteAllText(Path.Combine(folder, "knot.conf"), conf.ToString());
    }

    /// <summary>A port free for both UDP and TCP on 127.0.0.1 at the time of the call.</summary>
    public static int FreePort()
    {
        for (int i = 0; i < 20; i++)
        {
            using var udp = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
            udp.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            var port = ((IPEndPoint)udp.LocalEndPoint!).Port;
            try
            {
                using var tcp = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                tcp.Bind(new IPEndPoint(IPAddress.Loopback, port));
                return port;
            }
            catch (SocketException)
            {
                // taken for TCP: try another
            }
        }
        throw new InvalidOperationException("No free port on 127.0.0.1.");
    }

    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit(5000);
            }
        }
        catch (InvalidOperationException)
        {
            // already gone
        }
        _process.Dispose();
        try { Directory.Delete(Folder, recursive: true); }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }

    public ValueTask DisposeAsync()
    {
        Dispose();
        return ValueTask.CompletedTask;
    }
}
