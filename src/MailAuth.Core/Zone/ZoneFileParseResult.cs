using System.Collections.Generic;
using System.Linq;
using MailAuth.Findings;

namespace MailAuth.Zone
{
    /// <summary>What <see cref="ZoneFileParser"/> returns: the zone as far as it could be read, plus every problem found.</summary>
    public sealed class ZoneFileParseResult
    {
        internal ZoneFileParseResult(DnsZone zone, IReadOnlyList<ZoneFileDiagnostic> diagnostics)
        {
            Zone = zone;
            Diagnostics = diagnostics;
        }

        /// <summary>The zone: its origin and the records that could be read (never null; may hold no records).</summary>
        public DnsZone Zone { get; }

        /// <summary>Problems and notes, in file order.</summary>
        public IReadOnlyList<ZoneFileDiagnostic> Diagnostics { get; }

        /// <summary>True when at least one diagnostic is an <see cref="FindingSeverity.Error"/>.</summary>
        public bool HasErrors => Diagnostics.Any(d => d.Severity == FindingSeverity.Error);

        public override string ToString() => $"{Zone} ({Diagnostics.Count} diagnostics)";
    }
}
