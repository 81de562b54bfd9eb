using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using MailAuth.Dns;
using MailAuth.Findings;

namespace MailAuth.Zone
{
    /// <summary>The state of one <see cref="ZoneFileParser"/> run (RFC 1035 §5.1 semantics). Not reusable.</summary>
    internal sealed class ZoneFileReader
    {
        private const uint AssumedTtl = 3600;

        private sealed class ReadRecord
        {
            public ReadRecord(DnsResourceRecord record, int line, string text, string? source)
            {
                Record = record;
                Line = line;
                Text = text;
                Source = source;
            }

            public DnsResourceRecord Record { get; }
            public int Line { get; }
            public string Text { get; }
            public string? Source { get; }
        }

        private readonly List<ZoneFileDiagnostic> _diagnostics = new List<ZoneFileDiagnostic>();
        private readonly List<ReadRecord> _records = new List<ReadRecord>();
        private readonly HashSet<string> _includeStack = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        private readonly string? _sourceName;
        private readonly string? _baseDirectory;
        private readonly string? _argOrigin;
        private readonly string? _inferredOrigin;

        private string? _origin;
        private bool _originFromFileName;
        private bool _usedFileNameOrigin;
        private string? _soaOwner;
        private string? _firstDollarOrigin;
        private uint? _dollarTtl;
        private uint? _soaMinimum;
        private uint? _lastTtl;
        private bool _warnedAssumedTtl;
        private bool _warnedNoOrigin;
        private bool _notedAging;
        private string? _previousOwner;

        // Current entry context for diagnostics.
        private ZoneEntry? _entry;
        private string? _source;

        public ZoneFileReader(string? origin, string? sourceName, string? baseDirectory)
        {
            _sourceName = sourceName;
            _source = sourceName;
            _baseDirectory = baseDirectory;
            _inferredOrigin = ZoneFileParser.InferOriginFromFileName(sourceName);
            if (origin != null && origin.Trim().Length > 0)
            {
                var trimmed = origin.Trim();
                var candidate = trimmed == "." ? string.Empty : DnsName.Normalize(trimmed);
                if (ValidateName(candidate, out var reason)) _argOrigin = candidate;
                else Add(FindingSeverity.Error, 0, $"The origin '{origin}' is not a valid domain name ({reason}); it is ignored.", null);
            }
        }

        public ZoneFileParseResult Failed(string message)
        {
            Add(FindingSeverity.Error, 0, message, null);
            return new ZoneFileParseResult(new DnsZone(_argOrigin ?? _inferredOrigin ?? string.Empty, Array.Empty<DnsResourceRecord>(), _sourceName), _diagnostics.AsReadOnly());
        }

        public ZoneFileParseResult Read(string text)
        {
            var entries = ZoneTokenizer.Tokenize(text);
            _origin = _argOrigin ?? FindAbsoluteSoaOwner(entries);
            if (_origin is null && _inferredOrigin != null)
            {
                _origin = _inferredOrigin;
                _originFromFileName = true;
            }
            if (_sourceName != null)
            {
                try { _includeStack.Add(Path.GetFullPath(_sourceName)); }
                catch (Exception ex) when (ZoneFileParser.IsIoException(ex)) { }
            }
            ProcessEntries(entries, _sourceName, _baseDirectory, 0);
            return Build();
        }

        // ---- entries -------------------------------------------------------------------------------------------

        private void ProcessEntries(List<ZoneEntry> entries, string? source, string? baseDirectory, int depth)
        {
            var savedSource = _source;
            _source = source;
            foreach (var entry in entries)
            {
                _entry = entry;
                if (entry.Broken)
                {
                    foreach (var error in entry.Errors) Add(FindingSeverity.Error, error.Key, error.Value, entry.ErrorText ?? entry.Text);
                    continue;
                }
                var t = entry.Tokens;
                if (!entry.BlankOwner && !t[0].Quoted && t[0].Text.StartsWith("$", StringComparison.Ordinal))
                    Directive(entry, baseDirectory, depth);
                else
                    Record(entry);
            }
            _entry = null;
            _source = savedSource;
        }

        private void Directive(ZoneEntry e, string? baseDirectory, int depth)
        {
            var t = e.Tokens;
            var name = t[0].Text.ToUpperInvariant();
            switch (name)
            {
                case "$ORIGIN":
                    if (t.Count < 2 || t[1].Quoted) { Error("$ORIGIN needs a domain name."); return; }
                    if (t.Count > 2) Warn("Text after the $ORIGIN name is ignored.");
                    if (!ResolveName(t[1].Text, out var origin)) return;
                    _origin = origin;
                    _originFromFileName = false;
                    _firstDollarOrigin ??= origin;
                    return;
                case "$TTL":
                    if (t.Count < 2 || t[1].Quoted || !ZoneSyntax.TryParseTtl(t[1].Text, out var ttl)) { Error("$TTL needs a TTL (seconds, or units such as 1h)."); return; }
                    if (t.Count > 2) Warn("Text after the $TTL value is ignored.");
                    _dollarTtl = ClampTtl(ttl);
                    return;
                case "$INCLUDE":
                    Include(e, baseDirectory, depth);
                    return;
                case "$GENERATE":
                    Warn("$GENERATE (a BIND extension) is not supported; the records it would create are missing.");
                    return;
                default:
                    Error($"Unknown directive '{Printable(t[0].Text)}'.");
                    return;
            }
        }

        private void Include(ZoneEntry e, string? baseDirectory, int depth)
        {
            var t = e.Tokens;
            if (t.Count < 2) { Error("$INCLUDE needs a file name."); return; }
            var file = t[1].Text;
            if (baseDirectory is null)
            {
                Warn($"$INCLUDE '{Printable(file)}' is not followed when parsing text without a file path; its records are missing.");
                return;
            }
            if (depth + 1 > ZoneFileParser.MaxIncludeDepth) { Error($"$INCLUDE nests deeper than {ZoneFileParser.MaxIncludeDepth} files; '{Printable(file)}' is not read."); return; }
            string? includeOrigin = null;
            if (t.Count > 2)
            {
                if (t[2].Quoted || !ResolveName(t[2].Text, out var o)) { if (t[2].Quoted) Error("The $INCLUDE origin must be a domain name."); return; }
                includeOrigin = o;
            }
            if (t.Count > 3) Warn("Text after the $INCLUDE origin is ignored.");
            string full, text;
            try
            {
                full = Path.GetFullPath(Path.Combine(baseDirectory, file));
                if (_includeStack.Contains(full)) { Error($"$INCLUDE '{Printable(file)}' includes a file that is already being read (a loop); it is skipped."); return; }
                text = ZoneFileParser.ReadText(full);
            }
            catch (Exception ex) when (ZoneFileParser.IsIoException(ex))
            {
                Error($"$INCLUDE '{Printable(file)}' cannot be read: {ex.Message}");
                return;
            }
            var savedOrigin = _origin;
            var savedFromFileName = _originFromFileName;
            if (includeOrigin != null) { _origin = includeOrigin; _originFromFileName = false; }
            _includeStack.Add(full);
            var entries = ZoneTokenizer.Tokenize(text);
            var savedEntry = _entry;
            ProcessEntries(entries, full, Path.GetDirectoryName(full), depth + 1);
            _entry = savedEntry;
            _includeStack.Remove(full);
            // RFC 1035 §5.1: an included file does not change the origin of the including file.
            _origin = savedOrigin;
            _originFromFileName = savedFromFileName;
        }

        private void Record(ZoneEntry e)
        {
            var t = e.Tokens;
            int i = 0;
            string owner;
            if (e.BlankOwner)
            {
                if (_previousOwner is null) { Error("The line starts with white space (meaning: same owner as the previous record), but there is no previous record."); return; }
                owner = _previousOwner;
            }
            else
            {
                if (t[0].Quoted) { Error("An owner name cannot be a quoted string."); return; }
                var ownerToken = t[0].Text;
                if (ownerToken != "@" && !EndsWithUnescapedDot(ownerToken) && IsSoaEntry(e) &&
                    (_origin is null || string.Equals(ownerToken.ToLowerInvariant(), _origin, StringComparison.Ordinal)))
                {
                    // Cloudflare exports write "contoso.com 3600 IN SOA ..." without $ORIGIN and without the trailing dot.
                    Add(FindingSeverity.Information, e.Line, $"The SOA owner '{Printable(ownerToken)}' has no trailing dot; it is read as the zone name '{Printable(ownerToken)}.' (as Cloudflare exports write it).", e.Text);
                    ownerToken += ".";
                }
                if (!ResolveName(ownerToken, out owner)) return;
                if (t[0].Text != "@" && (ZoneRecordTypes.TryParseClass(t[0].Text, out _) || (ZoneRecordTypes.TryParse(t[0].Text, out _) && t.Count > 1 && !ZoneRecordTypes.TryParse(t[1].Text, out _) && !ZoneRecordTypes.TryParseClass(t[1].Text, out _) && !IsTtlLike(t[1].Text))))
                    Warn($"The owner name '{Printable(t[0].Text)}' looks like a class or type: was the line meant to start with white space?");
                _previousOwner = owner;
                i = 1;
            }

            // Windows DNS Server shows "[AGE:n]" before the TTL of dynamically registered records.
            while (i < t.Count && !t[i].Quoted && t[i].Text.StartsWith("[AGE:", StringComparison.OrdinalIgnoreCase) && t[i].Text.EndsWith("]", StringComparison.Ordinal))
            {
                if (!_notedAging) { Add(FindingSeverity.Information, e.Line, "Windows aging stamps ([AGE:...]) are ignored.", e.Text); _notedAging = true; }
                i++;
            }

            ulong? ttl = null;
            string? cls = null;
            while (i < t.Count && !t[i].Quoted)
            {
                var x = t[i].Text;
                if (ttl is null && x.Length > 0 && x[0] >= '0' && x[0] <= '9')
                {
                    if (!ZoneSyntax.TryParseTtl(x, out var v)) { Error($"'{Printable(x)}' is not a valid TTL."); return; }
                    ttl = v;
                    i++;
                    continue;
                }
                if (cls is null && ZoneRecordTypes.TryParseClass(x, out var c)) { cls = c; i++; continue; }
                break;
            }
            if (i >= t.Count) { Error("The record has no type."); return; }
            if (t[i].Quoted || !ZoneRecordTypes.TryParse(t[i].Text, out var type))
            {
                var x = Printable(t[i].Text);
                if (!t[i].Quoted && ZoneRecordTypes.IsMeta(t[i].Text)) Error($"'{x}' is a query type; it cannot appear in a zone file.");
                else Error($"'{x}' is not a known record type (write unknown types as TYPEnnn, RFC 3597).");
                return;
            }
            i++;
            if (cls != null && cls != "IN") { Warn($"Class {cls} records are ignored; only class IN is read."); return; }

            var rdata = t.GetRange(i, t.Count - i);
            var build = Rdata(owner, type, rdata);
            if (build is null) return;

            uint finalTtl;
            if (ttl.HasValue) { finalTtl = ClampTtl(ttl.Value); _lastTtl = finalTtl; }
            else if (_dollarTtl.HasValue) finalTtl = _dollarTtl.Value;
            else if (type == (ushort)DnsRecordType.SOA && _pendingSoaMinimum.HasValue) finalTtl = _pendingSoaMinimum.Value;
            else if (_soaMinimum.HasValue) finalTtl = _soaMinimum.Value;
            else if (_lastTtl.HasValue) finalTtl = _lastTtl.Value;
            else
            {
                finalTtl = AssumedTtl;
                if (!_warnedAssumedTtl)
                {
                    Add(FindingSeverity.Information, e.Line, $"No TTL is given and there is no $TTL or SOA record before this record; {AssumedTtl} seconds is assumed.", e.Text);
                    _warnedAssumedTtl = true;
                }
            }

            if (type == (ushort)DnsRecordType.SOA)
            {
                if (_soaOwner != null) { Warn("A second SOA record is ignored."); return; }
                _soaOwner = owner;
                _soaMinimum = _pendingSoaMinimum;
            }
            _records.Add(new ReadRecord(build(finalTtl), e.Line, e.Text, _source));
        }

        // ---- RDATA ---------------------------------------------------------------------------------------------

        private uint? _pendingSoaMinimum;

        private Func<uint, DnsResourceRecord>? Rdata(string owner, ushort type, List<ZoneToken> rd)
        {
            var rrType = (DnsRecordType)type;
            _pendingSoaMinimum = null;
            if (rd.Count > 0 && !rd[0].Quoted && rd[0].Text == "\\#") return GenericRdata(owner, type, rd);
            switch (rrType)
            {
                case DnsRecordType.A:
                {
                    if (rd.Count != 1 || rd[0].Quoted) return Fail("An A record needs exactly one IPv4 address.");
                    if (!ZoneSyntax.TryParseIPv4(rd[0].Text, out var a)) return Fail($"'{Printable(rd[0].Text)}' is not an IPv4 address.");
                    return ttl => DnsResourceRecord.CreateAddress(owner, a!, ttl);
                }
                case DnsRecordType.AAAA:
                {
                    if (rd.Count != 1 || rd[0].Quoted) return Fail("An AAAA record needs exactly one IPv6 address.");
                    if (!ZoneSyntax.TryParseIPv6(rd[0].Text, out var a)) return Fail($"'{Printable(rd[0].Text)}' is not an IPv6 address.");
                    return ttl => DnsResourceRecord.CreateAddress(owner, a!, ttl);
                }
                case DnsRecordType.CNAME:
                case DnsRecordType.NS:
                case DnsRecordType.PTR:
                {
                    if (rd.Count != 1 || rd[0].Quoted) return Fail($"A {rrType} record needs exactly one domain name.");
                    if (!ResolveName(rd[0].Text, out var target)) return null;
                    return ttl => DnsResourceRecord.CreateTarget(owner, rrType, target, ttl);
                }
                case DnsRecordType.MX:
                {
                    if (rd.Count != 2 || rd[0].Quoted || rd[1].Quoted) return Fail("An MX record needs a preference and a mail exchanger name.");
                    if (!ZoneSyntax.TryParseNumber(rd[0].Text, ushort.MaxValue, out var pref)) return Fail($"'{Printable(rd[0].Text)}' is not an MX preference (0-65535).");
                    if (!ResolveName(rd[1].Text, out var exchange)) return null;
                    return ttl => DnsResourceRecord.CreateMx(owner, (ushort)pref, exchange, ttl);
                }
                case DnsRecordType.TXT:
                case DnsRecordType.SPF:
                {
                    if (rd.Count == 0) return Fail($"A {rrType} record needs at least one character-string.");
                    var strings = new List<string>(rd.Count);
                    for (int k = 0; k < rd.Count; k++)
                    {
                        var octets = ZoneSyntax.DecodeCharacterString(rd[k].Text, out var escapeError);
                        if (escapeError != null) Warn(escapeError);
                        if (octets.Length > 255)
                            Add(FindingSeverity.Error, _entry!.Line, $"Character-string {k + 1} is {octets.Length} octets long; the limit is 255 (RFC 1035 §3.3). A DNS server would refuse this record; split the text into several quoted strings.", _entry.Text);
                        strings.Add(ZoneSyntax.OctetsToString(octets, 0, octets.Length));
                    }
                    return ttl => DnsResourceRecord.CreateText(owner, rrType, strings.AsReadOnly(), ttl);
                }
                case DnsRecordType.SOA:
                {
                    if (rd.Count != 7 || rd.Any(x => x.Quoted)) return Fail("An SOA record needs MNAME, RNAME, serial, refresh, retry, expire and minimum (7 fields).");
                    if (!ResolveName(rd[0].Text, out var mname) || !ResolveName(rd[1].Text, out var rname)) return null;
                    if (!ZoneSyntax.TryParseNumber(rd[2].Text, uint.MaxValue, out var serial)) return Fail($"'{Printable(rd[2].Text)}' is not an SOA serial (0-4294967295).");
                    var timers = new ulong[4];
                    for (int k = 0; k < 4; k++)
                    {
                        if (!ZoneSyntax.TryParseTtl(rd[3 + k].Text, out timers[k])) return Fail($"'{Printable(rd[3 + k].Text)}' is not a valid SOA time value.");
                    }
                    _pendingSoaMinimum = ClampTtl(timers[3]);
                    var data = string.Join(" ", new[] { FormatName(mname), FormatName(rname), serial.ToString(CultureInfo.InvariantCulture) }
                        .Concat(timers.Select(x => x.ToString(CultureInfo.InvariantCulture))));
                    return ttl => DnsResourceRecord.CreateOther(owner, DnsRecordType.SOA, data, ttl);
                }
                case DnsRecordType.CAA:
                {
                    // RFC 8659 §4.1.1: flags, tag, value.
                    if (rd.Count != 3 || rd[0].Quoted || rd[1].Quoted) return Fail("A CAA record needs flags, a tag and a value.");
                    if (!ZoneSyntax.TryParseNumber(rd[0].Text, 255, out var flags)) return Fail($"'{Printable(rd[0].Text)}' is not a CAA flags value (0-255).");
                    var tag = rd[1].Text;
                    if (tag.Length == 0 || tag.Length > 255 || !tag.All(ch => (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9')))
                        return Fail($"'{Printable(tag)}' is not a CAA tag (letters and digits).");
                    var data = flags.ToString(CultureInfo.InvariantCulture) + " " + tag.ToLowerInvariant() + " \"" + rd[2].Text + "\"";
                    return ttl => DnsResourceRecord.CreateOther(owner, DnsRecordType.CAA, data, ttl);
                }
                default:
                {
                    var data = string.Join(" ", rd.Select(x => x.ToString()));
                    return ttl => DnsResourceRecord.CreateOther(owner, rrType, data, ttl);
                }
            }
        }

        /// <summary>RFC 3597 §5: "\# length hex". Known types are decoded; others are kept in that form.</summary>
        private Func<uint, DnsResourceRecord>? GenericRdata(string owner, ushort type, List<ZoneToken> rd)
        {
            var rrType = (DnsRecordType)type;
            if (rd.Count < 2 || rd[1].Quoted || !ZoneSyntax.TryParseNumber(rd[1].Text, ushort.MaxValue, out var length))
                return Fail("Generic RDATA needs '\\#', a length, and the data in hexadecimal (RFC 3597 §5).");
            var hex = new StringBuilder();
            for (int k = 2; k < rd.Count; k++)
            {
                if (rd[k].Quoted) return Fail("Generic RDATA cannot contain quoted strings.");
                hex.Append(rd[k].Text);
            }
            if (!ZoneSyntax.TryParseHex(hex.ToString(), out var data)) return Fail("The generic RDATA is not valid hexadecimal.");
            if ((ulong)data.Length != length) return Fail($"The generic RDATA length is {length} but {data.Length} octets of data follow.");
            switch (rrType)
            {
                case DnsRecordType.A:
                case DnsRecordType.AAAA:
                {
                    int want = rrType == DnsRecordType.A ? 4 : 16;
                    if (data.Length != want) return Fail($"An {rrType} record needs {want} octets of data.");
                    var address = new System.Net.IPAddress(data);
                    return ttl => DnsResourceRecord.CreateAddress(owner, address, ttl);
                }
                case DnsRecordType.TXT:
                case DnsRecordType.SPF:
                {
                    var strings = new List<string>();
                    int off = 0;
                    while (off < data.Length)
                    {
                        int len = data[off++];
                        if (off + len > data.Length) return Fail("The generic TXT data has a character-string running past its end.");
                        strings.Add(ZoneSyntax.OctetsToString(data, off, len));
                        off += len;
                    }
                    if (strings.Count == 0) return Fail($"A {rrType} record needs at least one character-string.");
                    return ttl => DnsResourceRecord.CreateText(owner, rrType, strings.AsReadOnly(), ttl);
                }
                case DnsRecordType.CNAME:
                case DnsRecordType.NS:
                case DnsRecordType.PTR:
                case DnsRecordType.MX:
                {
                    int off = 0;
                    ushort pref = 0;
                    if (rrType == DnsRecordType.MX)
                    {
                        if (data.Length < 3) return Fail("The generic MX data is too short.");
                        pref = (ushort)(data[0] << 8 | data[1]);
                        off = 2;
                    }
                    if (!ZoneSyntax.TryReadWireName(data, ref off, out var target) || off != data.Length) return Fail($"The generic {rrType} data is not one uncompressed domain name.");
                    if (rrType == DnsRecordType.MX) return ttl => DnsResourceRecord.CreateMx(owner, pref, target, ttl);
                    return ttl => DnsResourceRecord.CreateTarget(owner, rrType, target, ttl);
                }
                default:
                {
                    var text = "\\# " + data.Length.ToString(CultureInfo.InvariantCulture) + (data.Length > 0 ? " " + ZoneSyntax.ToHex(data) : string.Empty);
                    return ttl => DnsResourceRecord.CreateOther(owner, rrType, text, ttl);
                }
            }
        }

        // ---- names ---------------------------------------------------------------------------------------------

        /// <summary>Turns an owner or RDATA name into a fully qualified name (lower case, no trailing dot, "" = root).</summary>
        private bool ResolveName(string token, out string name)
        {
            name = string.Empty;
            string candidate;
            if (token == "@")
            {
                if (_origin is null) { Error("'@' stands for the origin, but the origin is unknown (no $ORIGIN, no SOA owner, no origin given)."); return false; }
                if (_originFromFileName) _usedFileNameOrigin = true;
                name = _origin;
                return true;
            }
            if (token == ".") return true;
            if (EndsWithUnescapedDot(token)) candidate = token.Substring(0, token.Length - 1);
            else if (_origin is null)
            {
                if (!_warnedNoOrigin)
                {
                    Error($"'{Printable(token)}' is a relative name but the origin is unknown (no $ORIGIN, no SOA owner, no origin given); relative names are read as fully qualified.");
                    _warnedNoOrigin = true;
                }
                candidate = token;
            }
            else
            {
                if (_originFromFileName) _usedFileNameOrigin = true;
                candidate = _origin.Length == 0 ? token : token + "." + _origin;
                var lower = token.ToLowerInvariant();
                if (_origin.Length > 0 && (lower == _origin || lower.EndsWith("." + _origin, StringComparison.Ordinal)))
                    Warn($"'{Printable(token)}' has no trailing dot, so it means '{Printable(candidate.ToLowerInvariant())}.'; if '{Printable(token)}.' is meant, add the dot.");
            }
            if (!ValidateName(candidate, out var reason)) { Error($"'{Printable(token)}' is not a valid domain name: {reason}"); return false; }
            name = candidate.ToLowerInvariant();
            return true;
        }

        private static bool EndsWithUnescapedDot(string token)
        {
            if (!token.EndsWith(".", StringComparison.Ordinal)) return false;
            int backslashes = 0;
            for (int k = token.Length - 2; k >= 0 && token[k] == '\\'; k--) backslashes++;
            return backslashes % 2 == 0;
        }

        /// <summary>RFC 1035 §2.3.4: labels of 1–63 octets, 255 octets in all (wire form).</summary>
        private static bool ValidateName(string name, out string? reason)
        {
            reason = null;
            if (name.Length == 0) return true;
            int wire = 1, label = 0;
            for (int k = 0; k < name.Length; k++)
            {
                char c = name[k];
                if (c == '.')
                {
                    if (label == 0) { reason = "it has an empty label (two dots in a row, or a leading dot)."; return false; }
                    wire += label + 1;
                    label = 0;
                    continue;
                }
                if (char.IsControl(c) || char.IsWhiteSpace(c)) { reason = "it contains a control or space character (write it as \\DDD)."; return false; }
                if (c == '\\')
                {
                    if (k + 3 < name.Length && char.IsDigit(name[k + 1]) && char.IsDigit(name[k + 2]) && char.IsDigit(name[k + 3]))
                    {
                        if ((name[k + 1] - '0') * 100 + (name[k + 2] - '0') * 10 + (name[k + 3] - '0') > 255) { reason = "it has an escape above \\255."; return false; }
                        k += 3;
                    }
                    else if (k + 1 < name.Length) k++;
                    label++;
                }
                else label += c < 0x80 ? 1 : Encoding.UTF8.GetByteCount(new[] { c });
                if (label > 63) { reason = "a label is longer than 63 octets."; return false; }
            }
            if (label == 0) { reason = "it ends with an empty label."; return false; }
            wire += label + 1;
            if (wire > 255) { reason = "it is longer than 255 octets."; return false; }
            return true;
        }

        private static string FormatName(string name) => name.Length == 0 ? "." : name + ".";

        /// <summary>The owner of the first SOA record when written fully qualified (pre-scan; used as the initial origin).</summary>
        private static string? FindAbsoluteSoaOwner(List<ZoneEntry> entries)
        {
            foreach (var e in entries)
            {
                if (e.Broken || e.BlankOwner || e.Tokens.Count < 2 || e.Tokens[0].Quoted) continue;
                var owner = e.Tokens[0].Text;
                if (owner.StartsWith("$", StringComparison.Ordinal) || !IsSoaEntry(e)) continue;
                if (owner == "@") return null;
                // A relative owner with a dot is taken as the zone name (Cloudflare exports: "contoso.com 3600 IN SOA ...").
                if (!EndsWithUnescapedDot(owner) && owner.IndexOf('.') <= 0) return null;
                var candidate = owner == "." ? string.Empty : EndsWithUnescapedDot(owner) ? owner.Substring(0, owner.Length - 1) : owner;
                return ValidateName(candidate, out _) ? candidate.ToLowerInvariant() : null;
            }
            return null;
        }

        /// <summary>True when one of the tokens after the owner (before any RDATA) is the type SOA.</summary>
        private static bool IsSoaEntry(ZoneEntry e)
        {
            for (int k = 1; k < Math.Min(5, e.Tokens.Count); k++)
            {
                var x = e.Tokens[k];
                if (x.Quoted) return false;
                if (string.Equals(x.Text, "SOA", StringComparison.OrdinalIgnoreCase)) return true;
                if (!IsTtlLike(x.Text) && !ZoneRecordTypes.TryParseClass(x.Text, out _) && !x.Text.StartsWith("[AGE:", StringComparison.OrdinalIgnoreCase)) return false;
            }
            return false;
        }

        private static bool IsTtlLike(string token) => token.Length > 0 && token[0] >= '0' && token[0] <= '9';

        // ---- TTL -----------------------------------------------------------------------------------------------

        /// <summary>RFC 2181 §8: a TTL with the most significant bit set is treated as zero.</summary>
        private uint ClampTtl(ulong ttl)
        {
            if (ttl <= int.MaxValue) return (uint)ttl;
            Warn($"The TTL {ttl} is above 2147483647; it is treated as 0 (RFC 2181 §8).");
            return 0;
        }

        // ---- result --------------------------------------------------------------------------------------------

        private ZoneFileParseResult Build()
        {
            string origin;
            if (_argOrigin != null) origin = _argOrigin;
            else if (_soaOwner != null) origin = _soaOwner;
            else if (_firstDollarOrigin != null) origin = _firstDollarOrigin;
            else if (_inferredOrigin != null) { origin = _inferredOrigin; _usedFileNameOrigin = true; }
            else if (_records.Count > 0)
            {
                origin = CommonSuffix(_records.Select(r => r.Record.Name));
                Add(FindingSeverity.Error, 0, $"Cannot tell which zone this is: no origin was given, the file has no $ORIGIN or SOA record, and its name does not name a domain. '{(origin.Length == 0 ? "." : origin)}' is used; pass the origin.", null);
            }
            else origin = string.Empty;
            if (_usedFileNameOrigin && _argOrigin is null)
                Add(FindingSeverity.Information, 0, $"The origin '{_inferredOrigin}' is taken from the file name.", null);

            var kept = new List<ReadRecord>(_records.Count);
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var r in _records)
            {
                if (!DnsName.IsSubdomainOf(r.Record.Name, origin))
                {
                    Add(FindingSeverity.Warning, r.Line, $"'{r.Record.Name}' is outside the zone '{(origin.Length == 0 ? "." : origin)}'; the record is ignored.", r.Text, r.Source);
                    continue;
                }
                if (!seen.Add(RecordKey(r.Record)))
                {
                    Add(FindingSeverity.Information, r.Line, "The record repeats an earlier one; DNS serves it once.", r.Text, r.Source);
                    continue;
                }
                kept.Add(r);
            }

            // RFC 1034 §3.6.2, RFC 2181 §10.1: a CNAME owner holds no other data, and one CNAME at most.
            foreach (var group in kept.GroupBy(r => r.Record.Name))
            {
                var cnames = group.Where(r => r.Record.RecordType == DnsRecordType.CNAME).ToList();
                if (cnames.Count == 0) continue;
                if (cnames.Count > 1)
                    Add(FindingSeverity.Error, cnames[1].Line, $"'{group.Key}' has {cnames.Count} CNAME records; a name can have only one (RFC 2181 §10.1). Lookups follow the first.", cnames[1].Text, cnames[1].Source);
                var other = group.FirstOrDefault(r => r.Record.RecordType != DnsRecordType.CNAME && (ushort)r.Record.RecordType != 46 && (ushort)r.Record.RecordType != 47);
                if (other != null)
                    Add(FindingSeverity.Error, other.Line, $"'{group.Key}' has a CNAME and other records; a CNAME owner cannot have other data (RFC 1034 §3.6.2). Lookups follow the CNAME.", other.Text, other.Source);
            }

            var soa = kept.FirstOrDefault(r => r.Record.RecordType == DnsRecordType.SOA);
            if (soa != null && soa.Record.Name != origin)
                Add(FindingSeverity.Warning, soa.Line, $"The SOA record is at '{soa.Record.Name}', not at the zone apex '{origin}'.", soa.Text, soa.Source);
            if (kept.Count == 0) Add(FindingSeverity.Warning, 0, "No records were read.", null);
            else if (soa is null) Add(FindingSeverity.Information, 0, "The file has no SOA record.", null);

            var zone = new DnsZone(origin, kept.Select(r => r.Record), _sourceName);
            return new ZoneFileParseResult(zone, _diagnostics.AsReadOnly());
        }

        private static string RecordKey(DnsResourceRecord r) =>
            r.Name + "|" + ((ushort)r.RecordType).ToString(CultureInfo.InvariantCulture) + "|" + r.Address + "|" + r.Target + "|" +
            r.Preference.ToString(CultureInfo.InvariantCulture) + "|" + string.Join("\u0000", r.Strings) + "|" + r.Data;

        private static string CommonSuffix(IEnumerable<string> names)
        {
            string[]? common = null;
            foreach (var n in names)
            {
                var labels = n.Length == 0 ? Array.Empty<string>() : n.Split('.');
                if (common is null) { common = labels; continue; }
                int k = 0;
                while (k < common.Length && k < labels.Length && common[common.Length - 1 - k] == labels[labels.Length - 1 - k]) k++;
                common = common.Skip(common.Length - k).ToArray();
                if (common.Length == 0) break;
            }
            return common is null ? string.Empty : string.Join(".", common);
        }

        // ---- diagnostics ---------------------------------------------------------------------------------------

        private Func<uint, DnsResourceRecord>? Fail(string message)
        {
            Error(message);
            return null;
        }

        private void Error(string message) => Add(FindingSeverity.Error, _entry?.Line ?? 0, message, _entry?.Text);

        private void Warn(string message) => Add(FindingSeverity.Warning, _entry?.Line ?? 0, message, _entry?.Text);

        private void Add(FindingSeverity severity, int line, string message, string? text, string? source = null) =>
            _diagnostics.Add(new ZoneFileDiagnostic(severity, line, message, text, source ?? _source));

        private static string Printable(string text) => ZoneTokenizer.Shorten(text);
    }
}
