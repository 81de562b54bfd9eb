@{
    Synopsis    = 'Generates a DKIM key pair, writes the private key to a file and returns the TXT record to publish.'
    Description = @'
New-DkimKey generates an RSA (2048 bits by default, 1024 to 4096 allowed) or Ed25519 key pair. It writes the private key as PKCS#8 PEM text ("-----BEGIN PRIVATE KEY-----") to -PrivateKeyPath; on Linux and macOS the file is created readable by its owner only (mode 0600). On Windows the file gets the permissions of its folder, and a warning says so. The private key is never written to the pipeline or the console.

It refuses to replace an existing file unless -Force is given, and supports -WhatIf and -Confirm.

The object it returns carries the key facts (KeyType, KeyBits, PublicKey, RecordValue, PrivateKeyPath) and the TXT record for <selector>._domainkey in the domain's zone: Strings splits the value into character-strings of at most 255 octets, ZoneFileLine is a master-file line, and DescriptiveText joins the strings with CR LF, the form the DnsServer module documents for long TXT records (one character-string per line; not verified here against a real Windows server: check what was published with Resolve-DnsName -Type TXT). ZoneName, Name, DescriptiveText and TimeToLive bind by property name, so the object pipes into Add-DnsServerResourceRecord -Txt.

A 2048-bit RSA key needs two strings; where a DNS tool cannot publish that, use a 1024-bit key (weaker; receivers still accept it) or an Ed25519 key (short, but not yet verified by every receiver: publish it beside an RSA key).
'@
    Parameters  = @{
        Domain         = 'The signing domain (d=); the record goes in this zone. Accepts pipeline input by the property names Domain, DomainName and ZoneName.'
        Selector       = 'The selector (s=) the key is published under, for example s2026 or mail.'
        KeyType        = 'Rsa (the default) or Ed25519 (RFC 8463).'
        KeySize        = 'RSA key size in bits, 1024 to 4096, a multiple of 8 (default 2048). Ignored for Ed25519.'
        PrivateKeyPath = 'The file to write the private key to (PKCS#8 PEM). Give it to the mail server that signs for the domain, and keep it secret.'
        TimeToLive     = 'The TTL of the DNS record (default one hour).'
        Force          = 'Replace an existing private key file. The old key is lost; messages signed with it no longer verify once its record is replaced.'
    }
    Inputs      = @(
        @{ Type = 'System.Management.Automation.PSObject'; Description = 'Objects with Domain, Selector, PrivateKeyPath and optionally KeyType, KeySize and TimeToLive properties.' }
    )
    Outputs     = @(
        @{ Type = 'MailAuth.Dkim.DkimKeyInfo'; Description = 'The key facts, the private key path and the TXT record to publish; never the private key itself.' }
    )
    Examples    = @(
        @{
            Title   = 'Create a 2048-bit RSA key and publish it on a Windows DNS server'
            Code    = 'New-DkimKey -Domain contoso.com -Selector s2026 -PrivateKeyPath .\s2026.contoso.com.pem | Add-DnsServerResourceRecord -Txt -ComputerName dc1'
            Remarks = 'The record is split into 255-octet strings; check it afterwards with Get-DkimRecord contoso.com -Selector s2026.'
        }
        @{
            Title   = 'Create an Ed25519 key and show the zone-file line'
            Code    = '(New-DkimKey contoso.com ed2026 -KeyType Ed25519 -PrivateKeyPath ./ed2026.pem).ZoneFileLine'
            Remarks = 'Prints a line for a BIND zone file.'
        }
        @{
            Title   = 'See what would happen without writing anything'
            Code    = 'New-DkimKey contoso.com s2026 -PrivateKeyPath .\s2026.pem -WhatIf'
            Remarks = 'No key is generated and no file is written.'
        }
    )
    Links       = @('Get-DkimRecord', 'Test-DkimSignature', 'RFC 6376', 'RFC 8301', 'RFC 8463')
}
