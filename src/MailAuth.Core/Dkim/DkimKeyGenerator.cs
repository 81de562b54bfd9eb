using System;
using System.Security.Cryptography;
using System.Text;
using MailAuth.Dns;
using MailAuth.Publishing;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Generators;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Pkcs;
using Org.BouncyCastle.Security;
using Org.BouncyCastle.X509;

namespace MailAuth.Dkim
{
    /// <summary>
    /// A freshly generated DKIM key pair: the public half as a key record value (RFC 6376 §3.6.1, RFC 8463 §4.2) and
    /// the DNS record to publish, the private half only through <see cref="ExportPrivateKeyPem"/> (so that it is never
    /// shown by accident when the object is printed).
    /// </summary>
    public sealed class DkimKeyPair
    {
        private readonly AsymmetricKeyParameter _privateKey;

        internal DkimKeyPair(DkimKeyType keyType, int keyBits, AsymmetricKeyParameter privateKey, string publicKey)
        {
            KeyType = keyType;
            KeyBits = keyBits;
            _privateKey = privateKey;
            PublicKey = publicKey;
        }

        public DkimKeyType KeyType { get; }
        /// <summary>RSA modulus bits, or 256 for Ed25519.</summary>
        public int KeyBits { get; }
        /// <summary>The p= value: base64 of the SubjectPublicKeyInfo (RSA) or of the 32 raw key bytes (Ed25519).</summary>
        public string PublicKey { get; }
        /// <summary>The key record: "v=DKIM1; k=rsa; p=..." or "v=DKIM1; k=ed25519; p=...".</summary>
        public string RecordValue => $"v=DKIM1; k={(KeyType == DkimKeyType.Ed25519 ? "ed25519" : "rsa")}; p={PublicKey}";

        /// <summary>The private key as PKCS#8 PEM text ("-----BEGIN PRIVATE KEY-----", RFC 5208 / RFC 7468 §10; RFC 8410 for Ed25519).</summary>
        public string ExportPrivateKeyPem()
        {
            var der = PrivateKeyInfoFactory.CreatePrivateKeyInfo(_privateKey).GetDerEncoded();
            var b64 = Convert.ToBase64String(der);
            var sb = new StringBuilder();
            sb.Append("-----BEGIN PRIVATE KEY-----\n");
            for (int i = 0; i < b64.Length; i += 64)
                sb.Append(b64, i, Math.Min(64, b64.Length - i)).Append('\n');
            sb.Append("-----END PRIVATE KEY-----\n");
            return sb.ToString();
        }

        /// <summary>The private key for signing (MimeKit's DkimSigner takes it).</summary>
        internal AsymmetricKeyParameter PrivateKey => _privateKey;

        /// <summary>
        /// The TXT record for &lt;selector&gt;._domainkey in the zone <paramref name="domain"/>, split into character-strings
        /// of at most 255 octets, with the CR LF-joined DescriptiveText Windows DNS Server takes.
        /// </summary>
        public PublishableRecord CreateRecord(string domain, string selector, TimeSpan? timeToLive = null)
        {
            if (domain is null) throw new ArgumentNullException(nameof(domain));
            if (selector is null) throw new ArgumentNullException(nameof(selector));
            return PublishableRecord.CreateTxt(DnsName.Normalize(domain), DnsName.Normalize(selector) + "._domainkey", RecordValue, timeToLive ?? TimeSpan.FromHours(1));
        }

        public override string ToString() => $"{KeyType} {KeyBits}: {RecordValue}";
    }

    /// <summary>Generates DKIM key pairs: RSA (1024-4096 bits, 2048 by default, RFC 8301 §3.2) or Ed25519 (RFC 8463).</summary>
    public static class DkimKeyGenerator
    {
        public const int DefaultRsaBits = 2048;
        public const int MinimumRsaBits = 1024;
        public const int MaximumRsaBits = 4096;

        /// <summary>Generates a key pair of the given type.</summary>
        /// <param name="keyType">Rsa or Ed25519.</param>
        /// <param name="rsaBits">RSA modulus size (ignored for Ed25519): 1024-4096, a multiple of 8.</param>
        /// <exception cref="ArgumentOutOfRangeException">The type is Unknown or the size is out of range.</exception>
        public static DkimKeyPair Generate(DkimKeyType keyType = DkimKeyType.Rsa, int rsaBits = DefaultRsaBits)
        {
            switch (keyType)
            {
                case DkimKeyType.Rsa: return GenerateRsa(rsaBits);
                case DkimKeyType.Ed25519: return GenerateEd25519();
                default: throw new ArgumentOutOfRangeException(nameof(keyType), "The key type must be Rsa or Ed25519.");
            }
        }

        /// <summary>Generates an RSA key pair with the platform's RSA implementation (public exponent 65537).</summary>
        /// <exception cref="ArgumentOutOfRangeException">The size is not 1024-4096 or not a multiple of 8.</exception>
        public static DkimKeyPair GenerateRsa(int bits = DefaultRsaBits)
        {
            if (bits < MinimumRsaBits || bits > MaximumRsaBits || bits % 8 != 0)
                throw new ArgumentOutOfRangeException(nameof(bits), $"The RSA key size must be {MinimumRsaBits}-{MaximumRsaBits} bits, a multiple of 8.");
            AsymmetricCipherKeyPair pair;
            using (var rsa = RSA.Create())
            {
                rsa.KeySize = bits;
                pair = DotNetUtilities.GetRsaKeyPair(rsa.ExportParameters(true));
            }
            var spki = SubjectPublicKeyInfoFactory.CreateSubjectPublicKeyInfo(pair.Public).GetDerEncoded();
            return new DkimKeyPair(DkimKeyType.Rsa, ((RsaKeyParameters)pair.Public).Modulus.BitLength, pair.Private, Convert.ToBase64String(spki));
        }

        /// <summary>Generates an Ed25519 key pair (RFC 8032); the record carries the 32 raw public key bytes (RFC 8463 §4.2).</summary>
        public static DkimKeyPair GenerateEd25519()
        {
            var generator = new Ed25519KeyPairGenerator();
            generator.Init(new Ed25519KeyGenerationParameters(new SecureRandom()));
            var pair = generator.GenerateKeyPair();
            var pub = ((Ed25519PublicKeyParameters)pair.Public).GetEncoded();
            return new DkimKeyPair(DkimKeyType.Ed25519, 256, pair.Private, Convert.ToBase64String(pub));
        }
    }
}
