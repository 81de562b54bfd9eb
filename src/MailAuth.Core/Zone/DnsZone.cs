using System;
using System.Collections.Generic;
using System.Linq;
using MailAuth.Dns;

namespace MailAuth.Zone
{
    /// <summary>
    /// The records of one zone, indexed by owner name, with the existence rules a resolver needs: a name exists when
    /// it owns records or when a name below it does (an empty non-terminal, RFC 4592 §2.2.2 / RFC 8020).
    /// </summary>
    public sealed class DnsZone
    {
        private static readonly IReadOnlyList<DnsResourceRecord> None = Array.Empty<DnsResourceRecord>();
        private readonly Dictionary<string, List<DnsResourceRecord>> _byName = new Dictionary<string, List<DnsResourceRecord>>(StringComparer.Ordinal);
        private readonly HashSet<string> _existing = new HashSet<string>(StringComparer.Ordinal);
        private readonly List<string> _delegations = new List<string>();

        /// <summary>Creates a zone. Records whose owner is not at or under <paramref name="origin"/> are kept in
        /// <see cref="Records"/> but are never reachable through a resolver (the parser drops them with a warning).</summary>
        public DnsZone(string origin, IEnumerable<DnsResourceRecord> records, string? sourceName = null)
        {
            if (records is null) throw new ArgumentNullException(nameof(records));
            Origin = DnsName.Normalize(origin);
            SourceName = sourceName;
            var list = records.Where(r => r != null).ToList();
            Records = list.AsReadOnly();
            foreach (var r in list)
            {
                if (!_byName.TryGetValue(r.Name, out var bucket)) _byName[r.Name] = bucket = new List<DnsResourceRecord>();
                bucket.Add(r);
                if (!DnsName.IsSubdomainOf(r.Name, Origin)) continue;
                // The owner and every ancestor up to the origin exist.
                var n = r.Name;
                while (_existing.Add(n) && n.Length > Origin.Length)
                {
                    var dot = n.IndexOf('.');
                    n = dot < 0 ? string.Empty : n.Substring(dot + 1);
                }
                if (r.RecordType == DnsRecordType.NS && r.Name != Origin && !_delegations.Contains(r.Name)) _delegations.Add(r.Name);
            }
            _existing.Add(Origin);
            Soa = list.FirstOrDefault(r => r.RecordType == DnsRecordType.SOA && r.Name == Origin);
        }

        /// <summary>The zone apex, lower case, without the trailing dot ("" for the root zone).</summary>
        public string Origin { get; }

        /// <summary>The file the zone was read from, when known.</summary>
        public string? SourceName { get; }

        /// <summary>All records, in file order.</summary>
        public IReadOnlyList<DnsResourceRecord> Records { get; }

        /// <summary>The SOA record at the apex, or null when the file had none.</summary>
        public DnsResourceRecord? Soa { get; }

        /// <summary>Owner names that hold at least one record.</summary>
        public IReadOnlyCollection<string> OwnerNames => _byName.Keys;

        /// <summary>True when <paramref name="name"/> is the origin or lies under it.</summary>
        public bool Contains(string name) => DnsName.IsSubdomainOf(name, Origin);

        /// <summary>Every record owned by <paramref name="name"/> (exact match, no wildcard expansion).</summary>
        public IReadOnlyList<DnsResourceRecord> GetRecords(string name) =>
            _byName.TryGetValue(DnsName.Normalize(name), out var list) ? list : None;

        /// <summary>The records of one type owned by <paramref name="name"/> (exact match, no wildcard expansion).</summary>
        public IReadOnlyList<DnsResourceRecord> GetRecords(string name, DnsRecordType type) =>
            _byName.TryGetValue(DnsName.Normalize(name), out var list) ? list.Where(r => r.RecordType == type).ToList() : None;

        /// <summary>True when the name owns at least one record.</summary>
        public bool HasRecords(string name) => _byName.ContainsKey(DnsName.Normalize(name));

        /// <summary>True when the name owns records or is an empty non-terminal (some name below it owns records),
        /// and it lies in the zone.</summary>
        public bool NameExists(string name) => _existing.Contains(DnsName.Normalize(name));

        /// <summary>
        /// The delegation point (a name below the apex that owns NS records, RFC 1034 §4.2.1) at or above
        /// <paramref name="name"/>, or null when the name is not below a zone cut. The closest cut to the apex wins.
        /// </summary>
        public string? FindDelegation(string name)
        {
            var n = DnsName.Normalize(name);
            string? found = null;
            foreach (var cut in _delegations)
            {
                if (DnsName.IsSubdomainOf(n, cut) && (found is null || cut.Length < found.Length)) found = cut;
            }
            return found;
        }

        public override string ToString() => $"zone {(Origin.Length == 0 ? "." : Origin)} ({Records.Count} records)";
    }
}
