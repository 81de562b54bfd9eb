namespace MailAuth.Tests.Zone;

/// <summary>Zone file texts shaped like real exports, used by several test classes.</summary>
internal static class ZoneSamples
{
    /// <summary>A BIND-style file (as named-compilezone or a hosting panel writes it).</summary>
    public const string Bind = """
        ; contoso.com, exported from the old host
        $ORIGIN contoso.com.
        $TTL 1h
        @   IN SOA ns1.contoso.com. hostmaster.contoso.com. (
                2024010101 ; serial
                7200       ; refresh
                3600       ; retry
                1209600    ; expire
                300 )      ; minimum
            IN NS ns1
            IN NS ns2.contoso.com.
            IN MX 10 mail
        @   IN TXT "v=spf1 ip4:192.0.2.0/24 include:spf.protection.outlook.com -all"
        mail    300 IN A 192.0.2.10
                IN AAAA 2001:db8::10
        ns1     A 192.0.2.1
        ns2     A 192.0.2.2
        www     IN CNAME @
        _dmarc  IN TXT ( "v=DMARC1; p=quarantine; "
                         "rua=mailto:dmarc@contoso.com" )
        mail._domainkey IN TXT "v=DKIM1; k=rsa; " "p=MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA"
        """;

    /// <summary>A Windows DNS Server export (dnscmd /ZoneExport or the file in %windir%\System32\dns).</summary>
    public const string Windows = """
        ;
        ;  Database file contoso.com.dns for contoso.com zone.
        ;      Zone version:  42
        ;

        @                       IN  SOA dc1.contoso.com.  hostmaster.contoso.com. (
                                42           ; serial number
                                900          ; refresh
                                600          ; retry
                                86400        ; expire
                                3600       ) ; default TTL

        ;
        ;  Zone NS records
        ;

        @                       NS	dc1.contoso.com.

        ;
        ;  Zone records
        ;

        @                       600	A	10.0.0.5
        @                       3600	TXT	( "v=spf1 include:spf.protection.outlook.com -all" )
        _dmarc                  TXT	( "v=DMARC1; p=none; rua=mailto:dmarc@contoso.com" )
        selector1._domainkey    3600	CNAME	selector1-contoso-com._domainkey.contoso.onmicrosoft.com.
        dc1                     A	10.0.0.10
        _msdcs                  NS	dc1.contoso.com.

        """;

    /// <summary>The Windows export as Windows writes it to disk: CR LF line ends and a UTF-8 byte-order mark.</summary>
    public static string WindowsOnDisk => "\uFEFF" + Windows.Replace("\r\n", "\n").Replace("\n", "\r\n");

    /// <summary>A Cloudflare-style export: no $ORIGIN, the SOA owner without its trailing dot, tags in comments.</summary>
    public const string Cloudflare = """
        ;;
        ;; Domain:     contoso.com.
        ;; Exported:   2024-04-02 09:14:51
        ;;
        ;; Use at your own risk.
        ;; SOA Record
        contoso.com	3600	IN	SOA	ada.ns.cloudflare.com. dns.cloudflare.com. 2046826744 10000 2400 604800 3600

        ;; NS Records
        contoso.com.	86400	IN	NS	ada.ns.cloudflare.com.
        contoso.com.	86400	IN	NS	bob.ns.cloudflare.com.

        ;; A Records
        contoso.com.	1	IN	A	192.0.2.20 ; cf_tags=cf-proxied:true
        www.contoso.com.	1	IN	A	192.0.2.20 ; cf_tags=cf-proxied:true

        ;; MX Records
        contoso.com.	1	IN	MX	0 contoso-com.mail.protection.outlook.com.

        ;; TXT Records
        contoso.com.	1	IN	TXT	"v=spf1 include:spf.protection.outlook.com -all"
        _dmarc.contoso.com.	1	IN	TXT	"v=DMARC1; p=quarantine; rua=mailto:dmarc@contoso.com"
        """;
}
