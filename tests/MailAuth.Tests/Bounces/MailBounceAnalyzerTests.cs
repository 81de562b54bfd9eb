using System.Net;
using System.Text;
using CsCheck;
using MailAuth.Bounces;
using Xunit;

namespace MailAuth.Tests.Bounces;

public class MailBounceAnalyzerTests
{
    [Fact]
    public void PostfixDsnForGmail5726()
    {
        var a = MailBounceAnalyzer.Analyze(BounceSamples.PostfixGmail5726Eml, "bounce.eml");
        Assert.True(a.ParsedAsMessage);
        Assert.Equal("bounce.eml", a.Source);
        Assert.Equal(550, a.ReplyCode);
        Assert.Equal("5.7.26", a.EnhancedStatusCode);
        Assert.Equal("Permanent", a.StatusClass);
        Assert.True(a.IsPermanent);
        Assert.Equal("Gmail", a.Provider);
        Assert.Equal("Gmail.5.7.26", a.RuleId);
        Assert.Equal(BounceCategory.Authentication, a.Category);
        Assert.Equal(BounceChecks.Authentication, a.Checks);
        Assert.Equal("alice.martin@contoso-pharma.example", a.SenderAddress);
        Assert.Equal("contoso-pharma.example", a.SenderDomain);
        Assert.Equal("server response (SPF domain)", a.SenderDomainSource);
        Assert.Equal("lab.results@gmail.com", a.RecipientAddress);
        Assert.Equal("gmail-smtp-in.l.google.com", a.RemoteMta);
        Assert.Equal("mail.contoso-pharma.example", a.ReportingMta);
        Assert.Equal(new[] { "mail" }, a.DkimSelectors);
        // Gmail names the sending IP in its authentication results; the receiver's [142.250.102.27] is not taken.
        Assert.Equal(IPAddress.Parse("198.51.100.25"), a.RelayIp);
        Assert.StartsWith("550 5.7.26 This mail has been blocked because the sender is unauthenticated.", a.ServerResponse);
        Assert.DoesNotContain("550-5.7.26", a.ServerResponse);
    }

    [Fact]
    public void GmailDmarcVariantNamesTheDomainInTheResponse()
    {
        var a = MailBounceAnalyzer.Analyze(BounceSamples.GmailDmarc);
        Assert.False(a.ParsedAsMessage);
        Assert.Equal(550, a.ReplyCode);
        Assert.Equal("5.7.26", a.EnhancedStatusCode);
        Assert.Equal("Gmail.5.7.26.Dmarc", a.RuleId);
        Assert.Equal(BounceCategory.Dmarc, a.Category);
        Assert.Equal("contoso-pharma.example", a.SenderDomain);
        Assert.Equal("server response", a.SenderDomainSource);
        Assert.Equal("finance@gmail.com", a.RecipientAddress);
        Assert.Contains("Unauthenticated email from contoso-pharma.example is not accepted due to domain's DMARC policy.", a.ServerResponse);
        Assert.Null(a.RelayIp);
    }

    public static TheoryData<string, int?, string, string?, string, BounceCategory, string?> Cases => new()
    {
        { BounceSamples.Gmail5725, 550, "5.7.25", "Gmail", "Gmail.5.7.25", BounceCategory.ReverseDns, "203.0.113.40" },
        { BounceSamples.Gmail5727, 550, "5.7.27", "Gmail", "Gmail.5.7.27", BounceCategory.Spf, "192.0.2.199" },
        { BounceSamples.Gmail571Spam, 550, "5.7.1", "Gmail", "Gmail.5.7.1.Spam", BounceCategory.Reputation, "203.0.113.61" },
        { BounceSamples.Gmail571Policy, 550, "5.7.1", "Gmail", "Gmail.5.7.1.Policy", BounceCategory.Policy, null },
        { BounceSamples.Gmail421Deferral, 421, "4.7.0", "Gmail", "Gmail.4.7.x", BounceCategory.RateLimit, "203.0.113.9" },
        { BounceSamples.Gmail421Unauthenticated, 421, "4.7.26", "Gmail", "Gmail.4.7.26", BounceCategory.Authentication, null },
        { BounceSamples.Microsoft515, 550, "5.7.515", "Microsoft", "Microsoft.5.7.515", BounceCategory.Authentication, null },
        { BounceSamples.Microsoft515NoMarkers, 550, "5.7.515", "Microsoft", "Microsoft.5.7.515.Text", BounceCategory.Authentication, null },
        { BounceSamples.MicrosoftBlocklist, 550, "5.7.1", "Microsoft", "Microsoft.5.7.1.Blocklist", BounceCategory.Blocklist, "203.0.113.77" },
        { BounceSamples.Microsoft708, 550, "5.7.708", "Microsoft", "Microsoft.5.7.708", BounceCategory.Reputation, null },
        { BounceSamples.MicrosoftRecipient, 550, "5.4.1", "Microsoft", "Microsoft.5.7.1.Recipient", BounceCategory.Recipient, null },
        { BounceSamples.YahooBlocklist, 553, "5.7.1", "Yahoo", "Yahoo.5.7.1.Blocklist", BounceCategory.Blocklist, "203.0.113.50" },
        { BounceSamples.YahooPolicy, 554, "5.7.9", "Yahoo", "Yahoo.5.7.9", BounceCategory.Reputation, null },
        { BounceSamples.YahooUnauthenticated, 550, "5.7.9", "Yahoo", "Yahoo.5.7.9.Auth", BounceCategory.Authentication, null },
        { BounceSamples.YahooDeferral, 421, "4.7.0", "Yahoo", "Yahoo.4.7.x", BounceCategory.RateLimit, "203.0.113.50" },
        { BounceSamples.GenericUserUnknown, 550, "5.1.1", null, "Rfc.x.1.1", BounceCategory.Recipient, null },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void ClassifiesProviderBounces(string text, int? reply, string code, string? provider, string rule, BounceCategory category, string? relay)
    {
        var a = MailBounceAnalyzer.Analyze(text);
        Assert.Equal(reply, a.ReplyCode);
        Assert.Equal(code, a.EnhancedStatusCode);
        Assert.Equal(provider, a.Provider);
        Assert.Equal(rule, a.RuleId);
        Assert.Equal(category, a.Category);
        Assert.Equal(relay, a.RelayIp?.ToString());
        Assert.False(string.IsNullOrWhiteSpace(a.Meaning));
        Assert.False(string.IsNullOrWhiteSpace(a.LikelyCause));
        Assert.Equal(code[0] == '5' ? "Permanent" : "Transient", a.StatusClass);
        Assert.NotNull(a.ServerResponse);
        Assert.StartsWith(reply + " " + code, a.ServerResponse);
    }

    [Fact]
    public void Microsoft515TakesTheSendingDomainFromTheResponse()
    {
        var a = MailBounceAnalyzer.Analyze(BounceSamples.Microsoft515);
        Assert.Equal("contoso-pharma.example", a.SenderDomain);
        Assert.Equal("server response", a.SenderDomainSource);
        Assert.Equal("jordan.lee@outlook.com", a.RecipientAddress);
        Assert.Equal("fabrikam-labs.example", MailBounceAnalyzer.Analyze(BounceSamples.Microsoft515NoMarkers).SenderDomain);
    }

    [Fact]
    public void PostfixRecipientAndWrappedReply()
    {
        var a = MailBounceAnalyzer.Analyze(BounceSamples.Gmail5727);
        Assert.Contains("The sender domain's SPF record does not authorize the sending IP.", a.ServerResponse);
        Assert.Equal("fabrikam-labs.example", a.SenderDomain);
        Assert.Null(a.SenderAddress);
        Assert.Equal("hr@gmail.com", a.RecipientAddress);
        Assert.Equal("gmail-smtp-in.l.google.com", a.RemoteMta);
    }

    [Fact]
    public void ReceivingServerAddressesAreNeverTheRelay()
    {
        var a = MailBounceAnalyzer.Analyze(BounceSamples.GenericUserUnknown);
        Assert.Null(a.RelayIp);
        Assert.Equal("mx.fabrikam-labs.example", a.RemoteMta);
        Assert.Equal(BounceChecks.None, a.Checks);
    }

    [Fact]
    public void PrivateAddressesAreNotRelays()
    {
        var a = MailBounceAnalyzer.Analyze("550 5.7.1 Client host [10.1.2.3] blocked using Spamhaus; also tried 192.168.1.9 and 203.0.113.8 IP");
        Assert.Equal(IPAddress.Parse("203.0.113.8"), a.RelayIp);
        Assert.False(MailBounceAnalyzer.IsPublic(IPAddress.Parse("fe80::1")));
        Assert.False(MailBounceAnalyzer.IsPublic(IPAddress.Parse("100.64.0.1")));
        Assert.True(MailBounceAnalyzer.IsPublic(IPAddress.Parse("2001:db8::25")));
    }

    [Fact]
    public void Ipv6RelayInBrackets()
    {
        var a = MailBounceAnalyzer.Analyze("550-5.7.25 [2001:db8:25::9] The IP address sending this message does not\n550 5.7.25 have a PTR record setup. - gsmtp");
        Assert.Equal("Gmail.5.7.25", a.RuleId);
        Assert.Equal(IPAddress.Parse("2001:db8:25::9"), a.RelayIp);
    }

    [Fact]
    public void TextWithoutCodesIsUnknownWithNotes()
    {
        var a = MailBounceAnalyzer.Analyze("Hello, the meeting moved to 10:30 in room 4.2.\nSee you there.");
        Assert.Null(a.ReplyCode);
        Assert.Null(a.EnhancedStatusCode);
        Assert.Equal(BounceCategory.Unknown, a.Category);
        Assert.Equal("Unknown", a.StatusClass);
        Assert.Null(a.RuleId);
        Assert.Contains(a.Notes, n => n.Contains("No SMTP reply code"));
    }

    [Fact]
    public void ReplyCodeWithoutEnhancedCodeGivesTheClassMeaning()
    {
        var a = MailBounceAnalyzer.Analyze("host mx.example.net[192.0.2.7] said: 554 Transaction failed (in reply to end of DATA command)");
        Assert.Equal(554, a.ReplyCode);
        Assert.Null(a.EnhancedStatusCode);
        Assert.Equal("Permanent", a.StatusClass);
        Assert.Contains("permanent failure", a.Meaning);
    }

    [Fact]
    public void AnalysesAnEmlStream()
    {
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes(BounceSamples.PostfixGmail5726Eml.Replace("\n", "\r\n")));
        var a = MailBounceAnalyzer.Analyze(stream, "x.eml");
        Assert.True(a.ParsedAsMessage);
        Assert.Equal("Gmail.5.7.26", a.RuleId);
        Assert.Equal("contoso-pharma.example", a.SenderDomain);
    }

    [Fact]
    public void HtmlOnlyNdrIsRead()
    {
        var eml = "From: Microsoft Outlook <postmaster@contoso-pharma.example>\nTo: alice@contoso-pharma.example\nSubject: Undeliverable: report\nMIME-Version: 1.0\nContent-Type: text/html; charset=utf-8\n\n" +
                  "<html><body><p>Your message to <b>sam@hotmail.com</b> couldn&#39;t be delivered.</p><p>Remote server returned &#39;550 5.7.515 Access denied, sending domain [CONTOSO-PHARMA.EXAMPLE] does not meet the required authentication level.&#39;</p></body></html>\n";
        var a = MailBounceAnalyzer.Analyze(eml);
        Assert.True(a.ParsedAsMessage);
        Assert.Equal("Microsoft.5.7.515", a.RuleId);
        Assert.Equal("contoso-pharma.example", a.SenderDomain);
        Assert.Equal("alice@contoso-pharma.example", a.SenderAddress);
    }

    [Fact]
    public void RuleTableIsWellFormed()
    {
        var ids = BounceRules.All.Select(r => r.Id).ToList();
        Assert.Equal(ids.Count, ids.Distinct().Count());
        foreach (var rule in BounceRules.All)
        {
            Assert.False(string.IsNullOrWhiteSpace(rule.Meaning), rule.Id);
            Assert.False(string.IsNullOrWhiteSpace(rule.LikelyCause), rule.Id);
            Assert.False(string.IsNullOrWhiteSpace(rule.Remediation), rule.Id);
            Assert.True(rule.Codes.Count > 0 || rule.Pattern != null, rule.Id);
            foreach (var code in rule.Codes)
                Assert.Matches(@"^[245](\.\*|\.\d{1,3}\.(\d{1,3}|\*)|\.\d{1,3}\*)$|^[245]\.\d\.\d\*$|^[245]\.\*$", code);
            if (rule.Provider is null) Assert.StartsWith("Rfc.", rule.Id);
            else Assert.StartsWith(rule.Provider + ".", rule.Id);
        }
        Assert.Contains(BounceRules.All, r => r.Provider == "Gmail" && r.Codes.Contains("5.7.26"));
        Assert.Contains(BounceRules.All, r => r.Provider == "Microsoft" && r.Codes.Contains("5.7.515"));
        Assert.Contains(BounceRules.All, r => r.Provider == "Microsoft" && r.Codes.Contains("5.7.708"));
    }

    private static readonly string[] Fragments =
    {
        "550", "550-", "5.7.26", "4.7.0", "5.7.515", "553 5.7.1", "[BL21]", "gsmtp", "outlook.com", "yahoodns.net", "[203.0.113.5]",
        "[2001:db8::1]", "host mx.example[192.0.2.1]", "From: a@b.example", "DKIM-Signature: d=x.example; s=s1", "Diagnostic-Code: smtp;",
        "Status: 5.1.1", "Remote-MTA: dns;", "\n", "\n\n", "  ", ";", ":", "<", ">", "@", "Content-Type: multipart/report; boundary=\"b\"", "--b", "\r\n",
        "MIME-Version: 1.0", "Received: from x ([10.0.0.1])", "sending domain", "Unauthenticated email from ", " is not accepted", "DMARC",
        "\u00e9", "\0", "999.999.999.999", "1.2.3.4.5", "::::", "[::]", "5.7.", "55", "#5.7.1",
    };

    [Fact]
    public void RandomTextNeverThrows()
    {
        var gen = Gen.OneOf(
            Gen.String,
            Gen.String[Gen.Char, 0, 3000],
            Gen.Int[0, Fragments.Length - 1].Array[0, 60].Select(ix => string.Concat(ix.Select(i => Fragments[i]))));
        gen.Sample(text =>
        {
            var a = MailBounceAnalyzer.Analyze(text);
            Assert.NotNull(a.Meaning);
            Assert.Contains(a.StatusClass, new[] { "Permanent", "Transient", "Success", "Unknown" });
            if (a.EnhancedStatusCode != null) Assert.Matches(@"^[245]\.\d{1,3}\.\d{1,3}$", a.EnhancedStatusCode);
            if (a.RelayIp != null) Assert.True(MailBounceAnalyzer.IsPublic(a.RelayIp));
        }, iter: 1000);
    }

    [Fact]
    public void MutatedRealBouncesNeverThrow()
    {
        var samples = new[] { BounceSamples.PostfixGmail5726Eml, BounceSamples.Microsoft515, BounceSamples.GmailDmarc, BounceSamples.YahooBlocklist };
        Gen.Select(Gen.Int[0, samples.Length - 1], Gen.Int[0, 5000], Gen.Int[0, 200], Gen.String[Gen.Char, 0, 20], (s, at, cut, insert) => (s, at, cut, insert))
            .Sample(t =>
            {
                var text = samples[t.s];
                var at = Math.Min(t.at, text.Length);
                var cut = Math.Min(t.cut, text.Length - at);
                var mutated = text.Substring(0, at) + t.insert + text.Substring(at + cut);
                _ = MailBounceAnalyzer.Analyze(mutated);
                using var stream = new MemoryStream(Encoding.UTF8.GetBytes(mutated));
                _ = MailBounceAnalyzer.Analyze(stream);
            }, iter: 500);
    }

    [Fact]
    public void NullAndEmptyInput()
    {
        Assert.Equal(BounceCategory.Unknown, MailBounceAnalyzer.Analyze((string?)null).Category);
        Assert.Equal(BounceCategory.Unknown, MailBounceAnalyzer.Analyze("").Category);
    }
}
