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
    /// Builds RSA public keys for DKIM (RFC 6376 §3.3.1, §3.6.1) without BouncyCastle's Miller-Rabin compositeness
    /// test. BouncyCastle's public <see cref="RsaKeyParameters"/> constructor runs that test on every modulus: three
    /// or four full modular exponentiations, 10-40 ms of CPU for a 2048-bit key, paid again for every key record
    /// read, which made key decoding the largest single CPU cost of a bulk audit and of signature checks. The test
    /// guards encryption to attacker-chosen keys; for a DKIM key it adds nothing (whoever publishes a key whose
    /// modulus is prime can only forge signatures for the selector they already control), so here the modulus gets
    /// the cheap checks only: positive, odd, at most 16,384 bits, no factor among the primes below 744, and an odd
    /// public exponent above 1. The key object is then made through BouncyCastle's own non-validating constructor
    /// (the one its key generator uses); when a BouncyCastle version lacks it, the public constructor is used.
    /// </summary>
    internal static class RsaPublicKeyFactory
    {
        private const int MaxModulusBits = 16384;
        private static readonly BigInteger SmallPrimesProduct = ComputeSmallPrimesProduct();
        private static readonly ConstructorInfo? NonValidating = typeof(RsaKeyParameters).GetConstructor(
            BindingFlags.Instance | BindingFlags.NonPublic | BindingFlags.Public, null,
            new[] { typeof(bool), typeof(BigInteger), typeof(BigInteger), typeof(bool) }, null);

        /// <summary>An RSA public key from its modulus and exponent; null when they are not a usable RSA key.</summary>
        public static RsaKeyParameters? Create(BigInteger modulus, BigInteger exponent)
        {
            if (modulus is null || exponent is null) return null;
            if (modulus.SignValue <= 0 || !modulus.TestBit(0) || modulus.BitLength > MaxModulusBits) return null;
            if (exponent.SignValue <= 0 || !exponent.TestBit(0) || exponent.Equals(BigInteger.One)) return null;
            if (!modulus.Gcd(SmallPrimesProduct).Equals(BigInteger.One)) return null;
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

        /// <summary>The product of the odd primes from 3 to 743, as BouncyCastle uses for the same check.</summary>
        private static BigInteger ComputeSmallPrimesProduct()
        {
            var product = BigInteger.One;
            for (int n = 3; n <= 743; n += 2)
            {
                bool prime = true;
                for (int d = 3; d * d <= n; d += 2) if (n % d == 0) { prime = false; break; }
                if (prime) product = product.Multiply(BigInteger.ValueOf(n));
            }
            return product;
        }
    }
}
