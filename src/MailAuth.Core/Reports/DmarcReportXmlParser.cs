using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using System.Threading;
using System.Xml;

namespace MailAuth.Reports
{
    /// <summary>What one report (one XML document) has produced so far: records, warnings and repairs.</summary>
    internal sealed class ReportUnit
    {
        private readonly Dictionary<string, int> _warnings = new Dictionary<string, int>(StringComparer.Ordinal);
        private readonly List<string> _order = new List<string>();

        public int Records;
        public XmlRepairReader? Repair;
        public CountingDecoderFallback? Decoder;
        public string? EncodingName;

        public void Warn(string message)
        {
            if (_warnings.TryGetValue(message, out var n)) { _warnings[message] = n + 1; return; }
            _warnings[message] = 1;
            _order.Add(message);
        }

        /// <summary>The warnings met, each once with how often, and what the text filter repaired.</summary>
        public IEnumerable<string> DrainWarnings()
        {
            if (Decoder != null && Decoder.Count > 0)
                Warn($"{Decoder.Count} byte sequence(s) invalid in {EncodingName} were replaced by U+FFFD");
            if (Repair != null && Repair.AmpersandsEscaped > 0)
                Warn($"{Repair.AmpersandsEscaped} unescaped '&' character(s) were read as text");
            if (Repair != null && Repair.InvalidCharactersRemoved > 0)
                Warn($"{Repair.InvalidCharactersRemoved} character(s) not allowed in XML were removed");
            Decoder = null;
            Repair = null;
            foreach (var m in _order)
            {
                int n = _warnings[m];
                yield return n == 1 ? m : $"{m} ({n} times)";
            }
            _order.Clear();
            _warnings.Clear();
        }
    }

    /// <summary>
    /// Streams the records of one DMARC aggregate report (RFC 9990 §3 and Appendix A; RFC 7489 Appendix C) with an XmlReader:
    /// DTDs prohibited, no resolver, namespaces ignored (both schemas, prefixed elements and stray wrappers are read alike),
    /// element names compared case-insensitively. Only the first <c>feedback</c> element is read; what follows it is ignored.
    /// Throws XmlException on malformed XML (the caller turns it into a problem after the rows already returned).
    /// </summary>
    internal sealed class DmarcReportXmlParser
    {
        internal const string Rfc9990Namespace = "urn:ietf:params:xml:ns:dmarc-2.0";
        private static readonly Regex EncodingDeclaration = new Regex("^\\s*<\\?xml[^>]*?encoding\\s*=\\s*[\"']([A-Za-z0-9._:-]{1,40})[\"']", RegexOptions.CultureInvariant);

        private readonly DmarcReportReaderOptions _options;
        private readonly ReportUnit _unit;
        private readonly StringBuilder _text = new StringBuilder();
        private XmlTextReader _r = null!;
        private readonly DmarcReportHeader _h = new DmarcReportHeader();
        private DmarcReportHeader? _snapshot;

        public DmarcReportXmlParser(DmarcReportReaderOptions options, ReportUnit unit, string path, string? entry)
        {
            _options = options;
            _unit = unit;
            _h.Path = path;
            _h.Entry = entry;
        }

        /// <summary>True once a feedback element was met.</summary>
        public bool FoundFeedback { get; private set; }

        public IEnumerable<DmarcReportItem> Parse(byte[] prefix, int prefixLength, Stream rest, CancellationToken ct)
        {
            using var text = OpenText(prefix, prefixLength, rest);
            var repair = new XmlRepairReader(text);
            _unit.Repair = repair;
            using var reader = new XmlTextReader(repair)
            {
                Namespaces = false,
                DtdProcessing = DtdProcessing.Prohibit,
                XmlResolver = null,
                WhitespaceHandling = WhitespaceHandling.Significant,
                Normalization = false,
            };
            _r = reader;
            while (Next())
            {
                if (_r.NodeType != XmlNodeType.Element || Local() != "feedback") continue;
                FoundFeedback = true;
                int colon = _r.Name.LastIndexOf(':');
                var ns = _r.GetAttribute(colon < 0 ? "xmlns" : "xmlns:" + _r.Name.Substring(0, colon));
                _h.Schema = ns != null && ns.Trim() == Rfc9990Namespace ? DmarcReportSchema.Rfc9990 : DmarcReportSchema.Rfc7489;
                foreach (var row in ReadFeedback(ct)) yield return new DmarcReportItem(row);
                yield break;
            }
        }

        private TextReader OpenText(byte[] prefix, int n, Stream rest)
        {
            int skip = 0;
            Encoding encoding;
            if (n >= 3 && prefix[0] == 0xEF && prefix[1] == 0xBB && prefix[2] == 0xBF) { encoding = Encoding.UTF8; skip = 3; }
            else if (n >= 2 && prefix[0] == 0xFF && prefix[1] == 0xFE) { encoding = Encoding.Unicode; skip = 2; }
            else if (n >= 2 && prefix[0] == 0xFE && prefix[1] == 0xFF) { encoding = Encoding.BigEndianUnicode; skip = 2; }
            else if (n >= 2 && prefix[0] == (byte)'<' && prefix[1] == 0) encoding = Encoding.Unicode;
            else if (n >= 2 && prefix[0] == 0 && prefix[1] == (byte)'<') encoding = Encoding.BigEndianUnicode;
            else encoding = DeclaredEncoding(prefix, n);

            var fallback = new CountingDecoderFallback();
            var e = (Encoding)encoding.Clone();
            e.DecoderFallback = fallback;
            _unit.Decoder = fallback;
            _unit.EncodingName = e.WebName;
            var stream = new PrefixedStream(Slice(prefix, skip, n - skip), n - skip, rest);
            return new StreamReader(stream, e, detectEncodingFromByteOrderMarks: false, bufferSize: 8192);
        }

        private static byte[] Slice(byte[] a, int start, int length)
        {
            var b = new byte[length];
            Buffer.BlockCopy(a, start, b, 0, length);
            return b;
        }

        private Encoding DeclaredEncoding(byte[] prefix, int n)
        {
            var head = new StringBuilder(n);
            for (int i = 0; i < n; i++) head.Append((char)prefix[i]);
            var m = EncodingDeclaration.Match(head.ToString());
            if (!m.Success) return Encoding.UTF8;
            var name = m.Groups[1].Value;
            try { return Encoding.GetEncoding(name); }
            catch (Exception ex) when (ex is ArgumentException || ex is NotSupportedException)
            {
                if (name.IndexOf("1252", StringComparison.Ordinal) >= 0 || name.StartsWith("latin", StringComparison.OrdinalIgnoreCase))
                {
                    _unit.Warn($"the declared encoding '{name}' is not available; read as ISO-8859-1");
                    return Encoding.GetEncoding("iso-8859-1");
                }
                _unit.Warn($"the declared encoding '{name}' is not supported; read as UTF-8");
                return Encoding.UTF8;
            }
        }

        // ---- XML walking -------------------------------------------------------------------------------------------

        private bool Next() => _r.Read();

        private void NextOrThrow()
        {
            if (!_r.Read()) throw new XmlException("The document ended inside an element.", null, _r.LineNumber, _r.LinePosition);
        }

        /// <summary>The element's name without prefix, lower-case.</summary>
        private string Local()
        {
            var name = _r.Name;
            int colon = name.LastIndexOf(':');
            return (colon >= 0 ? name.Substring(colon + 1) : name).ToLowerInvariant();
        }

        /// <summary>Calls <paramref name="child"/> for each child element of the current element; the callback must consume
        /// the child (ReadLeaf, Children or Skip). Ends on the element's end tag.</summary>
        private void Children(Action<string> child)
        {
            if (_r.IsEmptyElement) return;
            int depth = _r.Depth;
            while (true)
            {
                NextOrThrow();
                if (_r.NodeType == XmlNodeType.EndElement && _r.Depth == depth) return;
                if (_r.NodeType == XmlNodeType.Element) child(Local());
            }
        }

        private void Skip()
        {
            if (_r.IsEmptyElement) return;
            int depth = _r.Depth;
            while (true)
            {
                NextOrThrow();
                if (_r.NodeType == XmlNodeType.EndElement && _r.Depth == depth) return;
            }
        }

        /// <summary>The trimmed text of the current element (text of nested elements ignored), null when empty; cut at MaxValueLength.</summary>
        private string? ReadLeaf()
        {
            if (_r.IsEmptyElement) return null;
            int depth = _r.Depth;
            _text.Clear();
            bool cut = false;
            NextOrThrow();
            while (!(_r.NodeType == XmlNodeType.EndElement && _r.Depth == depth))
            {
                switch (_r.NodeType)
                {
                    case XmlNodeType.Element:
                        Skip();
                        break;
                    case XmlNodeType.Text:
                    case XmlNodeType.CDATA:
                    case XmlNodeType.SignificantWhitespace:
                    case XmlNodeType.Whitespace:
                        var value = _r.Value;
                        int room = _options.MaxValueLength - _text.Length;
                        if (value.Length > room) { cut = true; value = value.Substring(0, Math.Max(room, 0)); }
                        _text.Append(value);
                        break;
                }
                NextOrThrow();
            }
            if (cut) _unit.Warn($"a value longer than {_options.MaxValueLength} characters was cut");
            var s = _text.ToString().Trim();
            return s.Length == 0 ? null : s;
        }

        private string? ReadLower() => ReadLeaf()?.ToLowerInvariant();

        private string? ReadDomain()
        {
            var s = ReadLeaf();
            if (s is null) return null;
            s = s.ToLowerInvariant();
            return s.Length > 1 && s.EndsWith(".", StringComparison.Ordinal) ? s.Substring(0, s.Length - 1) : s;
        }

        // ---- report structure ----------------------------------------------------------------------------------------

        private IEnumerable<DmarcReportRow> ReadFeedback(CancellationToken ct)
        {
            if (_r.IsEmptyElement) yield break;
            int depth = _r.Depth;
            while (true)
            {
                ct.ThrowIfCancellationRequested();
                NextOrThrow();
                if (_r.NodeType == XmlNodeType.EndElement && _r.Depth == depth) yield break;
                if (_r.NodeType != XmlNodeType.Element) continue;
                switch (Local())
                {
                    case "version": _h.Version = ReadLeaf(); _snapshot = null; break;
                    case "report_metadata": ReadMetadata(); _snapshot = null; break;
                    case "policy_published": ReadPolicy(); _snapshot = null; break;
                    case "record":
                        var row = ReadRecord();
                        yield return row;
                        break;
                    default: Skip(); break;
                }
            }
        }

        private void ReadMetadata() => Children(name =>
        {
            switch (name)
            {
                case "org_name": _h.OrgName = ReadLeaf(); break;
                case "email": _h.Email = ReadLeaf(); break;
                case "extra_contact_info": _h.ExtraContactInfo = ReadLeaf(); break;
                case "report_id": _h.ReportId = ReadLeaf(); break;
                case "generator": _h.Generator = ReadLeaf(); break;
                case "error": var e = ReadLeaf(); if (e != null) _h.Errors.Add(e); break;
                case "date_range":
                    Children(d =>
                    {
                        if (d == "begin") _h.BeginDate = ReadDate("begin");
                        else if (d == "end") _h.EndDate = ReadDate("end");
                        else Skip();
                    });
                    break;
                default: Skip(); break;
            }
        });

        private DateTime? ReadDate(string what)
        {
            var s = ReadLeaf();
            if (s is null) return null;
            long? seconds = null;
            if (long.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out var whole)) seconds = whole;
            else if (double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && Math.Abs(d) < 1e15) seconds = (long)Math.Floor(d);
            else if (DateTimeOffset.TryParse(s, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var dto)) return dto.UtcDateTime;
            if (seconds >= -62135596800L && seconds <= 253402300799L)
                return DateTimeOffset.FromUnixTimeSeconds(seconds.Value).UtcDateTime;
            _unit.Warn($"a date_range {what} that is not a time in seconds since the epoch was left empty");
            return null;
        }

        private void ReadPolicy()
        {
            Children(name =>
            {
                switch (name)
                {
                    case "domain": _h.PolicyDomain = ReadDomain(); break;
                    case "adkim": _h.PolicyAdkim = ReadLower(); break;
                    case "aspf": _h.PolicyAspf = ReadLower(); break;
                    case "p": _h.PolicyP = ReadLower(); break;
                    case "sp": _h.PolicySp = ReadLower(); break;
                    case "np": _h.PolicyNp = ReadLower(); break;
                    case "fo": _h.PolicyFo = ReadLower(); break;
                    case "t":
                    case "testing": _h.PolicyTesting = ReadLower(); break;
                    case "psd": _h.PolicyPsd = ReadLower(); break;
                    case "discovery_method": _h.PolicyDiscoveryMethod = ReadLower(); break;
                    case "pct":
                        var s = ReadLeaf();
                        if (s is null) _h.PolicyPct = null;
                        else if (int.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out var pct)) _h.PolicyPct = pct;
                        else { _h.PolicyPct = null; _unit.Warn("a pct that is not a number was left empty"); }
                        break;
                    default: Skip(); break;
                }
            });
        }

        private DmarcReportRow ReadRecord()
        {
            string? ip = null, disposition = null, evalDkim = null, evalSpf = null, headerFrom = null, envelopeFrom = null, envelopeTo = null;
            long? count = null;
            var overrides = new List<DmarcPolicyOverride>();
            var dkim = new List<DmarcDkimAuthResult>();
            var spf = new List<DmarcSpfAuthResult>();

            Children(section =>
            {
                switch (section)
                {
                    case "row":
                        Children(f =>
                        {
                            switch (f)
                            {
                                case "source_ip": ip = ReadIp(); break;
                                case "count": count = ReadCount(); break;
                                case "policy_evaluated":
                                    Children(p =>
                                    {
                                        switch (p)
                                        {
                                            case "disposition": disposition = ReadLower(); break;
                                            case "dkim": evalDkim = ReadLower(); break;
                                            case "spf": evalSpf = ReadLower(); break;
                                            case "reason":
                                                string? type = null, comment = null;
                                                Children(x =>
                                                {
                                                    if (x == "type") type = ReadLower();
                                                    else if (x == "comment") comment = ReadLeaf();
                                                    else Skip();
                                                });
                                                if (type != null || comment != null) overrides.Add(new DmarcPolicyOverride(type, comment));
                                                break;
                                            default: Skip(); break;
                                        }
                                    });
                                    break;
                                default: Skip(); break;
                            }
                        });
                        break;
                    case "identifiers":
                    case "identities":
                        Children(f =>
                        {
                            switch (f)
                            {
                                case "header_from": headerFrom = ReadDomain(); break;
                                case "envelope_from": envelopeFrom = ReadDomain(); break;
                                case "envelope_to": envelopeTo = ReadDomain(); break;
                                default: Skip(); break;
                            }
                        });
                        break;
                    case "auth_results":
                        Children(kind =>
                        {
                            if (kind != "dkim" && kind != "spf") { Skip(); return; }
                            string? domain = null, selectorOrScope = null, result = null, human = null;
                            Children(f =>
                            {
                                switch (f)
                                {
                                    case "domain": domain = ReadDomain(); break;
                                    case "selector" when kind == "dkim": selectorOrScope = ReadLeaf(); break;
                                    case "scope" when kind == "spf": selectorOrScope = ReadLower(); break;
                                    case "result": result = ReadLower(); break;
                                    case "human_result": human = ReadLeaf(); break;
                                    default: Skip(); break;
                                }
                            });
                            if (kind == "dkim") dkim.Add(new DmarcDkimAuthResult(domain, selectorOrScope, result, human));
                            else spf.Add(new DmarcSpfAuthResult(domain, selectorOrScope, result, human));
                        });
                        break;
                    default: Skip(); break;
                }
            });

            _unit.Records++;
            _snapshot ??= _h.Snapshot();
            return new DmarcReportRow(_snapshot, _unit.Records, ip, count, disposition, evalDkim, evalSpf, overrides,
                headerFrom, envelopeFrom, envelopeTo, dkim, spf);
        }

        private string? ReadIp()
        {
            var s = ReadLeaf();
            if (s is null) return null;
            if ((s.IndexOf('.') >= 0 || s.IndexOf(':') >= 0) && IPAddress.TryParse(s, out var ip)) return ip.ToString();
            _unit.Warn("a source_ip that is not an IP address was kept as written");
            return s;
        }

        private long? ReadCount()
        {
            var s = ReadLeaf();
            if (s is null) return null;
            if (long.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) && n >= 0) return n;
            _unit.Warn("a count that is not a whole number was left empty");
            return null;
        }
    }
}
