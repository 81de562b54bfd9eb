using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using MailAuth.Findings;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Security;

namespace MailAuth.Dkim
{
    /// <summary>
    /// A DKIM public key record, the TXT value at <c>&lt;selector&gt;._domainkey.&lt;domain&gt;</c> (RFC 6376 §3.6.1),
    /// with its key decoded: RSA as a SubjectPublicKeyInfo or a bare RSAPublicKey, Ed25519 as 32 raw bytes (RFC 8463 §4.2).
    /// <see cref="Parse"/> never throws: problems are <see cref="Diagnostics"/>.
    /// </summary>
    public sealed class DkimKeyRecord
    {
        /// <summary>Diagnostic ids of key records (the tag-list ids of <see cref="DkimTagList.DiagnosticIds"/> come too).</summary>
        public static class DiagnosticIds
        {
            public const string InvalidVersion = "DKIM.InvalidVersion";
            public const string UnknownKeyType = "DKIM.UnknownKeyType";
            public const string MissingPublicKey = "DKIM.MissingPublicKey";
            public const string InvalidBase64 = "DKIM.InvalidBase64";
            public const string MalformedKey = "DKIM.MalformedKey";
            public const string Ed25519KeyLength = "DKIM.Ed25519KeyLength";
            public const string KeyTypeMismatch = "DKIM.KeyTypeMismatch";
            public const string Sha1Only = "DKIM.Sha1Only";
            public const string UnknownHashAlgorithm = "DKIM.UnknownHashAlgorithm";
            public const string ServiceNotEmail = "DKIM.ServiceNotEmail";
            public const string UnknownFlag = "DKIM.UnknownFlag";
        }

        private const string KeyRef = "RFC 6376 §3.6.1";
        private static readonly IReadOnlyList<string> AllServices = new[] { "*" };

        private DkimKeyRecord(string text, DkimTagList tags)
        {
            Text = text;
            TagList = tags;
        }

        /// <summary>The record text (TXT character-strings joined with nothing between them).</summary>
        public string Text { get; }
        /// <summary>The parsed tag list.</summary>
        public DkimTagList TagList { get; }
        /// <summary>Every tag, known and unknown, in order.</summary>
        public IReadOnlyList<DkimTag> Tags => TagList.Tags;
        /// <summary>Tags RFC 6376 §3.6.1 does not define (kept, and ignored by verifiers).</summary>
        public IReadOnlyList<DkimTag> UnknownTags => Tags.Where(t => Array.IndexOf(KnownTags, t.Name) < 0).ToArray();
        private static readonly string[] KnownTags = { "v", "h", "k", "n", "p", "s", "t" };

        /// <summary>Tag-list and key problems, in the order found.</summary>
        public IReadOnlyList<DkimDiagnostic> Diagnostics { get; private set; } = Array.Empty<DkimDiagnostic>();
        public bool HasErrors => Diagnostics.Any(d => d.IsError);

        /// <summary>The v= value, or null when absent (absent is fine: the default is DKIM1).</summary>
        public string? Version { get; private set; }
        /// <summary>The k= value as written, "rsa" when absent.</summary>
        public string KeyTypeText { get; private set; } = "rsa";
        public DkimKeyType KeyType { get; private set; } = DkimKeyType.Rsa;
        /// <summary>The p= value without whitespace; "" for a revoked key; null when p= is missing.</summary>
        public string? PublicKey { get; private set; }
        /// <summary>True when p= is present and empty: the key was revoked (RFC 6376 §3.6.1).</summary>
        public bool Revoked { get; private set; }
        /// <summary>RSA modulus length in bits, 256 for an Ed25519 key, null when the key could not be decoded.</summary>
        public int? KeyBits { get; private set; }
        /// <summary>How the RSA key bytes are structured, when decoded.</summary>
        public DkimRsaKeyEncoding? RsaKeyEncoding { get; private set; }
        /// <summary>The h= list (acceptable hash algorithms); empty when absent (every algorithm allowed).</summary>
        public IReadOnlyList<string> HashAlgorithms { get; private set; } = Array.Empty<string>();
        /// <summary>The s= list (service types); "*" when absent.</summary>
        public IReadOnlyList<string> ServiceTypes { get; private set; } = AllServices;
        /// <summary>The t= flags as written.</summary>
        public IReadOnlyList<string> Flags { get; private set; } = Array.Empty<string>();
        /// <summary>t=y: the domain is testing DKIM (RFC 6376 §3.6.1).</summary>
        public bool Testing => Flags.Contains("y");
        /// <summary>t=s: the i= domain of a signature must equal d=, not be a subdomain of it.</summary>
        public bool StrictSubdomains => Flags.Contains("s");
        /// <summary>The n= notes, or null.</summary>
        public string? Notes { get; private set; }
        /// <summary>The decoded key bytes (empty when not decoded).</summary>
        internal byte[] KeyData { get; private set; } = Array.Empty<byte>();
        /// <summary>The decoded key, ready for a verifier; null when revoked or undecodable.</summary>
        internal AsymmetricKeyParameter? KeyParameter { get; private set; }
        /// <summary>True when the key's DER header announces more bytes than p= holds (a record cut short).</summary>
        public bool LooksTruncated { get; private set; }
        /// <summary>True when the key decoded, is not revoked and no error was found: a verifier can use it.</summary>
        public bool IsUsable => KeyParameter != null && !HasErrors;

        /// <summary>True when h= is absent or lists <paramref name="hash"/> ("sha256", "sha1").</summary>
        public bool AllowsHash(string hash) => HashAlgorithms.Count == 0 || HashAlgorithms.Contains(hash, StringComparer.OrdinalIgnoreCase);

        /// <summary>True when s= is absent or lists "*" or "email".</summary>
        public bool AllowsEmail => ServiceTypes.Any(s => s == "*" || s.Equals("email", StringComparison.OrdinalIgnoreCase));

        /// <summary>Parses a key record. Never throws; null is parsed as the empty text.</summary>
        public static DkimKeyRecord Parse(string? text)
        {
            var raw = text ?? string.Empty;
            var tagList = DkimTagList.Parse(raw);
            var record = new DkimKeyRecord(raw, tagList);
            var diags = new List<DkimDiagnostic>(tagList.Diagnostics);
            record.Fill(diags);
            record.Diagnostics = diags.OrderBy(d => d.Position).ToList().AsReadOnly();
            return record;
        }

        private void Fill(List<DkimDiagnostic> diags)
        {
            void Add(string id, FindingSeverity severity, string message, DkimTag? tag, string reference = KeyRef, int offset = 0) =>
                diags.Add(new DkimDiagnostic(id, severity, message, tag?.Name, tag is null ? 0 : tag.ValuePosition + offset, reference));

            var v = TagList.Find("v");
            if (v != null)
            {
                Version = v.Value;
                if (!ReferenceEquals(Tags[0], v))
                    Add(DiagnosticIds.InvalidVersion, FindingSeverity.Error, "v= must be the first tag of a key record; verifiers may discard the record.", v);
                else if (v.Value != "DKIM1")
                    Add(DiagnosticIds.InvalidVersion, FindingSeverity.Error,
                        $"v={DkimTagList.Shorten(v.Value)} is not DKIM1; verifiers must discard a key record with any other version.", v);
            }

            var k = TagList.Find("k");
            if (k != null)
            {
                KeyTypeText = k.Value;
                if (k.Value.Equals("rsa", StringComparison.OrdinalIgnoreCase)) KeyType = DkimKeyType.Rsa;
                else if (k.Value.Equals("ed25519", StringComparison.OrdinalIgnoreCase)) KeyType = DkimKeyType.Ed25519;
                else
                {
                    KeyType = DkimKeyType.Unknown;
                    Add(DiagnosticIds.UnknownKeyType, FindingSeverity.Error,
                        $"k={DkimTagList.Shorten(k.Value)} is not a key type verifiers know (rsa, ed25519); signatures with this key cannot verify.", k, "RFC 6376 §3.6.1, RFC 8463 §4.2");
                }
            }

            var h = TagList.Find("h");
            if (h != null)
            {
                HashAlgorithms = SplitList(h.Value);
                var known = HashAlgorithms.Where(a => a.Equals("sha256", StringComparison.OrdinalIgnoreCase) || a.Equals("sha1", StringComparison.OrdinalIgnoreCase)).ToList();
                if (!HashAlgorithms.Any(a => a.Equals("sha256", StringComparison.OrdinalIgnoreCase)))
                {
                    if (known.Count > 0)
                        Add(DiagnosticIds.Sha1Only, FindingSeverity.Error,
                            "h= allows only sha1, which verifiers must no longer accept (RFC 8301); no signature with this key can pass.", h, "RFC 8301 §3.1");
                    else
                        Add(DiagnosticIds.UnknownHashAlgorithm, FindingSeverity.Error,
                            $"h={DkimTagList.Shorten(h.Value)} lists no hash algorithm verifiers know (sha256); no signature with this key can pass.", h);
                }
                else if (known.Count < HashAlgorithms.Count)
                    Add(DiagnosticIds.UnknownHashAlgorithm, FindingSeverity.Information,
                        $"h= lists algorithms verifiers do not know ({string.Join(", ", HashAlgorithms.Except(known))}); they are ignored.", h);
            }

            var s = TagList.Find("s");
            if (s != null)
            {
                ServiceTypes = SplitList(s.Value);
                if (!AllowsEmail)
                    Add(DiagnosticIds.ServiceNotEmail, FindingSeverity.Error,
                        $"s={DkimTagList.Shorten(s.Value)} does not include email or *, so the key cannot be used for mail signatures.", s);
            }

            var t = TagList.Find("t");
            if (t != null)
            {
                Flags = SplitList(t.Value);
                foreach (var f in Flags.Where(f => f != "y" && f != "s"))
                    Add(DiagnosticIds.UnknownFlag, FindingSeverity.Information, $"t= flag '{DkimTagList.Shorten(f)}' is not defined (y, s); verifiers ignore it.", t);
            }

            var n = TagList.Find("n");
            if (n != null) Notes = n.Value;

            var p = TagList.Find("p");
            if (p is null)
            {
                Add(DiagnosticIds.MissingPublicKey, FindingSeverity.Error, "The record has no p= tag; a key record must carry the public key (or an empty p= to revoke it).", null);
                return;
            }
            DecodeKey(p, Add);
        }

        private void DecodeKey(DkimTag p, Action<string, FindingSeverity, string, DkimTag?, string, int> add)
        {
            var sb = new StringBuilder(p.Value.Length);
            foreach (var c in p.Value)
                if (!DkimTagList.IsWhiteSpace(c)) sb.Append(c);
            var b64 = sb.ToString();
            PublicKey = b64;
            if (b64.Length == 0)
            {
                Revoked = true;
                return;
            }

            var error = ValidateBase64(p.Value, out int badOffset);
            if (error != null)
            {
                add(DiagnosticIds.InvalidBase64, FindingSeverity.Error, error, p, KeyRef, badOffset);
                return;
            }
            byte[] bytes;
            try { bytes = Convert.FromBase64String(b64); }
            catch (FormatException)
            {
                add(DiagnosticIds.InvalidBase64, FindingSeverity.Error, "p= is not valid base64.", p, KeyRef, 0);
                return;
            }
            KeyData = bytes;

            if (KeyType == DkimKeyType.Unknown) return;
            if (KeyType == DkimKeyType.Ed25519)
            {
                if (bytes.Length == 32)
                {
                    try { KeyParameter = new Ed25519PublicKeyParameters(bytes, 0); }
                    catch (ArgumentException)
                    {
                        // BouncyCastle rejects 32 bytes that are not a point on the curve.
                        add(DiagnosticIds.MalformedKey, FindingSeverity.Error, "p= holds 32 bytes that are not a valid Ed25519 public key.", p, "RFC 8463 §4.2", 0);
                        return;
                    }
                    KeyBits = 256;
                    return;
                }
                var spki = TryDecodeSpki(bytes);
                if (spki is Ed25519PublicKeyParameters edSpki)
                {
                    add(DiagnosticIds.Ed25519KeyLength, FindingSeverity.Error,
                        $"p= holds {bytes.Length} bytes: an Ed25519 key wrapped in a SubjectPublicKeyInfo. RFC 8463 wants the 32 raw key bytes only: {Convert.ToBase64String(edSpki.GetEncoded())}.",
                        p, "RFC 8463 §4.2", 0);
                    return;
                }
                if (spki is RsaKeyParameters || TryDecodePkcs1(bytes) != null)
                {
                    add(DiagnosticIds.KeyTypeMismatch, FindingSeverity.Error, "k=ed25519, but p= holds an RSA key; set k=rsa or publish the Ed25519 key.", p, "RFC 8463 §4.2", 0);
                    return;
                }
                add(DiagnosticIds.Ed25519KeyLength, FindingSeverity.Error,
                    $"p= holds {bytes.Length} bytes; an Ed25519 key is exactly 32 bytes (44 base64 characters).", p, "RFC 8463 §4.2", 0);
                return;
            }

            // RSA: a SubjectPublicKeyInfo as RFC 6376 §3.6.1 says, or a bare RSAPublicKey.
            var key = TryDecodeSpki(bytes);
            if (key is RsaKeyParameters rsa && !rsa.IsPrivate)
            {
                SetRsa(rsa, DkimRsaKeyEncoding.SubjectPublicKeyInfo);
                return;
            }
            if (key != null)
            {
                var what = key is Ed25519PublicKeyParameters ? "an Ed25519 key (set k=ed25519 and publish the 32 raw key bytes)" : "a key of another algorithm";
                add(DiagnosticIds.KeyTypeMismatch, FindingSeverity.Error, $"k=rsa, but p= holds {what}.", p, KeyRef, 0);
                return;
            }
            var pkcs1 = TryDecodePkcs1(bytes);
            if (pkcs1 != null)
            {
                SetRsa(pkcs1, DkimRsaKeyEncoding.Pkcs1);
                return;
            }
            if (bytes.Length == 32)
            {
                add(DiagnosticIds.KeyTypeMismatch, FindingSeverity.Error, "p= holds 32 bytes, the size of an Ed25519 key, but k= is rsa (or absent); add k=ed25519.", p, KeyRef, 0);
                return;
            }
            LooksTruncated = DeclaredDerLength(bytes) is int declared && declared > bytes.Length;
            add(DiagnosticIds.MalformedKey, FindingSeverity.Error,
                LooksTruncated
                    ? $"p= ends early: the key's DER header announces {DeclaredDerLength(bytes)} bytes but p= holds {bytes.Length}. Part of the record is missing (often only the first 255-character string was published)."
                    : "p= is valid base64 but not an RSA public key (neither a SubjectPublicKeyInfo nor an RSAPublicKey).",
                p, KeyRef, 0);
        }

        private void SetRsa(RsaKeyParameters rsa, DkimRsaKeyEncoding encoding)
        {
            KeyParameter = rsa;
            RsaKeyEncoding = encoding;
            KeyBits = rsa.Modulus.BitLength;
        }

        private static AsymmetricKeyParameter? TryDecodeSpki(byte[] bytes)
        {
            return RsaPublicKeyFactory.FromSubjectPublicKeyInfo(bytes);
        }

        private static RsaKeyParameters? TryDecodePkcs1(byte[] bytes)
        {
            try
            {
                var seq = Asn1Sequence.GetInstance(Asn1Object.FromByteArray(bytes));
                if (seq.Count != 2) return null;
                var s = RsaPublicKeyStructure.GetInstance(seq);
                if (s.Modulus.SignValue <= 0 || s.PublicExponent.SignValue <= 0) return null;
                return RsaPublicKeyFactory.Create(s.Modulus, s.PublicExponent);
            }
            catch (Exception) { return null; }
        }

        /// <summary>The total length (header included) a DER SEQUENCE announces, or null when the bytes do not start with one.</summary>
        private static int? DeclaredDerLength(byte[] b)
        {
            if (b.Length < 2 || b[0] != 0x30) return null;
            int first = b[1];
            if (first < 0x80) return 2 + first;
            int count = first & 0x7F;
            if (count == 0 || count > 3 || b.Length < 2 + count) return null;
            int len = 0;
            for (int i = 0; i < count; i++) len = (len << 8) | b[2 + i];
            return 2 + count + len;
        }

        /// <summary>Checks base64 (RFC 4648 §4) allowing whitespace; returns an error message and the offset in the raw value.</summary>
        internal static string? ValidateBase64(string value, out int offset)
        {
            offset = 0;
            int count = 0, padding = 0;
            for (int i = 0; i < value.Length; i++)
            {
                char c = value[i];
                if (DkimTagList.IsWhiteSpace(c)) continue;
                bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' || c == '/';
                if (c == '=')
                {
                    padding++;
                    count++;
                    if (padding > 2) { offset = i; return "p= has more than two '=' padding characters."; }
                    continue;
                }
                if (!ok)
                {
                    offset = i;
                    if (c == '"' || c == '\\')
                        return $"p= contains the character '{c}' at offset {i}: quote characters from the DNS tool's input were kept inside the key.";
                    if (c == '-' || c == '_')
                        return $"p= contains '{c}': that is base64url, DKIM uses standard base64 (+ and /).";
                    return $"p= contains '{c}' (U+{(int)c:X4}), which is not a base64 character.";
                }
                if (padding > 0) { offset = i; return "p= has characters after the '=' padding: two values were joined, or the key was pasted twice."; }
                count++;
            }
            if (count % 4 != 0)
            {
                offset = value.Length;
                return $"p= has {count} base64 characters, not a multiple of 4: the key is truncated or has extra characters.";
            }
            return null;
        }

        private static IReadOnlyList<string> SplitList(string value) =>
            value.Split(':').Select(x => x.Trim(' ', '\t', '\r', '\n')).Where(x => x.Length > 0).ToList().AsReadOnly();

        public override string ToString() => Text;
    }
}
