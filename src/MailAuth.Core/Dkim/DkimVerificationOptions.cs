using System;

namespace MailAuth.Dkim
{
    /// <summary>Settings of <see cref="DkimSignatureVerifier"/>, fixed before verification starts.</summary>
    public sealed class DkimVerificationOptions
    {
        /// <summary>The defaults: RSA keys of at least 1024 bits, at most 20 signatures, the current time.</summary>
        public static DkimVerificationOptions Default { get; } = new DkimVerificationOptions();

        /// <summary>The time signatures are judged at (x= expiry); null for the current time.</summary>
        public DateTimeOffset? Now { get; init; }

        /// <summary>RSA keys below this size fail (RFC 8301 §3.2: 1024).</summary>
        public int MinimumRsaKeyBits { get; init; } = 1024;

        /// <summary>At most this many DKIM-Signature fields are checked (each costs a DNS lookup).</summary>
        public int MaxSignatures { get; init; } = 20;

        /// <summary>
        /// Maps a domain to its organisational domain for relaxed alignment (RFC 7489 §3.2). Null uses
        /// <see cref="DkimAlignment.OrganizationalDomain"/>, the bundled Public Suffix List.
        /// </summary>
        public Func<string, string>? OrganizationalDomain { get; init; }
    }
}
