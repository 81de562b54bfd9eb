@{
    Synopsis    = 'Verifies every DKIM-Signature of e-mail messages and says why each passes or fails.'
    Description = @'
Test-DkimSignature reads raw RFC 5322 messages (.eml files, or text given with -Message) and verifies each DKIM-Signature header field, from the top. Canonicalisation and cryptography are MimeKit's; the public keys are looked up through the module's resolver, so -Server and -ZoneFile work (a key can be checked against a zone before it is published).

Each result gives Domain (d=), Selector (s=), Algorithm, Canonicalization, SignedHeaders, KeyBits, Result and Reason:
Pass; Fail (BodyHashMismatch, SignatureMismatch, KeyRevoked, KeyTooSmall, Sha1, Expired); PermError (MalformedSignature, FromNotSigned, IdentityMismatch, InvalidDomain, KeyNotFound, KeyMalformed, KeyTypeMismatch, HashNotPermitted, ServiceNotPermitted, MessageUnreadable); TempError (KeyLookupFailed); Neutral (UnsupportedAlgorithm); None (NoSignature). Detail explains the result in a sentence.

FromDomain, AlignedStrict and AlignedRelaxed say whether d= aligns with the From domain as DMARC requires. Relaxed alignment compares organisational domains as the Public Suffix List bundled with the module defines them (the legacy RFC 7489 method; Get-DmarcRecord shows the RFC 9989 tree walk's organisational domain).

Bad input never stops the pipeline: a file that is not a message, a message without a signature or with a malformed one gives a result with a reason.
'@
    Parameters  = @{
        Path       = 'Message files to verify; wildcards are allowed. Accepts pipeline input by the property names Path, FullName and PSPath, so Get-ChildItem *.eml | Test-DkimSignature works.'
        Message    = 'The raw message as one string, for example from Get-Content -Raw. Accepts pipeline input by value.'
        Server     = 'DNS servers to ask for the keys instead of the system resolvers: host, host:port or [IPv6]:port.'
        ZoneFile   = 'RFC 1035 zone files to take the keys from instead of live DNS. Names outside every loaded zone are asked of -Server when it is given.'
        TimeoutSec = 'Seconds to wait for each DNS answer before retrying (default 3).'
        RetryCount = 'How many times a DNS query is retried after a timeout (default 1).'
        MaxQueriesPerSecond = 'The most DNS messages per second sent to the servers, every try, retry and TCP query counted (0, the default: no limit). For a resolver that limits its clients or one shared with production; waiting for a slot does not count against -TimeoutSec.'
        ThrottleLimit = 'How many messages are verified at the same time (default 64, 1 to 256). Results are still written in input order; 1 verifies one message after another.'
    }
    Inputs      = @(
        @{ Type = 'System.String'; Description = 'A raw message (-Message).' }
        @{ Type = 'System.IO.FileInfo'; Description = 'Message files (-Path, by the FullName property).' }
    )
    Outputs     = @(
        @{ Type = 'MailAuth.Dkim.DkimSignatureResult'; Description = 'One object per DKIM-Signature (one with Result None when the message has none), with a Path note property naming the file.' }
    )
    Examples    = @(
        @{
            Title   = 'Verify a message saved from a mail client'
            Code    = 'Test-DkimSignature .\bounced.eml | Format-List Domain, Selector, Result, Reason, Detail, AlignedRelaxed'
            Remarks = 'Shows for each signature whether it verifies and whether its domain aligns with the From domain.'
        }
        @{
            Title   = 'Verify a folder of messages against a zone file before publishing a new key'
            Code    = 'Get-ChildItem .\samples\*.eml | Test-DkimSignature -ZoneFile .\contoso.com.dns'
            Remarks = 'The keys come from the zone file; names outside it are reported as not available offline.'
        }
        @{
            Title   = 'Verify message text'
            Code    = 'Get-Content -Raw .\message.eml | Test-DkimSignature'
            Remarks = 'Use -Raw: without it Get-Content sends one line at a time.'
        }
    )
    Links       = @('Get-DkimRecord', 'New-DkimKey', 'RFC 6376', 'RFC 8301', 'RFC 8463', 'RFC 7489')
}
