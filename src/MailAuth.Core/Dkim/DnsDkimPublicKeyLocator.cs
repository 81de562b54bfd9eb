using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using MailAuth.Dns;
using MimeKit.Cryptography;
using Org.BouncyCastle.Crypto;

namespace MailAuth.Dkim
{
    /// <summary>The outcome of fetching the key record for one (domain, selector) (RFC 6376 §6.1.2).</summary>
    public sealed class DkimKeyLookup
    {
        internal DkimKeyLookup(string keyName, DnsLookupResult answer, DkimKeyRecord? record, int recordCount)
        {
            KeyName = keyName;
            Status = answer.Status;
            CnameChain = answer.CnameChain;
            Source = answer.Source;
            ErrorMessage = answer.ErrorMessage;
            Record = record;
            RecordCount = recordCount;
        }

        /// <summary>&lt;selector&gt;._domainkey.&lt;domain&gt;.</summary>
        public string KeyName { get; }
        public DnsLookupStatus Status { get; }
        public IReadOnlyList<string> CnameChain { get; }
        public string? Source { get; }
        public string? ErrorMessage { get; }
        /// <summary>The key record used (the first TXT record that looks like one), or null when none was found.</summary>
        public DkimKeyRecord? Record { get; }
        /// <summary>How many TXT records the name has.</summary>
        public int RecordCount { get; }
        /// <summary>True when the lookup failed transiently (the verifier's answer is then temperror).</summary>
        public bool IsTransientFailure => Status.IsTransientFailure();
    }

    /// <summary>Thrown to MimeKit when no usable key exists for a (domain, selector).</summary>
    public sealed class DkimKeyNotAvailableException : Exception
    {
        public DkimKeyNotAvailableException(DkimKeyLookup lookup, string message) : base(message) { Lookup = lookup; }

        public DkimKeyLookup Lookup { get; }
    }

    /// <summary>
    /// A MimeKit key locator that fetches DKIM keys through MailAuth's <see cref="IDnsResolver"/> (so zone files,
    /// chosen servers and test servers work), decodes them with <see cref="DkimKeyRecord"/> (RSA as
    /// SubjectPublicKeyInfo or bare RSAPublicKey, Ed25519 raw) and remembers every lookup for the verifier's report.
    /// </summary>
    public sealed class DnsDkimPublicKeyLocator : DkimPublicKeyLocatorBase
    {
        private readonly IDnsResolver _resolver;
        private readonly Dictionary<string, Task<DkimKeyLookup>> _cache = new Dictionary<string, Task<DkimKeyLookup>>(StringComparer.Ordinal);

        public DnsDkimPublicKeyLocator(IDnsResolver resolver)
        {
            _resolver = resolver ?? throw new ArgumentNullException(nameof(resolver));
        }

        /// <summary>Looks up and parses the key record of (<paramref name="domain"/>, <paramref name="selector"/>), once per locator.</summary>
        public Task<DkimKeyLookup> LookupAsync(string domain, string selector, CancellationToken cancellationToken = default)
        {
            if (domain is null) throw new ArgumentNullException(nameof(domain));
            if (selector is null) throw new ArgumentNullException(nameof(selector));
            var name = DkimAnalyzer.KeyName(selector, domain);
            lock (_cache)
            {
                if (!_cache.TryGetValue(name, out var task) || task.IsCanceled || task.IsFaulted)
                    _cache[name] = task = FetchAsync(name, cancellationToken);
                return task;
            }
        }

        private async Task<DkimKeyLookup> FetchAsync(string name, CancellationToken cancellationToken)
        {
            var answer = await _resolver.QueryAsync(name, DnsRecordType.TXT, cancellationToken).ConfigureAwait(false);
            var texts = answer.Status == DnsLookupStatus.Success
                ? answer.Records.Where(r => r.RecordType == DnsRecordType.TXT).Select(r => r.Text).ToList()
                : new List<string>();
            var chosen = texts.FirstOrDefault(DkimAnalyzer.LooksLikeKeyRecord) ?? texts.FirstOrDefault();
            return new DkimKeyLookup(name, answer, chosen is null ? null : DkimKeyRecord.Parse(chosen), texts.Count);
        }

        /// <inheritdoc />
        public override AsymmetricKeyParameter LocatePublicKey(string methods, string domain, string selector, CancellationToken cancellationToken = default) =>
            LocatePublicKeyAsync(methods, domain, selector, cancellationToken).GetAwaiter().GetResult();

        /// <inheritdoc />
        /// <exception cref="DkimKeyNotAvailableException">No usable key: not found, lookup failed, revoked or malformed.</exception>
        public override async Task<AsymmetricKeyParameter> LocatePublicKeyAsync(string methods, string domain, string selector, CancellationToken cancellationToken = default)
        {
            var lookup = await LookupAsync(domain, selector, cancellationToken).ConfigureAwait(false);
            var record = lookup.Record;
            if (record?.KeyParameter != null && !record.HasErrors) return record.KeyParameter;
            string why = lookup.IsTransientFailure ? $"the lookup failed ({lookup.Status})"
                : record is null ? "no key record"
                : record.Revoked ? "the key is revoked"
                : "the key record is invalid";
            throw new DkimKeyNotAvailableException(lookup, $"No usable DKIM key at {lookup.KeyName}: {why}.");
        }
    }
}
