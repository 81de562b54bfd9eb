using System;
using System.Reflection;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.Pkcs;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Math;
using Org.BouncyCastle.Security;

namespace MailAuth.Dkim
{
    /// <summary>
    /// Builds RSA public keys for DKIM (RFC 6376 §3.3.1, §3.6.1) without BouncyCastle's modulus validation.
    /// BouncyCastle's public <see cref="RsaKeyParameters"/> constructor tests every modulus: a Miller-Rabin
    /// compositeness test (three or four full modular exponentiations, 10-40 ms of CPU for a 2048-bit key) and a
    /// GCD with the product of the small primes (about 1-2 ms more: its big-number division is bitwise), paid again
    /// for every key record read, which made key decoding the largest single CPU cost of a bulk audit and of
    /// signature checks. Those tests guard encryption to attacker-chosen keys; for a DKIM key they add nothing
    /// (whoever publishes a weak or prime modulus can only forge signatures for the selector they already control),
    /// so here the key gets the cheap structural checks only: a positive, odd modulus of at most 16,384 bits and an
    /// odd public exponent above 1. The key object is then made through BouncyCastle's own non-validating constructor
    /// (the one its key generator uses); when a BouncyCastle version lacks it, the public constructor is used.
    /// </summary>
    internal static class RsaPublicKeyFactory
    {
        private const int MaxModulusBits = 16384;
        private static readonly ConstructorInfo? NonValidating = typeof(RsaKeyParameters).GetConstructor(
            BindingFlags.Instance | BindingFlags.NonPublic | BindingFlags.Public, null,
            new[] { typeof(bool), typeof(BigInteger), typeof(BigInteger), typeof(bool) }, null);

        /// <summary>An RSA public key from its modulus and exponent; null when they are not a usable RSA key.</summary>
        public static RsaKeyParameters? Create(BigInteger modulus, BigInteger exponent)
        {
            if (modulus is null || exponent is null) return null;
            if (modulus.SignValue <= 0 || !modulus.TestBit(0) || modulus.BitLength > MaxModulusBits) return null;
            if (exponent.SignValue <= 0 || !exponent.TestBit(0) || exponent.Equals(BigInteger.One)) return null;
            if (NonValidating != null)
            {
                try { return (RsaKeyParameters)NonValidating.Invoke(new object[] { false, modulus, exponent, true }); }
                catch (TargetInvocationException) { return null; }
                catch (MemberAccessException) { }
            }
            try { return new RsaKeyParameters(false, modulus, exponent); }
            catch (ArgumentException) { return null; }
        }

        /// <summary>
        /// Decodes a DER SubjectPublicKeyInfo: RSA keys through <see cref="Create"/>, any other algorithm through
        /// BouncyCastle's <see cref="PublicKeyFactory"/>. Null when the bytes are not a public key.
        /// </summary>
        public static AsymmetricKeyParameter? FromSubjectPublicKeyInfo(byte[] bytes)
        {
            try
            {
                var info = SubjectPublicKeyInfo.GetInstance(Asn1Object.FromByteArray(bytes));
                var oid = info.Algorithm.Algorithm;
                if (oid.Equals(PkcsObjectIdentifiers.RsaEncryption) || oid.Equals(X509ObjectIdentifiers.IdEARsa))
                {
                    var s = RsaPublicKeyStructure.GetInstance(info.ParsePublicKey());
                    return Create(s.Modulus, s.PublicExponent);
                }
                return PublicKeyFactory.CreateKey(info);
            }
            catch (Exception) { return null; }
        }
    }
}
