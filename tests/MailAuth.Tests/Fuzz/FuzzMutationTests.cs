using CsCheck;
using MailAuth.Fuzz;
using Xunit;

namespace MailAuth.Tests.Fuzz;

/// <summary>
/// A small mutation fuzzer in the normal test run: CsCheck mutates the seed corpus of each target (byte flips,
/// inserts of interesting bytes, deletions, duplications, splices of two seeds) and the mutant goes through the same
/// fuzz target AFL++ runs. It must return. A failure prints the CsCheck seed that reproduces it; AFL++ runs
/// (tests/fuzz/run-fuzz.sh) go much further, this keeps the targets honest between them.
/// </summary>
public class FuzzMutationTests
{
    private static readonly string CorpusRoot = Path.Combine(TestPaths.RepoRoot, "tests", "fuzz", "corpus");

    private static readonly byte[] Interesting = "\0\r\n\t ;:=,.%{}[]<>\"\\/-+!~@*0\u00ff"u8.ToArray().Concat(new byte[] { 0x80, 0xc3, 0xef, 0xbb, 0xbf, 0xfe, 0x7f }).ToArray();

    public static TheoryData<string> Targets()
    {
        var data = new TheoryData<string>();
        foreach (var name in FuzzTargets.All.Keys.OrderBy(k => k, StringComparer.Ordinal)) data.Add(name);
        return data;
    }

    private static Gen<byte[]> Mutants(byte[][] seeds)
    {
        // One edit: (kind, position, length, byte, other seed).
        var edit = Gen.Select(Gen.Int[0, 5], Gen.Int[0, int.MaxValue], Gen.Int[1, 64], Gen.Int[0, Interesting.Length - 1], Gen.Int[0, seeds.Length - 1]);
        return Gen.Select(Gen.Int[0, seeds.Length - 1], edit.Array[1, 8], (s, edits) =>
        {
            var bytes = new List<byte>(seeds[s]);
            foreach (var (kind, pos, len, b, other) in edits)
            {
                int at = bytes.Count == 0 ? 0 : pos % (bytes.Count + 1);
                int n = Math.Min(len, bytes.Count - at);
                switch (kind)
                {
                    case 0: if (at < bytes.Count) bytes[at] ^= (byte)(1 << (len % 8)); break;
                    case 1: bytes.Insert(at, Interesting[b]); break;
                    case 2: if (n > 0) bytes.RemoveRange(at, n); break;
                    case 3: if (n > 0) bytes.InsertRange(at, bytes.GetRange(at, n)); break;
                    case 4:
                        var o = seeds[other];
                        int from = o.Length == 0 ? 0 : pos % o.Length;
                        bytes.InsertRange(at, o.Skip(from).Take(len * 4));
                        break;
                    default: if (at < bytes.Count) bytes[at] = Interesting[b]; break;
                }
            }
            return bytes.ToArray();
        });
    }

    [Theory]
    [MemberData(nameof(Targets))]
    public void MutatedSeedsDoNotThrow(string target)
    {
        var dir = Path.Combine(CorpusRoot, target);
        var seeds = Directory.GetFiles(dir).OrderBy(f => f, StringComparer.Ordinal).Select(File.ReadAllBytes).ToArray();
        Assert.NotEmpty(seeds);
        var run = FuzzTargets.All[target];
        int runs = 0;
        Mutants(seeds).Sample(bytes =>
        {
            run(bytes);
            Interlocked.Increment(ref runs);
        }, iter: 300, threads: 1);
        Assert.Equal(300, runs);
    }
}
