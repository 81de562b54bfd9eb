namespace MailAuth.Dkim
{
    /// <summary>The k= key type of a DKIM key record (RFC 6376 §3.6.1, RFC 8463 §4.2).</summary>
    public enum DkimKeyType
    {
        /// <summary>A k= value no verifier knows; the record cannot be used.</summary>
        Unknown = 0,
        /// <summary>k=rsa (the default when k= is absent).</summary>
        Rsa,
        /// <summary>k=ed25519 (RFC 8463): a raw 32-byte public key.</summary>
        Ed25519,
    }

    /// <summary>How the bytes of an RSA p= value are structured.</summary>
    public enum DkimRsaKeyEncoding
    {
        /// <summary>A DER SubjectPublicKeyInfo (RFC 5280 §4.1), what RFC 6376 §3.6.1 specifies.</summary>
        SubjectPublicKeyInfo,
        /// <summary>A bare DER RSAPublicKey (RFC 8017 §A.1.1, "PKCS#1"), which many verifiers also accept.</summary>
        Pkcs1,
    }
}
