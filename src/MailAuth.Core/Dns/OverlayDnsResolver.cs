using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;

namespace MailAuth.Dns
{
    /// <summary>
    /// Answers questions for which it holds records (same name and type) from those records, and asks the inner
    /// resolver everything else. Lets an analyser judge a record that is not published yet (a zone about to be
    /// imported, records piped from Windows DNS Server) while the names it refers to resolve as usual.
    /// Never throws for DNS outcomes: without an inner resolver, other questions are
    /// <see cref="DnsLookupStatus.NotAvailableOffline"/>.
    /// </summary>
    public sealed class OverlayDnsResolver : IDnsResolver
    {
        private readonly Dictionary<(string, DnsRecordType), List<DnsResourceRecord>> _records = new Dictionary<(string, DnsRecordType), List<DnsResourceRecord>>();
        private readonly string _source;

        /// <param name="inner">Asked for every question the overlay holds no records for; null to answer nothing else.</param>
        /// <param name="records">The records that take precedence (their names are compared case-insensitively).</param>
        /// <param name="source">What <see cref="DnsLookupResult.Source"/> says for overlay answers.</param>
        public OverlayDnsResolver(IDnsResolver? inner, IEnumerable<DnsResourceRecord> records, string source = "given records")
        {
            if (records is null) throw new ArgumentNullException(nameof(records));
            Inner = inner;
            _source = source;
            foreach (var r in records.Where(r => r != null))
            {
                var key = (r.Name, r.RecordType);
                if (!_records.TryGetValue(key, out var list)) _records[key] = list = new List<DnsResourceRecord>();
                list.Add(r);
            }
        }

        public IDnsResolver? Inner { get; }

        /// <inheritdoc />
        public Task<DnsLookupResult> QueryAsync(string name, DnsRecordType type, CancellationToken cancellationToken = default)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var n = DnsName.Normalize(name);
            if (_records.TryGetValue((n, type), out var list))
                return Task.FromResult(new DnsLookupResult(n, type, DnsLookupStatus.Success, list, source: _source, authoritative: true));
            if (Inner != null) return Inner.QueryAsync(name, type, cancellationToken);
            return Task.FromResult(new DnsLookupResult(n, type, DnsLookupStatus.NotAvailableOffline, source: _source,
                errorMessage: $"'{n}' is not among the given records and no resolver was given."));
        }
    }
}
