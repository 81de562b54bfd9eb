using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using MailAuth.Dns;
using MimeKit;
using MimeKit.Cryptography;
using Org.BouncyCastle.Crypto.Parameters;

namespace MailAuth.Dkim
{
    /// <summary>
    /// Verifies every DKIM-Signature of a raw RFC 5322 message (RFC 6376 §6). Canonicalisation and the cryptography
    /// are MimeKit's <see cref="DkimVerifier"/>; keys come through <see cref="DnsDkimPublicKeyLocator"/> over MailAuth's
    /// resolver. Around that, this class checks the signature's tags, the key record's restrictions and the policy of
    /// RFC 8301 (no rsa-sha1, no RSA key under 1024 bits) and names the reason for every result.
    /// Bad input never throws: a message that cannot be read, has no signature or a malformed one gives a typed result.
    /// Only <see cref="OperationCanceledException"/> escapes.
    /// </summary>
    public sealed class DkimSignatureVerifier
    {
        private readonly IDnsResolver _resolver;
        private readonly DkimVerificationOptions _options;

        public DkimSignatureVerifier(IDnsResolver resolver, DkimVerificationOptions? options = null)
        {
            _resolver = resolver ?? throw new ArgumentNullException(nameof(resolver));
            _options = options ?? DkimVerificationOptions.Default;
        }

        /// <summary>Verifies the signatures of a message given as text (UTF-8 is used to get its octets).</summary>
        public Task<IReadOnlyList<DkimSignatureResult>> VerifyAsync(string message, CancellationToken cancellationToken = default)
        {
            if (message is null) throw new ArgumentNullException(nameof(message));
            return VerifyAsync(Encoding.UTF8.GetBytes(message), cancellationToken);
        }

        /// <summary>Verifies the signatures of a message given as its raw octets.</summary>
        public async Task<IReadOnlyList<DkimSignatureResult>> VerifyAsync(byte[] message, CancellationToken cancellationToken = default)
        {
            if (message is null) throw new ArgumentNullException(nameof(message));
            using (var stream = new MemoryStream(message, false))
                return await VerifyAsync(stream, cancellationToken).ConfigureAwait(false);
        }

        /// <summary>Verifies the signatures of a message read from <paramref name="stream"/>; one result per DKIM-Signature, top to bottom.</summary>
        public async Task<IReadOnlyList<DkimSignatureResult>> VerifyAsync(Stream stream, CancellationToken cancellationToken = default)
        {
            if (stream is null) throw new ArgumentNullException(nameof(stream));
            MimeMessage message;
            try
            {
                message = await MimeMessage.LoadAsync(ParserOptions.Default, stream, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) { throw; }
            catch (Exception ex)
            {
                return new[] { Single(DkimResult.PermError, DkimFailureReason.MessageUnreadable, "The input could not be read as an RFC 5322 message: " + ex.Message) };
            }

            var signatures = message.Headers.Where(h => h.Id == HeaderId.DkimSignature).ToList();
            var fromDomain = FromDomainOf(message);
            if (signatures.Count == 0)
            {
                var none = Single(DkimResult.None, DkimFailureReason.NoSignature,
                    message.Headers.Count == 0 ? "The input has no header fields; it is not a message, or it is empty." : "The message has no DKIM-Signature header field.");
                none.FromDomain = fromDomain;
                return new[] { none };
            }

            var locator = new DnsDkimPublicKeyLocator(_resolver);
            var results = new List<DkimSignatureResult>();
            for (int i = 0; i < signatures.Count; i++)
            {
                var result = new DkimSignatureResult(i + 1) { FromDomain = fromDomain };
                if (i >= _options.MaxSignatures)
                {
                    Set(result, DkimResult.PermError, DkimFailureReason.TooManySignatures,
                        $"The message has {signatures.Count} DKIM-Signature fields; only the first {_options.MaxSignatures} are checked.");
                }
                else
                {
                    try { await VerifyOneAsync(message, signatures[i], result, locator, cancellationToken).ConfigureAwait(false); }
                    catch (OperationCanceledException) { throw; }
                    catch (Exception ex) { Set(result, DkimResult.PermError, DkimFailureReason.VerificationError, "Verification failed: " + ex.Message); }
                }
                results.Add(result);
            }
            return results;
        }

        private static DkimSignatureResult Single(DkimResult result, DkimFailureReason reason, string detail)
        {
            var r = new DkimSignatureResult(0);
            Set(r, result, reason, detail);
            return r;
        }

        private static void Set(DkimSignatureResult r, DkimResult result, DkimFailureReason reason, string detail)
        {
            r.Result = result;
            r.Reason = reason;
            r.Detail = detail;
        }

        /// <summary>The domain of the single From address (A-label form), or null when there is none, several, or several From fields.</summary>
        private static string? FromDomainOf(MimeMessage message)
        {
            try
            {
                if (message.Headers.Count(h => h.Id == HeaderId.From) != 1) return null;
                var domains = message.From.Mailboxes.Select(m => m.Domain).Where(d => !string.IsNullOrEmpty(d)).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
                if (domains.Count != 1) return null;
                return DnsName.TryNormalizeDomain(domains[0], out var n, out _) ? n : null;
            }
            catch (Exception) { return null; }
        }

        private async Task VerifyOneAsync(MimeMessage message, Header header, DkimSignatureResult r, DnsDkimPublicKeyLocator locator, CancellationToken ct)
        {
            var raw = Latin1(header.RawValue);
            r.Header = Unfold(raw);
            var tags = DkimTagList.Parse(raw);
            string Tag(string name) => tags[name] ?? string.Empty;

            r.Domain = tags["d"];
            r.Selector = tags["s"];
            r.Algorithm = tags["a"];
            r.Identity = tags["i"];
            if (tags["h"] is string h)
                r.SignedHeaders = h.Split(':').Select(x => x.Trim(' ', '\t', '\r', '\n')).Where(x => x.Length > 0).ToList().AsReadOnly();
            r.Canonicalization = Canonicalization(tags["c"], out var headerCanon, out var bodyCanon);
            r.AlignedStrict = DkimAlignment.IsStrictlyAligned(r.Domain, r.FromDomain);
            r.AlignedRelaxed = DkimAlignment.IsRelaxedAligned(r.Domain, r.FromDomain, _options.OrganizationalDomain);

            void Malformed(string why) => Set(r, DkimResult.PermError, DkimFailureReason.MalformedSignature, why);

            // RFC 6376 §3.5 and §6.1.1: the signature's own syntax and required tags.
            var firstError = tags.Diagnostics.FirstOrDefault(d => d.IsError);
            if (firstError != null) { Malformed("The DKIM-Signature is not a valid tag list: " + firstError.Message); return; }
            foreach (var required in new[] { "v", "a", "b", "bh", "d", "h", "s" })
                if (tags.Find(required) is null) { Malformed($"The DKIM-Signature has no {required}= tag, which is required."); return; }
            if (Tag("v") != "1") { Set(r, DkimResult.PermError, DkimFailureReason.UnsupportedVersion, $"v={Tag("v")} is not a DKIM-Signature version this verifier knows (1)."); return; }
            if (!DnsName.TryNormalizeDomain(Tag("d"), out var d, out var dReason)) { Set(r, DkimResult.PermError, DkimFailureReason.InvalidDomain, $"d={Tag("d")} is not a domain name: {dReason}"); return; }
            r.Domain = d;
            if (!DkimAnalyzer.IsValidSelector(Tag("s"), out var sReason)) { Malformed($"s={Tag("s")}: {sReason}"); return; }
            r.Selector = DnsName.Normalize(Tag("s"));
            if (r.Canonicalization is null) { Malformed($"c={Tag("c")} is not a canonicalization (simple or relaxed, optionally header/body)."); return; }
            if (!r.SignedHeaders.Any(x => x.Equals("from", StringComparison.OrdinalIgnoreCase)))
            { Set(r, DkimResult.PermError, DkimFailureReason.FromNotSigned, "h= does not list From; a DKIM signature must sign the From field."); return; }
            if (r.Identity != null)
            {
                int at = r.Identity.LastIndexOf('@');
                var idDomain = at < 0 ? null : r.Identity.Substring(at + 1);
                if (idDomain is null || !DnsName.IsSubdomainOf(idDomain, d))
                { Set(r, DkimResult.PermError, DkimFailureReason.IdentityMismatch, $"i={r.Identity} is not in d={d} or a subdomain of it."); return; }
            }
            if (tags["l"] is string l)
            {
                if (!long.TryParse(l, NumberStyles.None, CultureInfo.InvariantCulture, out var length)) { Malformed($"l={l} is not a number."); return; }
                r.BodyLength = length;
            }
            if (tags["t"] is string t)
            {
                if (!TryTime(t, out var ts)) { Malformed($"t={t} is not a time in seconds."); return; }
                r.Timestamp = ts;
            }
            if (tags["x"] is string x)
            {
                if (!TryTime(x, out var xs)) { Malformed($"x={x} is not a time in seconds."); return; }
                r.Expiration = xs;
                if (r.Timestamp is DateTimeOffset signedAt && xs < signedAt) { Malformed("x= is earlier than t=; the expiry must come after the signing time."); return; }
            }
            if (DkimKeyRecord.ValidateBase64(Tag("b"), out _) is string bError || Tag("b").Trim().Length == 0) { Malformed("b= is not a base64 signature."); return; }
            if (DkimKeyRecord.ValidateBase64(Tag("bh"), out _) != null || Tag("bh").Trim().Length == 0) { Malformed("bh= is not a base64 hash."); return; }

            DkimKeyType expectedKey;
            string hash;
            switch (Tag("a").ToLowerInvariant())
            {
                case "rsa-sha256": expectedKey = DkimKeyType.Rsa; hash = "sha256"; break;
                case "rsa-sha1": expectedKey = DkimKeyType.Rsa; hash = "sha1"; break;
                case "ed25519-sha256": expectedKey = DkimKeyType.Ed25519; hash = "sha256"; break;
                default:
                    Set(r, DkimResult.Neutral, DkimFailureReason.UnsupportedAlgorithm, $"a={Tag("a")} is not an algorithm this verifier implements (rsa-sha256, ed25519-sha256).");
                    return;
            }
            if (tags["q"] is string q && !q.Split(':').Any(m => m.Trim().Equals("dns/txt", StringComparison.OrdinalIgnoreCase)))
            { Set(r, DkimResult.Neutral, DkimFailureReason.UnsupportedQueryMethod, $"q={q} lists no key query method this verifier implements (dns/txt)."); return; }

            // RFC 6376 §6.1.2: the key.
            var lookup = await locator.LookupAsync(d, r.Selector, ct).ConfigureAwait(false);
            r.KeyName = lookup.KeyName;
            if (lookup.IsTransientFailure)
            { Set(r, DkimResult.TempError, DkimFailureReason.KeyLookupFailed, $"The key lookup for {lookup.KeyName} failed ({lookup.Status}{(lookup.ErrorMessage is null ? "" : ": " + lookup.ErrorMessage)})."); return; }
            var key = lookup.Record;
            if (key is null)
            {
                var where = lookup.CnameChain.Count > 0 ? $" (CNAME to {lookup.CnameChain[lookup.CnameChain.Count - 1]}, which has none)" : "";
                Set(r, DkimResult.PermError, DkimFailureReason.KeyNotFound, $"No key record at {lookup.KeyName}{where}.");
                return;
            }
            r.KeyType = key.KeyType;
            r.KeyBits = key.KeyBits;
            r.KeyTesting = key.Testing;
            if (key.Revoked) { Set(r, DkimResult.Fail, DkimFailureReason.KeyRevoked, $"The key at {lookup.KeyName} is revoked (empty p=)."); return; }
            var keyError = key.Diagnostics.FirstOrDefault(x => x.IsError && x.Id != DkimKeyRecord.DiagnosticIds.Sha1Only && x.Id != DkimKeyRecord.DiagnosticIds.UnknownHashAlgorithm && x.Id != DkimKeyRecord.DiagnosticIds.ServiceNotEmail);
            if (keyError != null || key.KeyParameter is null)
            {
                var reason = keyError?.Id == DkimKeyRecord.DiagnosticIds.KeyTypeMismatch ? DkimFailureReason.KeyTypeMismatch : DkimFailureReason.KeyMalformed;
                Set(r, DkimResult.PermError, reason, $"The key record at {lookup.KeyName} is not usable: {keyError?.Message ?? "the key could not be decoded."}");
                return;
            }
            if (key.KeyType != expectedKey)
            { Set(r, DkimResult.PermError, DkimFailureReason.KeyTypeMismatch, $"a={Tag("a")} needs a k={(expectedKey == DkimKeyType.Rsa ? "rsa" : "ed25519")} key, but the key at {lookup.KeyName} is k={key.KeyTypeText}."); return; }
            if (!key.AllowsHash(hash))
            { Set(r, DkimResult.PermError, DkimFailureReason.HashNotPermitted, $"The key's h={string.Join(":", key.HashAlgorithms)} does not allow {hash}."); return; }
            if (!key.AllowsEmail)
            { Set(r, DkimResult.PermError, DkimFailureReason.ServiceNotPermitted, $"The key's s={string.Join(":", key.ServiceTypes)} does not include email."); return; }
            if (key.StrictSubdomains && r.Identity != null)
            {
                var idDomain = r.Identity.Substring(r.Identity.LastIndexOf('@') + 1);
                if (!DnsName.AreEqual(idDomain, d))
                { Set(r, DkimResult.PermError, DkimFailureReason.StrictIdentityMismatch, $"The key has t=s, so i= must be in d={d} itself, not in {idDomain}."); return; }
            }

            // The cryptography, by MimeKit (sha1 and small keys enabled there: the policy is applied below, with the reason).
            var verifier = new ReasonVerifier(locator);
            bool verified;
            try
            {
                verified = await verifier.VerifyAsync(FormatOptions.Default, message, header, ct).ConfigureAwait(false);
            }
            catch (FormatException ex) { Malformed("MimeKit rejected the DKIM-Signature: " + ex.Message); return; }
            catch (DkimKeyNotAvailableException ex) { Set(r, DkimResult.PermError, DkimFailureReason.KeyMalformed, ex.Message); return; }

            DkimFailureReason cryptoReason = DkimFailureReason.None;
            if (!verified)
            {
                var canonBody = bodyCanon;
                bool bodyOk = verifier.BodyHashMatches(message, ToMimeKit(Tag("a")), canonBody, r.BodyLength, Strip(Tag("bh")));
                cryptoReason = bodyOk ? DkimFailureReason.SignatureMismatch : DkimFailureReason.BodyHashMismatch;
            }
            var cryptoText = verified ? "the signature itself verifies"
                : cryptoReason == DkimFailureReason.BodyHashMismatch ? "the body hash does not match either"
                : "the signature does not verify either";

            var now = _options.Now ?? DateTimeOffset.UtcNow;
            if (hash == "sha1")
            { Set(r, DkimResult.Fail, DkimFailureReason.Sha1, $"a=rsa-sha1: verifiers must not accept SHA-1 signatures (RFC 8301 §3.1); {cryptoText}."); return; }
            if (key.KeyParameter is RsaKeyParameters && key.KeyBits < _options.MinimumRsaKeyBits)
            { Set(r, DkimResult.Fail, DkimFailureReason.KeyTooSmall, $"The RSA key has {key.KeyBits} bits; keys under {_options.MinimumRsaKeyBits} bits are not accepted (RFC 8301 §3.2); {cryptoText}."); return; }
            if (r.Expiration is DateTimeOffset expires && expires < now)
            { Set(r, DkimResult.Fail, DkimFailureReason.Expired, $"The signature expired at {expires:u} (x=); {cryptoText}."); return; }
            if (cryptoReason == DkimFailureReason.BodyHashMismatch)
            { Set(r, DkimResult.Fail, cryptoReason, "The body hash (bh=) does not match the message body: the body was changed after signing" + (r.BodyLength is null ? "." : $" (within the first {r.BodyLength} octets signed).")); return; }
            if (cryptoReason == DkimFailureReason.SignatureMismatch)
            { Set(r, DkimResult.Fail, cryptoReason, $"The body hash matches, but the signature (b=) does not verify with the key at {lookup.KeyName}: a signed header field was changed, or the key does not belong to the signer."); return; }
            Set(r, DkimResult.Pass, DkimFailureReason.None,
                $"Verified with the {(key.KeyType == DkimKeyType.Ed25519 ? "Ed25519" : key.KeyBits + "-bit RSA")} key at {lookup.KeyName}{(key.Testing ? " (the key is in testing mode, t=y)" : "")}." +
                (r.BodyLength is long signedLength ? $" Note: l={signedLength} signs only the first {signedLength} octets of the body; text added after them is not covered (RFC 6376 §8.2)." : ""));
        }

        private static DkimSignatureAlgorithm ToMimeKit(string a)
        {
            switch (a.ToLowerInvariant())
            {
                case "rsa-sha1": return DkimSignatureAlgorithm.RsaSha1;
                case "ed25519-sha256": return DkimSignatureAlgorithm.Ed25519Sha256;
                default: return DkimSignatureAlgorithm.RsaSha256;
            }
        }

        /// <summary>c= as "header/body", or null when invalid; absent means simple/simple (RFC 6376 §3.5).</summary>
        private static string? Canonicalization(string? c, out DkimCanonicalizationAlgorithm header, out DkimCanonicalizationAlgorithm body)
        {
            header = body = DkimCanonicalizationAlgorithm.Simple;
            if (c is null) return "simple/simple";
            var parts = c.Trim().ToLowerInvariant().Split('/');
            if (parts.Length > 2) return null;
            if (!TryCanon(parts[0], out header)) return null;
            if (parts.Length == 2 && !TryCanon(parts[1], out body)) return null;
            return (header == DkimCanonicalizationAlgorithm.Relaxed ? "relaxed" : "simple") + "/" + (body == DkimCanonicalizationAlgorithm.Relaxed ? "relaxed" : "simple");
        }

        private static bool TryCanon(string s, out DkimCanonicalizationAlgorithm value)
        {
            value = DkimCanonicalizationAlgorithm.Simple;
            if (s == "simple") return true;
            if (s == "relaxed") { value = DkimCanonicalizationAlgorithm.Relaxed; return true; }
            return false;
        }

        private static bool TryTime(string text, out DateTimeOffset value)
        {
            value = default;
            if (!long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) || seconds > 253402300799L) return false;
            value = DateTimeOffset.FromUnixTimeSeconds(seconds);
            return true;
        }

        private static string Latin1(byte[] bytes)
        {
            var chars = new char[bytes.Length];
            for (int i = 0; i < bytes.Length; i++) chars[i] = (char)bytes[i];
            return new string(chars);
        }

        private static string Unfold(string raw) => raw.Replace("\r\n", "").Replace("\n", "").Trim();

        private static string Strip(string s)
        {
            var sb = new StringBuilder(s.Length);
            foreach (var c in s) if (!DkimTagList.IsWhiteSpace(c)) sb.Append(c);
            return sb.ToString();
        }

        /// <summary>MimeKit's verifier with every algorithm and key size enabled, plus access to its body-hash check.</summary>
        private sealed class ReasonVerifier : DkimVerifier
        {
            public ReasonVerifier(IDkimPublicKeyLocator locator) : base(locator)
            {
                Enable(DkimSignatureAlgorithm.RsaSha1);
                MinimumRsaKeyLength = 0;
            }

            public bool BodyHashMatches(MimeMessage message, DkimSignatureAlgorithm algorithm, DkimCanonicalizationAlgorithm canonicalization, long? length, string bodyHash)
            {
                var options = FormatOptions.Default.Clone();
                options.NewLineFormat = NewLineFormat.Dos;
                int max = length is long l ? (int)Math.Min(l, int.MaxValue) : -1;
                return VerifyBodyHash(options, message, algorithm, canonicalization, max, bodyHash);
            }
        }
    }
}
