using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;
using MailAuth.Dns;
using MimeKit;

namespace MailAuth.Bounces
{
    /// <summary>
    /// Reads a bounce (a DSN per RFC 3464 as an .eml, a provider's non-delivery report, or the pasted text of one),
    /// finds the SMTP reply code (RFC 5321 §4.2) and the enhanced status code (RFC 3463), the provider, the sender
    /// domain and the relay IP, and classifies it with the table in <see cref="BounceRules"/>. Never throws on input:
    /// what cannot be found is left null and explained in <see cref="MailBounceAnalysis.Notes"/>.
    /// </summary>
    public static class MailBounceAnalyzer
    {
        /// <summary>At most this much text is examined (a bounce that quotes a large message is cut here).</summary>
        public const int MaxTextLength = 1_000_000;

        private static readonly TimeSpan RegexTimeout = TimeSpan.FromSeconds(2);
        private const RegexOptions Opts = RegexOptions.IgnoreCase | RegexOptions.CultureInvariant;

        private static readonly Regex FullCode = new Regex(@"(?<![\w.])(?<reply>[245][0-5]\d)(?:[ \t]*-[ \t]*|[ \t]+#?|#)(?<esc>[245]\.\d{1,3}\.\d{1,3})(?!\.?\d)", Opts, RegexTimeout);
        private static readonly Regex EnhancedOnly = new Regex(@"(?<![\w.])#?(?<esc>[245]\.\d{1,3}\.\d{1,3})(?!\.?\d)", Opts, RegexTimeout);
        private static readonly Regex ReplyAfterWords = new Regex(@"(?:said|returned|was|responded|smtp|reply|error)\s{0,3}[:;]?\s{0,3}['""(]?(?<reply>[45][0-5]\d)(?=[ \t-])", Opts, RegexTimeout);
        private static readonly Regex FieldLine = new Regex(@"^(?<name>[A-Za-z][A-Za-z0-9-]{0,60}):[ \t]*(?<value>[^\n]*(?:\n[ \t]+[^\n]*)*)", Opts | RegexOptions.Multiline, RegexTimeout);
        private static readonly Regex Email = new Regex(@"(?<![\w.%+=-])(?<local>[A-Za-z0-9._%+=-]{1,64})@(?<domain>[A-Za-z0-9](?:[A-Za-z0-9-]{0,62}\.)+[A-Za-z][A-Za-z0-9-]{1,62})(?![\w-])", Opts, RegexTimeout);
        private static readonly Regex Ipv4 = new Regex(@"(?<![\w.])(?<ip>\d{1,3}(?:\.\d{1,3}){3})(?![\w.]?\d)", Opts, RegexTimeout);
        private static readonly Regex Bracketed = new Regex(@"\[(?:IPv6:)?(?<ip>[0-9A-Fa-f:.]{2,45})\]", Opts, RegexTimeout);
        private static readonly Regex Ipv6AfterKeyword = new Regex(@"\b(?:IP|address|client host|host)\b[^\n\[\w]{0,12}(?<ip>[0-9A-Fa-f]{0,4}(?::[0-9A-Fa-f]{0,4}){2,7})", Opts, RegexTimeout);
        private static readonly Regex IpKeywordBefore = new Regex(@"(?:\bIP\b|\bIPs\b|address|client host|connections?|from|sending|sender|host)[^\n\w]{0,4}(?:\w+[^\n\w]{1,3}){0,3}$", Opts, RegexTimeout);
        private static readonly Regex PostfixHost = new Regex(@"\bhost (?<host>[A-Za-z0-9](?:[A-Za-z0-9-]*\.)+[A-Za-z0-9-]+)\[", Opts, RegexTimeout);
        private static readonly Regex NewParagraph = new Regex(@"^(?:[A-Za-z][A-Za-z0-9-]{0,60}:\s|\s*<[^>\s]+@[^>\s]+>:)", Opts, RegexTimeout);
        private static readonly Regex PostfixRecipient = new Regex(@"^\s*<(?<a>[A-Za-z0-9._%+=-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,})>:", Opts | RegexOptions.Multiline, RegexTimeout);
        private static readonly Regex HeaderStart = new Regex(@"^[!-9;-~]{1,76}:", RegexOptions.CultureInvariant, RegexTimeout);
        private static readonly Regex Tag = new Regex(@"<[^>]{0,2000}>", Opts, RegexTimeout);
        private static readonly Regex Daemon = new Regex(@"^(?:mailer-daemon|mail-daemon|maildaemon|postmaster|microsoftexchange[0-9a-f]*|mail\.?delivery(?:subsystem)?|bounces?)$", Opts, RegexTimeout);

        private static readonly (Regex Pattern, string How)[] DomainInResponse =
        {
            (new Regex(@"(?:e-?mail|mail|message)s? from \[?(?<d>[A-Za-z0-9](?:[A-Za-z0-9-]*\.)+[A-Za-z]{2,63})\]? (?:is|are|was|were|has|have)\b", Opts, RegexTimeout), "server response"),
            (new Regex(@"sending domain \[?(?<d>[A-Za-z0-9](?:[A-Za-z0-9-]*\.)+[A-Za-z]{2,63})\]?", Opts, RegexTimeout), "server response"),
            (new Regex(@"domain of (?:[^\s@]+@)?(?<d>[A-Za-z0-9](?:[A-Za-z0-9-]*\.)+[A-Za-z]{2,63}) does not designate", Opts, RegexTimeout), "server response"),
            (new Regex(@"(?:sender|from|author) domain \[?(?<d>[A-Za-z0-9](?:[A-Za-z0-9-]*\.)+[A-Za-z]{2,63})\]?", Opts, RegexTimeout), "server response"),
            // Gmail's authentication results: "SPF [contoso.example] with ip: [192.0.2.1] = did not pass".
            (new Regex(@"\bSPF \[(?<d>[A-Za-z0-9](?:[A-Za-z0-9-]*\.)+[A-Za-z]{2,63})\]", Opts, RegexTimeout), "server response (SPF domain)"),
        };

        private static readonly (string Provider, string[] Markers)[] ProviderMarkers =
        {
            (BounceRules.Gmail, new[] { "gsmtp", "google.com", "googlemail.com", "gmail.com", "gmail" }),
            (BounceRules.Microsoft, new[] { "protection.outlook.com", "outlook.com", "hotmail.com", "live.com", "msn.com", "office365", "office 365", "microsoft", "exchange online", "exchangelabs" }),
            (BounceRules.Yahoo, new[] { "yahoodns.net", "yahoo.com", "yahoo", "yahooinc", "aol.com" }),
        };

        /// <summary>Analyses bounce text (plain, or a whole message in RFC 5322 form).</summary>
        public static MailBounceAnalysis Analyze(string? text, string? source = null)
        {
            var input = text ?? string.Empty;
            if (input.Length > MaxTextLength) input = input.Substring(0, MaxTextLength);
            input = input.Replace("\r\n", "\n").Replace('\r', '\n');
            Parts? parts = null;
            if (LooksLikeMessage(input))
            {
                try
                {
                    using var stream = new MemoryStream(Encoding.UTF8.GetBytes(input));
                    parts = FromMessage(MimeMessage.Load(stream));
                }
                catch (Exception ex) when (!(ex is OutOfMemoryException))
                {
                    parts = null;
                }
            }
            return Analyze(parts ?? FromText(input), source ?? "text");
        }

        /// <summary>Analyses a message file (.eml) or text from a stream.</summary>
        public static MailBounceAnalysis Analyze(Stream stream, string? source = null)
        {
            if (stream is null) throw new ArgumentNullException(nameof(stream));
            using var buffer = new MemoryStream();
            var chunk = new byte[81920];
            int read;
            while (buffer.Length < MaxTextLength && (read = stream.Read(chunk, 0, chunk.Length)) > 0) buffer.Write(chunk, 0, read);
            return Analyze(Decode(buffer.ToArray()), source);
        }

        /// <summary>UTF-8 when valid, otherwise Latin-1 (bytes kept one for one).</summary>
        private static string Decode(byte[] bytes)
        {
            try { return new UTF8Encoding(false, true).GetString(bytes); }
            catch (DecoderFallbackException) { return Encoding.GetEncoding(28591).GetString(bytes); }
        }

        /// <summary>What the analysis reads, from a MIME message or from plain text.</summary>
        private sealed class Parts
        {
            public bool IsMessage;
            /// <summary>Human-readable text of the report (text parts; the whole text for plain input).</summary>
            public string Body = string.Empty;
            /// <summary>DSN fields (message/delivery-status), or fields found in plain text.</summary>
            public List<KeyValuePair<string, string>> Fields = new List<KeyValuePair<string, string>>();
            /// <summary>From addresses of the returned message.</summary>
            public List<string> OriginalFrom = new List<string>();
            /// <summary>The bounce's own recipients (the original sender, for a bounce sent back).</summary>
            public List<string> BounceTo = new List<string>();
            public List<string> DkimSignatures = new List<string>();
            public List<string> ReturnPaths = new List<string>();
        }

        private static bool LooksLikeMessage(string text)
        {
            var lines = text.Split('\n');
            int i = 0;
            while (i < lines.Length && lines[i].Trim().Length == 0) i++;
            if (i >= lines.Length || !HeaderStart.IsMatch(lines[i])) return false;
            bool known = false;
            for (int n = 0; i < lines.Length && n < 400; i++, n++)
            {
                var line = lines[i];
                if (line.Length == 0) return known;
                if (line[0] == ' ' || line[0] == '\t') continue;
                if (!HeaderStart.IsMatch(line)) return false;
                var name = line.Substring(0, line.IndexOf(':')).ToLowerInvariant();
                if (name == "from" || name == "to" || name == "subject" || name == "content-type" || name == "received" ||
                    name == "return-path" || name == "date" || name == "message-id" || name == "mime-version")
                    known = true;
            }
            return known;
        }

        private static Parts FromMessage(MimeMessage message)
        {
            var parts = new Parts { IsMessage = true };
            parts.BounceTo.AddRange(message.To.Mailboxes.Select(m => m.Address).Where(a => !string.IsNullOrEmpty(a)));
            var body = new StringBuilder();
            Walk(message.Body, parts, body);
            parts.Body = body.ToString();
            return parts;
        }

        private static void Walk(MimeEntity? entity, Parts parts, StringBuilder body)
        {
            switch (entity)
            {
                case null: return;
                case Multipart multipart:
                    var alternative = multipart.ContentType.IsMimeType("multipart", "alternative");
                    if (alternative)
                    {
                        // One rendering is enough: plain text when there is one.
                        var plain = multipart.FirstOrDefault(p => p is TextPart t && t.IsPlain) ?? multipart.LastOrDefault();
                        Walk(plain, parts, body);
                    }
                    else
                    {
                        foreach (var child in multipart) Walk(child, parts, body);
                    }
                    return;
                case MessagePart messagePart:
                    var original = messagePart.Message;
                    if (original is null) return;
                    parts.OriginalFrom.AddRange(original.From.Mailboxes.Select(m => m.Address).Where(a => !string.IsNullOrEmpty(a)));
                    foreach (var h in original.Headers)
                    {
                        if (h.Id == HeaderId.DkimSignature) parts.DkimSignatures.Add(h.Value);
                        else if (h.Id == HeaderId.ReturnPath) parts.ReturnPaths.Add(h.Value);
                    }
                    return;
                case TextPart text:
                    var content = text.Text ?? string.Empty;
                    if (text.IsHtml) content = WebUtility.HtmlDecode(SafeReplace(Tag, content, " "));
                    body.Append(content.Replace("\r\n", "\n")).Append('\n');
                    return;
                case MimePart part:
                    var type = part.ContentType;
                    if (type.MediaType.Equals("message", StringComparison.OrdinalIgnoreCase) &&
                        type.MediaSubtype.IndexOf("delivery-status", StringComparison.OrdinalIgnoreCase) >= 0 && part.Content != null)
                    {
                        using var decoded = new MemoryStream();
                        part.Content.DecodeTo(decoded);
                        var dsn = Decode(decoded.ToArray()).Replace("\r\n", "\n");
                        parts.Fields.AddRange(ReadFields(dsn));
                        body.Append(dsn).Append('\n');
                    }
                    else if (type.MediaType.Equals("text", StringComparison.OrdinalIgnoreCase) &&
                        type.MediaSubtype.Equals("rfc822-headers", StringComparison.OrdinalIgnoreCase) && part.Content != null)
                    {
                        using var decoded = new MemoryStream();
                        part.Content.DecodeTo(decoded);
                        AddOriginalHeaders(Decode(decoded.ToArray()).Replace("\r\n", "\n"), parts);
                    }
                    return;
            }
        }

        private static void AddOriginalHeaders(string headers, Parts parts)
        {
            foreach (var f in ReadFields(headers))
            {
                if (f.Key.Equals("From", StringComparison.OrdinalIgnoreCase)) parts.OriginalFrom.AddRange(Addresses(f.Value));
                else if (f.Key.Equals("DKIM-Signature", StringComparison.OrdinalIgnoreCase)) parts.DkimSignatures.Add(f.Value);
                else if (f.Key.Equals("Return-Path", StringComparison.OrdinalIgnoreCase)) parts.ReturnPaths.Add(f.Value);
            }
        }

        private static Parts FromText(string text)
        {
            var parts = new Parts { Body = text };
            var fields = ReadFields(text);
            parts.Fields.AddRange(fields);
            foreach (var f in fields)
            {
                if (f.Key.Equals("From", StringComparison.OrdinalIgnoreCase)) parts.OriginalFrom.AddRange(Addresses(f.Value));
                else if (f.Key.Equals("DKIM-Signature", StringComparison.OrdinalIgnoreCase)) parts.DkimSignatures.Add(f.Value);
                else if (f.Key.Equals("Return-Path", StringComparison.OrdinalIgnoreCase) || f.Key.Equals("X-Postfix-Sender", StringComparison.OrdinalIgnoreCase))
                    parts.ReturnPaths.Add(f.Value);
            }
            return parts;
        }

        private static List<KeyValuePair<string, string>> ReadFields(string text)
        {
            var list = new List<KeyValuePair<string, string>>();
            foreach (Match m in SafeMatches(FieldLine, text))
            {
                var value = Regex.Replace(m.Groups["value"].Value, @"\s+", " ").Trim();
                list.Add(new KeyValuePair<string, string>(m.Groups["name"].Value, value));
            }
            return list;
        }

        private static IEnumerable<string> Addresses(string text) =>
            SafeMatches(Email, text).Cast<Match>().Select(m => m.Value);

        private static MailBounceAnalysis Analyze(Parts parts, string source)
        {
            var notes = new List<string>();
            var result = new MailBounceAnalysis { Source = source, ParsedAsMessage = parts.IsMessage };

            string Field(string name) => parts.Fields.Where(f => f.Key.Equals(name, StringComparison.OrdinalIgnoreCase)).Select(f => f.Value).FirstOrDefault() ?? string.Empty;
            IEnumerable<string> FieldsNamed(string name) => parts.Fields.Where(f => f.Key.Equals(name, StringComparison.OrdinalIgnoreCase)).Select(f => f.Value);

            // 1. Codes: the DSN's Diagnostic-Code first, then its Status, then the text.
            var codes = FindCodes(FieldsNamed("Diagnostic-Code"), FieldsNamed("Status"), parts.Body);
            result.ReplyCode = codes.Reply;
            result.EnhancedStatusCode = codes.Enhanced;
            result.ServerResponse = codes.Response;
            if (codes.Others.Count > 0)
                notes.Add($"Other status codes in the text: {string.Join(", ", codes.Others)}; the first failure code was used.");
            var cls = codes.Enhanced?[0] ?? (codes.Reply.HasValue ? (char)('0' + codes.Reply.Value / 100) : '?');
            result.StatusClass = cls == '5' ? "Permanent" : cls == '4' ? "Transient" : cls == '2' ? "Success" : "Unknown";
            if (codes.Reply is null && codes.Enhanced is null) notes.Add("No SMTP reply code or enhanced status code was found in the text.");

            // 2. Servers.
            var remote = Field("Remote-MTA");
            result.RemoteMta = remote.Length > 0 ? StripType(remote) : FirstGroup(PostfixHost, parts.Body, "host");
            var reporting = Field("Reporting-MTA");
            result.ReportingMta = reporting.Length > 0 ? StripType(reporting) : null;

            // 3. Provider: the server response, then the receiving server, then the whole text.
            var provider = DetectProvider(result.ServerResponse) ?? DetectProvider(result.RemoteMta) ?? DetectProvider(parts.Body, whole: true);

            // 4. Rule.
            var ruleText = result.ServerResponse ?? (parts.Body.Length > 20000 ? parts.Body.Substring(0, 20000) : parts.Body);
            var rule = Classify(provider, result.ReplyCode, result.EnhancedStatusCode, ruleText);
            if (rule != null)
            {
                if (provider is null && rule.Provider != null) provider = rule.Provider;
                result.RuleId = rule.Id;
                result.Category = rule.Category;
                result.Checks = rule.Checks;
                result.Meaning = rule.Meaning;
                result.LikelyCause = rule.LikelyCause;
                result.Remediation = rule.Remediation;
            }
            else
            {
                result.Category = BounceCategory.Unknown;
                result.Checks = result.StatusClass == "Unknown" ? BounceChecks.None : BounceChecks.All;
                result.Meaning = result.StatusClass == "Permanent" ? "A permanent failure (RFC 3463 class 5): the sending server does not retry."
                    : result.StatusClass == "Transient" ? "A temporary failure (RFC 3463 class 4): the sending server retries for a while."
                    : result.StatusClass == "Success" ? "A success status (RFC 3463 class 2), not a failure."
                    : "The text holds no status code that could be recognised.";
                result.LikelyCause = "The response text is the best guide.";
                result.Remediation = "Read the server response.";
            }
            result.Provider = provider;
            if (provider is null && result.StatusClass != "Unknown") notes.Add("The provider could not be told from the text.");

            // 5. Sender.
            var daemonFree = new Func<string, bool>(a => !Daemon.IsMatch(a.Split('@')[0]));
            var senderAddress = parts.OriginalFrom.FirstOrDefault(daemonFree)
                ?? parts.ReturnPaths.SelectMany(Addresses).FirstOrDefault(daemonFree)
                ?? (parts.IsMessage ? parts.BounceTo.FirstOrDefault(daemonFree) : null);
            result.SenderAddress = senderAddress;
            string? senderDomain = null, how = null;
            if (result.ServerResponse != null)
            {
                foreach (var (pattern, what) in DomainInResponse)
                {
                    var d = FirstGroup(pattern, result.ServerResponse, "d");
                    if (d != null && DnsName.TryNormalizeDomain(d, out var n, out _) && n.Contains('.')) { senderDomain = n; how = what; break; }
                }
            }
            if (senderDomain is null && parts.OriginalFrom.FirstOrDefault(daemonFree) is string from && DomainOf(from) is string fd) { senderDomain = fd; how = "From header"; }
            if (senderDomain is null && parts.ReturnPaths.SelectMany(Addresses).FirstOrDefault(daemonFree) is string rp && DomainOf(rp) is string rd) { senderDomain = rd; how = "envelope sender"; }
            if (senderDomain is null && parts.IsMessage && parts.BounceTo.FirstOrDefault(daemonFree) is string to && DomainOf(to) is string td) { senderDomain = td; how = "recipient of the bounce"; }
            var signatures = parts.DkimSignatures.Select(ParseSignature).Where(s => s.Domain != null && s.Selector != null).ToList();
            if (senderDomain is null && signatures.Count > 0) { senderDomain = signatures[0].Domain; how = "DKIM-Signature d="; }
            result.SenderDomain = senderDomain;
            result.SenderDomainSource = how;
            if (senderDomain is null) notes.Add("No sender domain was found; give -SenderDomain to audit.");
            result.DkimSelectors = signatures.Where(s => senderDomain != null && s.Domain == senderDomain).Select(s => s.Selector!).Distinct().ToList();

            // 6. Recipient.
            var recipient = FieldsNamed("Final-Recipient").Concat(FieldsNamed("Original-Recipient")).SelectMany(Addresses).FirstOrDefault();
            if (recipient is null) recipient = FirstGroup(PostfixRecipient, parts.Body, "a");
            if (recipient is null)
            {
                var m = SafeMatch(new Regex(@"(?:delivery to|message to|wasn't delivered to|was not delivered to|recipient(?:s)?)\W{0,40}?(?<a>[A-Za-z0-9._%+=-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,})", Opts, RegexTimeout), parts.Body);
                if (m != null) recipient = m.Groups["a"].Value;
            }
            result.RecipientAddress = recipient;

            // 7. Relay IP: named in the server response, else near words that say it is the sender's.
            result.RelayIp = FindRelayIp(result.ServerResponse, strict: false) ?? FindRelayIp(BodyWithoutServerLines(parts.Body), strict: true);
            if (result.RelayIp is null && (result.Checks & (BounceChecks.Spf | BounceChecks.Ptr)) != 0)
                notes.Add("No sending IP was found in the text; give -IPAddress for the SPF and PTR checks.");

            result.Notes = notes;
            return result;
        }

        private sealed class CodeResult
        {
            public int? Reply;
            public string? Enhanced;
            public string? Response;
            public List<string> Others = new List<string>();
        }

        private static CodeResult FindCodes(IEnumerable<string> diagnosticCodes, IEnumerable<string> statuses, string body)
        {
            var r = new CodeResult();
            // Diagnostic-Code: "smtp; 550-5.7.26 ..." (RFC 3464 §2.3.6).
            foreach (var diag in diagnosticCodes)
            {
                var m = FirstFailure(FullCode, diag);
                if (m != null)
                {
                    r.Reply = int.Parse(m.Groups["reply"].Value, System.Globalization.CultureInfo.InvariantCulture);
                    r.Enhanced = m.Groups["esc"].Value;
                }
                else
                {
                    var reply = SafeMatch(new Regex(@"^\s*[A-Za-z0-9-]*\s*;\s*(?<reply>[245][0-5]\d)\b", Opts, RegexTimeout), diag);
                    if (reply != null) r.Reply = int.Parse(reply.Groups["reply"].Value, System.Globalization.CultureInfo.InvariantCulture);
                    var esc = FirstFailure(EnhancedOnly, diag);
                    if (esc != null) r.Enhanced = esc.Groups["esc"].Value;
                }
                if (r.Reply != null || r.Enhanced != null)
                {
                    var text = diag;
                    var semi = text.IndexOf(';');
                    if (semi >= 0 && semi < 20) text = text.Substring(semi + 1);
                    r.Response = CleanResponse(text, r.Reply, r.Enhanced);
                    break;
                }
            }
            if (r.Enhanced is null)
            {
                foreach (var status in statuses)
                {
                    var esc = FirstFailure(EnhancedOnly, status);
                    if (esc != null) { r.Enhanced = esc.Groups["esc"].Value; break; }
                }
            }
            // The text: the first failure code, and the lines of the reply it starts.
            var lines = body.Split('\n');
            if (r.Reply is null || r.Enhanced is null || r.Response is null)
            {
                for (int i = 0; i < lines.Length; i++)
                {
                    var m = FirstFailure(FullCode, lines[i]);
                    if (m is null) continue;
                    var reply = int.Parse(m.Groups["reply"].Value, System.Globalization.CultureInfo.InvariantCulture);
                    var esc = m.Groups["esc"].Value;
                    if (r.Enhanced != null && r.Enhanced != esc && r.Reply != null) continue;
                    r.Reply ??= reply;
                    r.Enhanced ??= esc;
                    r.Response ??= ReplyText(lines, i, m.Index, reply, esc);
                    break;
                }
            }
            if (r.Enhanced is null)
            {
                for (int i = 0; i < lines.Length && r.Enhanced is null; i++)
                {
                    var m = FirstFailure(EnhancedOnly, lines[i]);
                    if (m is null) continue;
                    r.Enhanced = m.Groups["esc"].Value;
                    r.Response ??= CleanResponse(lines[i].Trim(), r.Reply, r.Enhanced);
                }
            }
            if (r.Reply is null)
            {
                var m = SafeMatch(ReplyAfterWords, body);
                if (m != null)
                {
                    r.Reply = int.Parse(m.Groups["reply"].Value, System.Globalization.CultureInfo.InvariantCulture);
                    if (r.Response is null)
                    {
                        var start = body.LastIndexOf('\n', m.Index) + 1;
                        var end = body.IndexOf('\n', m.Index);
                        r.Response = CleanResponse(body.Substring(start, (end < 0 ? body.Length : end) - start).Trim(), r.Reply, r.Enhanced);
                    }
                }
            }
            // Other failure codes elsewhere (told to the user, not used).
            foreach (Match m in SafeMatches(EnhancedOnly, body))
            {
                var esc = m.Groups["esc"].Value;
                if (esc[0] != '2' && esc != r.Enhanced && !r.Others.Contains(esc) && r.Others.Count < 5) r.Others.Add(esc);
            }
            return r;
        }

        /// <summary>The first match whose class is 4 or 5 (a failure), else null.</summary>
        private static Match? FirstFailure(Regex regex, string text)
        {
            foreach (Match m in SafeMatches(regex, text))
            {
                var esc = m.Groups["esc"].Success ? m.Groups["esc"].Value : m.Groups["reply"].Value;
                if (esc.Length > 0 && (esc[0] == '4' || esc[0] == '5')) return m;
            }
            return null;
        }

        /// <summary>The reply starting at line <paramref name="index"/>: that line from the code on, and the following lines of the same multi-line reply.</summary>
        private static string ReplyText(string[] lines, int index, int column, int reply, string esc)
        {
            var sb = new StringBuilder(lines[index].Substring(column));
            var prefix = new Regex(@"^\s*" + reply + @"[ -]", Opts, RegexTimeout);
            for (int i = index + 1; i < lines.Length && i < index + 40; i++)
            {
                // Lines of a multi-line reply ("550-5.7.26 ..."), or the reply wrapped by the report's writer;
                // a blank line, a header-like field or a new "<recipient>:" paragraph ends it.
                var line = lines[i];
                if (line.Trim().Length == 0) break;
                if (!SafeIsMatch(prefix, line) && (SafeIsMatch(NewParagraph, line))) break;
                sb.Append(' ').Append(line.Trim());
            }
            var text = sb.ToString();
            // Postfix: "... (in reply to end of DATA command)".
            return CleanResponse(text, reply, esc);
        }

        private static string CleanResponse(string text, int? reply, string? esc)
        {
            var t = text;
            if (reply != null && esc != null)
                t = SafeReplace(new Regex(@"(?<![\w.])" + reply + @"[ \t]*[- ][ \t]*#?" + Regex.Escape(esc) + @"(?!\.?\d)\s*", Opts, RegexTimeout), t, " ");
            else if (esc != null)
                t = SafeReplace(new Regex(@"(?<![\w.])#?" + Regex.Escape(esc) + @"(?!\.?\d)\s*", Opts, RegexTimeout), t, " ");
            t = Regex.Replace(t, @"\s+", " ").Trim().Trim('\'', '"').Trim();
            var prefix = (reply?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "") + (esc is null ? "" : (reply is null ? "" : " ") + esc);
            var result = (prefix.Length > 0 ? prefix + " " : "") + t;
            return result.Length > 2000 ? result.Substring(0, 2000) : result.Trim();
        }

        private static BounceRule? Classify(string? provider, int? reply, string? esc, string text)
        {
            foreach (var rule in BounceRules.All)
            {
                if (rule.Provider != null)
                {
                    if (provider != null && rule.Provider != provider) continue;
                    if (provider is null && !rule.TextIdentifiesProvider) continue;
                }
                if (rule.Codes.Count == 0 && rule.Pattern is null) continue;
                if (!rule.MatchesCode(esc)) continue;
                if (rule.ReplyCodes.Count > 0 && (reply is null || !rule.ReplyCodes.Contains(reply.Value))) continue;
                if (!rule.MatchesText(text)) continue;
                return rule;
            }
            return null;
        }

        private static string? DetectProvider(string? text, bool whole = false)
        {
            if (string.IsNullOrEmpty(text)) return null;
            var lower = text!.ToLowerInvariant();
            var hits = new List<(string Provider, int Count)>();
            foreach (var (p, markers) in ProviderMarkers)
            {
                int count = 0;
                foreach (var marker in markers)
                {
                    int at = 0;
                    while ((at = lower.IndexOf(marker, at, StringComparison.Ordinal)) >= 0) { count++; at += marker.Length; }
                }
                if (count > 0) hits.Add((p, count));
            }
            if (hits.Count == 0) return null;
            if (hits.Count == 1) return hits[0].Provider;
            if (!whole) return hits.OrderByDescending(h => h.Count).First().Provider;
            var ordered = hits.OrderByDescending(h => h.Count).ToList();
            return ordered[0].Count > ordered[1].Count ? ordered[0].Provider : null;
        }

        private static IPAddress? FindRelayIp(string? text, bool strict)
        {
            if (string.IsNullOrEmpty(text)) return null;
            var candidates = new List<(int Index, IPAddress Ip)>();
            foreach (Match m in SafeMatches(Bracketed, text!))
            {
                // "mx.example.com[192.0.2.1]" (Postfix) names the receiving server, not the sender.
                if (m.Index > 0 && IsHostChar(text![m.Index - 1])) continue;
                if (strict && !NearIpWords(text!, m.Index)) continue;
                if (IPAddress.TryParse(m.Groups["ip"].Value, out var ip)) candidates.Add((m.Index, ip));
            }
            foreach (Match m in SafeMatches(Ipv4, text!))
            {
                // "[192.0.2.1 15]" (Gmail) is the sender; "mx.example.com[192.0.2.1]" (Postfix) the receiver.
                if (m.Index > 1 && text![m.Index - 1] == '[' && IsHostChar(text[m.Index - 2])) continue;
                if (strict && !NearIpWords(text!, m.Index)) continue;
                if (IPAddress.TryParse(m.Groups["ip"].Value, out var ip) && m.Groups["ip"].Value.Split('.').All(o => o.Length <= 3 && int.Parse(o, System.Globalization.CultureInfo.InvariantCulture) <= 255))
                    candidates.Add((m.Index, ip));
            }
            foreach (Match m in SafeMatches(Ipv6AfterKeyword, text!))
            {
                if (IPAddress.TryParse(m.Groups["ip"].Value, out var ip) && ip.AddressFamily == AddressFamily.InterNetworkV6)
                    candidates.Add((m.Groups["ip"].Index, ip));
            }
            return candidates.OrderBy(c => c.Index).Select(c => c.Ip).FirstOrDefault(IsPublic);
        }

        private static bool IsHostChar(char c) => char.IsLetterOrDigit(c) || c == '.' || c == '-';

        private static bool NearIpWords(string text, int index)
        {
            var lineStart = text.LastIndexOf('\n', Math.Max(0, index - 1)) + 1;
            var before = text.Substring(lineStart, index - lineStart);
            if (before.Length > 60) before = before.Substring(before.Length - 60);
            return SafeIsMatch(IpKeywordBefore, before);
        }

        /// <summary>The body without lines that name servers other than the sender (DSN MTA fields, Received headers).</summary>
        private static string BodyWithoutServerLines(string body)
        {
            var keep = new StringBuilder();
            bool inReceived = false;
            foreach (var line in body.Split('\n'))
            {
                if (line.StartsWith("Received:", StringComparison.OrdinalIgnoreCase)) { inReceived = true; continue; }
                if (inReceived && line.Length > 0 && (line[0] == ' ' || line[0] == '\t')) continue;
                inReceived = false;
                if (line.StartsWith("Remote-MTA:", StringComparison.OrdinalIgnoreCase) || line.StartsWith("Reporting-MTA:", StringComparison.OrdinalIgnoreCase) ||
                    line.StartsWith("X-", StringComparison.OrdinalIgnoreCase) || line.StartsWith("Message-ID:", StringComparison.OrdinalIgnoreCase)) continue;
                keep.Append(line).Append('\n');
            }
            return keep.ToString();
        }

        /// <summary>True for an address a receiving server could have seen the message come from on the Internet.</summary>
        internal static bool IsPublic(IPAddress ip)
        {
            if (ip.IsIPv4MappedToIPv6) ip = ip.MapToIPv4();
            var b = ip.GetAddressBytes();
            if (ip.AddressFamily == AddressFamily.InterNetwork)
            {
                if (b[0] == 0 || b[0] == 10 || b[0] == 127 || b[0] >= 224) return false;
                if (b[0] == 169 && b[1] == 254) return false;
                if (b[0] == 172 && b[1] >= 16 && b[1] <= 31) return false;
                if (b[0] == 192 && b[1] == 168) return false;
                if (b[0] == 100 && b[1] >= 64 && b[1] <= 127) return false;
                return true;
            }
            if (IPAddress.IPv6Loopback.Equals(ip) || IPAddress.IPv6Any.Equals(ip)) return false;
            if (b[0] == 0xff) return false;
            if ((b[0] & 0xfe) == 0xfc) return false;
            if (b[0] == 0xfe && (b[1] & 0xc0) == 0x80) return false;
            return true;
        }

        private static (string? Domain, string? Selector) ParseSignature(string value)
        {
            var d = FirstGroup(new Regex(@"(?:^|;)\s*d\s*=\s*(?<v>[^;\s]+)", Opts, RegexTimeout), value, "v");
            var s = FirstGroup(new Regex(@"(?:^|;)\s*s\s*=\s*(?<v>[^;\s]+)", Opts, RegexTimeout), value, "v");
            return (d is null ? null : DnsName.Normalize(d), s is null ? null : DnsName.Normalize(s));
        }

        private static string? DomainOf(string address)
        {
            var at = address.LastIndexOf('@');
            if (at < 0) return null;
            return DnsName.TryNormalizeDomain(address.Substring(at + 1), out var d, out _) && d.Contains('.') ? d : null;
        }

        private static string StripType(string value)
        {
            var semi = value.IndexOf(';');
            return (semi >= 0 ? value.Substring(semi + 1) : value).Trim();
        }

        private static string? FirstGroup(Regex regex, string? text, string group)
        {
            if (text is null) return null;
            var m = SafeMatch(regex, text);
            return m is null ? null : m.Groups[group].Value;
        }

        private static Match? SafeMatch(Regex regex, string text)
        {
            try { var m = regex.Match(text); return m.Success ? m : null; }
            catch (RegexMatchTimeoutException) { return null; }
        }

        private static bool SafeIsMatch(Regex regex, string text)
        {
            try { return regex.IsMatch(text); }
            catch (RegexMatchTimeoutException) { return false; }
        }

        private static IEnumerable<Match> SafeMatches(Regex regex, string text)
        {
            var list = new List<Match>();
            try { foreach (Match m in regex.Matches(text)) list.Add(m); }
            catch (RegexMatchTimeoutException) { }
            return list;
        }

        private static string SafeReplace(Regex regex, string text, string replacement)
        {
            try { return regex.Replace(text, replacement); }
            catch (RegexMatchTimeoutException) { return text; }
        }
    }
}
