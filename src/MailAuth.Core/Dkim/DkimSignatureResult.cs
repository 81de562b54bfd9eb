using System;
using System.Collections.Generic;

namespace MailAuth.Dkim
{
    /// <summary>The verdict on one DKIM-Signature, named as in Authentication-Results (RFC 8601 §2.7.1).</summary>
    public enum DkimResult
    {
        /// <summary>The message has no DKIM-Signature.</summary>
        None,
        /// <summary>The signature verified with a key the signer publishes.</summary>
        Pass,
        /// <summary>The signature was evaluated and is not acceptable: hash or signature mismatch, revoked or too small key, sha1, expired.</summary>
        Fail,
        /// <summary>The signature uses an algorithm or query method this verifier does not support.</summary>
        Neutral,
        /// <summary>The key lookup failed transiently; a later try may succeed.</summary>
        TempError,
        /// <summary>The signature cannot be evaluated: malformed, missing tags, From not signed, no key or an unusable key record.</summary>
        PermError,
    }

    /// <summary>Why a signature did not pass (RFC 6376 §6.1, RFC 8301 §3).</summary>
    public enum DkimFailureReason
    {
        /// <summary>It passed.</summary>
        None,
        /// <summary>The message has no DKIM-Signature header field.</summary>
        NoSignature,
        /// <summary>The message could not be read as RFC 5322 text.</summary>
        MessageUnreadable,
        /// <summary>The header field is not a valid tag list, or a required tag is missing or malformed (RFC 6376 §3.5).</summary>
        MalformedSignature,
        /// <summary>v= is not 1.</summary>
        UnsupportedVersion,
        /// <summary>a= names an algorithm this verifier does not implement.</summary>
        UnsupportedAlgorithm,
        /// <summary>q= lists no method this verifier implements (dns/txt).</summary>
        UnsupportedQueryMethod,
        /// <summary>h= does not include From (RFC 6376 §5.4).</summary>
        FromNotSigned,
        /// <summary>The i= domain is not d= or a subdomain of it.</summary>
        IdentityMismatch,
        /// <summary>d= is not a valid domain name.</summary>
        InvalidDomain,
        /// <summary>No key record at &lt;s&gt;._domainkey.&lt;d&gt;.</summary>
        KeyNotFound,
        /// <summary>The key lookup failed (timeout, SERVFAIL).</summary>
        KeyLookupFailed,
        /// <summary>The key record has an empty p=.</summary>
        KeyRevoked,
        /// <summary>The key record is invalid (syntax, version, key type, base64, key structure).</summary>
        KeyMalformed,
        /// <summary>The key type does not match a= (an RSA key for ed25519-sha256, or the reverse).</summary>
        KeyTypeMismatch,
        /// <summary>An RSA key under 1024 bits (RFC 8301 §3.2).</summary>
        KeyTooSmall,
        /// <summary>The key's h= does not allow the signature's hash.</summary>
        HashNotPermitted,
        /// <summary>The key's s= does not include email.</summary>
        ServiceNotPermitted,
        /// <summary>The key has t=s but i= is a subdomain of d=.</summary>
        StrictIdentityMismatch,
        /// <summary>rsa-sha1, which verifiers must not accept (RFC 8301 §3.1).</summary>
        Sha1,
        /// <summary>The x= expiry time has passed (RFC 6376 §3.5).</summary>
        Expired,
        /// <summary>The body hash (bh=) does not match the body: the body changed after signing.</summary>
        BodyHashMismatch,
        /// <summary>The signature (b=) does not verify over the signed header fields.</summary>
        SignatureMismatch,
        /// <summary>More signatures than the configured limit; the rest were not checked.</summary>
        TooManySignatures,
        /// <summary>The verification failed for an unexpected reason (the detail says which).</summary>
        VerificationError,
    }

    /// <summary>One DKIM-Signature of a message and its verdict: what Test-DkimSignature returns.</summary>
    public sealed class DkimSignatureResult
    {
        internal DkimSignatureResult(int index) { Index = index; }

        /// <summary>Position of the signature among the message's DKIM-Signature fields, from the top, starting at 1 (0 when there is none).</summary>
        public int Index { get; }
        /// <summary>The signing domain (d=).</summary>
        public string? Domain { get; internal set; }
        /// <summary>The selector (s=).</summary>
        public string? Selector { get; internal set; }
        /// <summary>a=, e.g. rsa-sha256 or ed25519-sha256.</summary>
        public string? Algorithm { get; internal set; }
        /// <summary>c= as header/body, e.g. relaxed/relaxed (simple/simple when absent).</summary>
        public string? Canonicalization { get; internal set; }
        /// <summary>The h= list, in order.</summary>
        public IReadOnlyList<string> SignedHeaders { get; internal set; } = Array.Empty<string>();
        /// <summary>The agent or user identifier (i=), or null.</summary>
        public string? Identity { get; internal set; }
        /// <summary>t=, the signing time.</summary>
        public DateTimeOffset? Timestamp { get; internal set; }
        /// <summary>x=, the expiry time.</summary>
        public DateTimeOffset? Expiration { get; internal set; }
        /// <summary>l=, the number of body octets signed (null: the whole body).</summary>
        public long? BodyLength { get; internal set; }
        public DkimResult Result { get; internal set; }
        public DkimFailureReason Reason { get; internal set; }
        /// <summary>A sentence explaining the result.</summary>
        public string Detail { get; internal set; } = string.Empty;
        /// <summary>The key record's name, &lt;s&gt;._domainkey.&lt;d&gt;.</summary>
        public string? KeyName { get; internal set; }
        public DkimKeyType? KeyType { get; internal set; }
        /// <summary>RSA modulus bits or 256 for Ed25519, when the key was found and decoded.</summary>
        public int? KeyBits { get; internal set; }
        /// <summary>True when the key has t=y (the signer is testing DKIM).</summary>
        public bool KeyTesting { get; internal set; }
        /// <summary>The domain of the message's From address (RFC 5322), or null when there is not exactly one.</summary>
        public string? FromDomain { get; internal set; }
        /// <summary>d= and the From domain have the same organisational domain (DMARC relaxed alignment, RFC 7489 §3.1.1).</summary>
        public bool AlignedRelaxed { get; internal set; }
        /// <summary>d= equals the From domain (DMARC strict alignment).</summary>
        public bool AlignedStrict { get; internal set; }
        /// <summary>The raw DKIM-Signature value (unfolded), or null.</summary>
        public string? Header { get; internal set; }

        public override string ToString() =>
            Result == DkimResult.None ? "none: " + Detail : $"d={Domain} s={Selector}: {Result}{(Reason == DkimFailureReason.None ? "" : " (" + Reason + ")")}";
    }
}
