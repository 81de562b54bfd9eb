namespace MailAuth.Tests.Bounces;

/// <summary>
/// Bounce texts written for these tests in the shapes the big providers and common MTAs use (wording paraphrased,
/// addresses and IPs fictional or documentation ranges).
/// </summary>
internal static class BounceSamples
{
    /// <summary>A Postfix DSN (RFC 3464) for a Gmail 5.7.26 rejection, with the returned message's headers.</summary>
    public static readonly string PostfixGmail5726Eml = """
        Return-Path: <>
        Received: by mail.contoso-pharma.example (Postfix)
        	id 4XyZ1a2b3c; Tue, 12 Nov 2024 09:41:07 +0100 (CET)
        Date: Tue, 12 Nov 2024 09:41:07 +0100 (CET)
        From: MAILER-DAEMON@mail.contoso-pharma.example (Mail Delivery System)
        Subject: Undelivered Mail Returned to Sender
        To: alice.martin@contoso-pharma.example
        Auto-Submitted: auto-replied
        MIME-Version: 1.0
        Content-Type: multipart/report; report-type=delivery-status;
        	boundary="4XyZ1a2b3c.1731400867/mail.contoso-pharma.example"
        Message-Id: <20241112084107.4XyZ1a2b3c@mail.contoso-pharma.example>

        This is a MIME-encapsulated message.

        --4XyZ1a2b3c.1731400867/mail.contoso-pharma.example
        Content-Description: Notification
        Content-Type: text/plain; charset=us-ascii

        This is the mail system at host mail.contoso-pharma.example.

        I'm sorry to have to inform you that your message could not
        be delivered to one or more recipients. It's attached below.

        <lab.results@gmail.com>: host gmail-smtp-in.l.google.com[142.250.102.27]
            said: 550-5.7.26 This mail has been blocked because the sender is
            unauthenticated. Gmail requires all senders to authenticate with either
            SPF or DKIM. 550-5.7.26  550-5.7.26  Authentication results: 550-5.7.26
            DKIM = did not pass 550-5.7.26  SPF [contoso-pharma.example] with ip:
            [198.51.100.25] = did not pass 550-5.7.26  550 5.7.26 For instructions
            on setting up authentication, go to the Gmail help pages.
            a640c23a62f3a-5a4b3c2d1e0f.12 - gsmtp (in reply to end of DATA command)

        --4XyZ1a2b3c.1731400867/mail.contoso-pharma.example
        Content-Description: Delivery report
        Content-Type: message/delivery-status

        Reporting-MTA: dns; mail.contoso-pharma.example
        X-Postfix-Queue-ID: 4XyZ1a2b3c
        X-Postfix-Sender: rfc822; alice.martin@contoso-pharma.example
        Arrival-Date: Tue, 12 Nov 2024 09:41:05 +0100 (CET)

        Final-Recipient: rfc822; lab.results@gmail.com
        Original-Recipient: rfc822;lab.results@gmail.com
        Action: failed
        Status: 5.7.26
        Remote-MTA: dns; gmail-smtp-in.l.google.com
        Diagnostic-Code: smtp; 550-5.7.26 This mail has been blocked because the sender
            is unauthenticated. Gmail requires all senders to authenticate with either
            SPF or DKIM. 550-5.7.26  550-5.7.26  Authentication results: 550-5.7.26
            DKIM = did not pass 550-5.7.26  SPF [contoso-pharma.example] with ip:
            [198.51.100.25] = did not pass 550-5.7.26  550 5.7.26 For instructions
            on setting up authentication, go to the Gmail help pages.
            a640c23a62f3a-5a4b3c2d1e0f.12 - gsmtp

        --4XyZ1a2b3c.1731400867/mail.contoso-pharma.example
        Content-Description: Undelivered Message Headers
        Content-Type: text/rfc822-headers

        Return-Path: <alice.martin@contoso-pharma.example>
        Received: from labhost01.corp.contoso-pharma.example (labhost01 [10.20.0.14])
        	by mail.contoso-pharma.example (Postfix) with ESMTP id 4XyZ1a2b3c
        	for <lab.results@gmail.com>; Tue, 12 Nov 2024 09:41:05 +0100 (CET)
        DKIM-Signature: v=1; a=rsa-sha256; c=relaxed/relaxed; d=contoso-pharma.example;
        	s=mail; t=1731400865; h=from:to:subject:date:message-id;
        	bh=47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=; b=dGVzdA==
        From: Alice Martin <alice.martin@contoso-pharma.example>
        To: lab.results@gmail.com
        Subject: Batch 2024-117 results
        Date: Tue, 12 Nov 2024 09:41:04 +0100
        Message-ID: <batch-2024-117@contoso-pharma.example>

        --4XyZ1a2b3c.1731400867/mail.contoso-pharma.example--
        """;

    /// <summary>Gmail's DMARC variant of 5.7.26, as pasted from a Gmail "Delivery Status Notification".</summary>
    public const string GmailDmarc = """
        Address not found? No - message blocked

        Your message to finance@gmail.com has been blocked. See technical details below for more information.

        The response from the remote server was:
        550-5.7.26 Unauthenticated email from contoso-pharma.example is not accepted due
        550-5.7.26 to domain's DMARC policy. Please contact the administrator of
        550-5.7.26 contoso-pharma.example domain if this was a legitimate mail. To learn
        550-5.7.26 about the DMARC initiative, go to the Gmail help pages.
        550 5.7.26 d9443c01a7336-20c7e3a1b2sm123456ad.99 - gsmtp
        """;

    public const string Gmail5725 = """
        Delivery to the following recipient failed permanently:

             orders@gmail.com

        Technical details of permanent failure:
        The recipient server did not accept our requests to connect.
        [gmail-smtp-in.l.google.com. 142.251.9.26: 550-5.7.25 [203.0.113.40] The IP address sending this message does not
        550-5.7.25 have a PTR record setup, or the corresponding forward DNS entry does
        550-5.7.25 not point to the sending IP. As a policy, Gmail does not accept
        550 5.7.25 messages from IPs with missing PTR records. - gsmtp]
        """;

    public const string Gmail5727 = """
        <hr@gmail.com>: host gmail-smtp-in.l.google.com[142.250.27.26] said:
            550-5.7.27 This mail has been blocked because the sender is
            unauthenticated. The sender domain's SPF record does not authorize the
            sending IP. 550 5.7.27 SPF [fabrikam-labs.example] with ip: [192.0.2.199] = fail. - gsmtp
            (in reply to end of DATA command)
        """;

    public const string Gmail571Spam = """
        550-5.7.1 [203.0.113.61      12] Our system has detected that this message is
        550-5.7.1 likely unsolicited mail. To reduce the amount of spam sent to Gmail,
        550-5.7.1 this message has been blocked. Please visit the Gmail bulk sender
        550 5.7.1 guidelines for more information. 5b1f17b1804b1-43168d2e8f0si.1 - gsmtp
        """;

    public const string Gmail571Policy = """
        550 5.7.1 The user or domain that you are sending to (or from) has a policy that
        prohibited the mail that you sent. Please contact your domain administrator for further details. - gsmtp
        """;

    public const string Gmail421Deferral = """
        Delivery incomplete

        There was a temporary problem delivering your message to buyer@gmail.com. Gmail will retry for 47 more hours.

        The response was:
        421-4.7.0 [203.0.113.9      15] Our system has detected an unusual rate of
        421-4.7.0 unsolicited mail originating from your IP address. To protect our
        421 4.7.0 users from spam, mail sent from your IP address has been temporarily rate limited. - gsmtp
        """;

    public const string Gmail421Unauthenticated = """
        host gmail-smtp-in.l.google.com[142.250.1.27] said: 421-4.7.26 This mail has been rate limited because it is
        unauthenticated. Gmail requires all senders to authenticate with either SPF or DKIM. 421 4.7.26 - gsmtp
        """;

    /// <summary>An Exchange Online / Outlook.com NDR body, as pasted.</summary>
    public const string Microsoft515 = """
        Your message to jordan.lee@outlook.com couldn't be delivered.
        contoso-pharma.example suspects your message is spam and rejected it.
        alice.martin  Office 365  jordan.lee
        Sender  Action Required  Recipient

        Diagnostic information for administrators:

        Generating server: BL0PR02MB4321.namprd02.prod.outlook.com

        jordan.lee@outlook.com
        Remote server returned '550 5.7.515 Access denied, sending domain [CONTOSO-PHARMA.EXAMPLE] does not meet the required authentication level. The sender's domain in the 5322.From address doesn't meet the authentication requirements defined for the sender. [SN1PEPF0002BA4F.namprd03.prod.outlook.com 2025-05-06T08:01:12.345Z 08DCEE1234567890]'
        """;

    public const string Microsoft515NoMarkers = "smtp; 550 5.7.515 Access denied, sending domain fabrikam-labs.example does not meet the required authentication level.";

    public const string MicrosoftBlocklist = """
        Remote Server returned '550 5.7.1 Service unavailable, Client host [203.0.113.77] blocked using Spamhaus. To request removal from this list see https://www.spamhaus.org/query/ip/203.0.113.77 (AS3130). [DM6NAM12FT021.eop-nam12.prod.protection.outlook.com 2024-10-01T10:00:00.000Z 08DCE1A2B3C4D5E6]'
        """;

    public const string Microsoft708 = """
        Remote Server returned '550 5.7.708 Service unavailable. Access denied, traffic not accepted from this IP. For more information please go to http://go.microsoft.com/fwlink/?LinkId=526653 AS(7230) [AM7EUR03FT020.eop-EUR03.prod.protection.outlook.com]'
        """;

    public const string MicrosoftRecipient = """
        Remote Server returned '550 5.4.1 Recipient address rejected: Access denied. For more information see https://aka.ms/EXOSmtpErrors [DB5PEPF00014B8E.eurprd02.prod.outlook.com 2024-09-12T11:22:33.444Z 08DCD1234ABCDEF0]'
        """;

    public const string YahooBlocklist = """
        <carol@yahoo.com>: host mta7.am0.yahoodns.net[67.195.204.72] refused to talk to me:
            553 5.7.1 [BL21] Connections will not be accepted from 203.0.113.50, because the ip is in Spamhaus's list; see https://postmaster.yahooinc.com/error-codes
        """;

    public const string YahooPolicy = "<dave@yahoo.com>: host mta6.am0.yahoodns.net[98.136.96.91] said: 554 5.7.9 Message not accepted for policy reasons.  See https://postmaster.yahooinc.com/error-codes (in reply to end of DATA command)";

    public const string YahooUnauthenticated = "host mta5.am0.yahoodns.net[67.195.228.106] said: 550 5.7.9 This mail has been blocked because the sender is unauthenticated. Yahoo requires all senders to authenticate with either SPF or DKIM. (in reply to end of DATA command)";

    public const string YahooDeferral = "host mta6.am0.yahoodns.net[98.136.96.75] said: 421 4.7.0 [TSS04] Messages from 203.0.113.50 temporarily deferred due to unexpected volume or user complaints - 4.16.55.1; see https://postmaster.yahooinc.com/error-codes (in reply to MAIL FROM command)";

    public const string GenericUserUnknown = """
        <nobody@fabrikam-labs.example>: host mx.fabrikam-labs.example[192.0.2.10] said:
            550 5.1.1 <nobody@fabrikam-labs.example>: Recipient address rejected: User
            unknown in virtual mailbox table (in reply to RCPT TO command)
        """;
}
