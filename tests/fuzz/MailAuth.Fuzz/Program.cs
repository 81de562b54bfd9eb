using System;
using System.IO;
using System.Linq;
using System.Runtime.InteropServices;
using SharpFuzz;

namespace MailAuth.Fuzz
{
    /// <summary>
    /// MailAuth.Fuzz TARGET            run under afl-fuzz (SharpFuzz out-of-process runner; input on stdin or @@ file)
    /// MailAuth.Fuzz TARGET --replay P  run every file under the folder P (or the file P) through the target, no AFL
    /// Targets: spf, dkim, dkimsig, dmarc, zone, report, bounce.
    /// </summary>
    public static class Program
    {
        public static int Main(string[] args)
        {
            if (args.Length == 0 || !FuzzTargets.All.TryGetValue(args[0], out var target))
            {
                Console.Error.WriteLine("usage: MailAuth.Fuzz <" + string.Join("|", FuzzTargets.All.Keys) + "> [--replay <folder-or-file>]");
                return 2;
            }
            if (args.Length >= 3 && args[1] == "--replay")
            {
                var files = Directory.Exists(args[2]) ? Directory.GetFiles(args[2], "*", SearchOption.AllDirectories).OrderBy(f => f, StringComparer.Ordinal).ToArray() : new[] { args[2] };
                // The instrumented core writes its branch trace to AFL's shared memory; without AFL, give it a private buffer.
                unsafe { SharpFuzz.Common.Trace.SharedMem = (byte*)Marshal.AllocHGlobal(1 << 16); }
                int failed = 0;
                foreach (var file in files)
                {
                    try { target(File.ReadAllBytes(file)); }
                    catch (Exception ex) { failed++; Console.Error.WriteLine($"{file}: {ex.GetType().Name}: {ex.Message}"); }
                }
                Console.WriteLine($"{args[0]}: {files.Length} inputs replayed, {failed} failed");
                return failed == 0 ? 0 : 1;
            }
            Fuzzer.OutOfProcess.Run(stream =>
            {
                using var buffer = new MemoryStream();
                stream.CopyTo(buffer);
                target(buffer.ToArray());
            });
            return 0;
        }
    }
}
