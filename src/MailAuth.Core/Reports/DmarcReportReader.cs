using System;
using System.Collections.Generic;
using System.IO;
using System.IO.Compression;
using System.Threading;
using System.Xml;
using MimeKit;

namespace MailAuth.Reports
{
    /// <summary>
    /// Imports DMARC aggregate reports (RFC 9990; RFC 7489 §7.2 and Appendix C) from files as they arrive: plain XML, gzip,
    /// zip, and e-mail messages (RFC 5322/MIME, parsed with MimeKit) carrying a report attachment, in any nesting. The format
    /// is told by content (magic bytes), never by the file name. Returns one row per report <c>record</c>, streamed, and a
    /// problem for each file (or archive entry) that is empty, not a report, invalid XML, a corrupt archive, or over a cap,
    /// plus warnings for what was recovered. Never throws for bad input: only <see cref="OperationCanceledException"/>.
    /// </summary>
    /// <remarks>
    /// Safety: the XML is read with an XmlReader (a report is never loaded whole), DTD processing prohibited and no resolver;
    /// every decompressed byte (gzip, zip, attachment decoding) is charged to one budget per file
    /// (<see cref="DmarcReportReaderOptions.MaxDecompressedBytes"/>), so gzip and zip bombs stop early; zip archives with more
    /// than <see cref="DmarcReportReaderOptions.MaxArchiveEntries"/> entries are refused before they are read; archives
    /// nest at most <see cref="MaxNesting"/> levels.
    /// </remarks>
    public sealed class DmarcReportReader
    {
        /// <summary>How many containers (message, zip, gzip) may wrap a report.</summary>
        public const int MaxNesting = 4;
        private const int SniffLength = 1024;

        public DmarcReportReader(DmarcReportReaderOptions? options = null)
        {
            Options = options ?? new DmarcReportReaderOptions();
        }

        public DmarcReportReaderOptions Options { get; }

        /// <summary>Reads one file; an unreadable file gives one <see cref="DmarcReportProblemReason.Unreadable"/> problem.</summary>
        public IEnumerable<DmarcReportItem> ReadFile(string path, CancellationToken cancellationToken = default)
        {
            if (path is null) throw new ArgumentNullException(nameof(path));
            return ReadFileIterator(path, cancellationToken);
        }

        private IEnumerable<DmarcReportItem> ReadFileIterator(string path, CancellationToken ct)
        {
            Stream? stream = null;
            string? failure = null;
            try
            {
                if (Directory.Exists(path)) failure = "it is a folder";
                else stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 65536);
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException || ex is ArgumentException || ex is NotSupportedException || ex is System.Security.SecurityException)
            {
                failure = ex.Message;
            }
            if (stream is null)
            {
                yield return Problem(path, null, DmarcReportProblemReason.Unreadable, true, $"the file could not be read: {failure}", 0);
                yield break;
            }
            using (stream)
                foreach (var item in Read(stream, path, cancellationToken: ct)) yield return item;
        }

        /// <summary>Reads a report from a stream; <paramref name="path"/> names it in rows and problems.</summary>
        public IEnumerable<DmarcReportItem> Read(Stream stream, string path, CancellationToken cancellationToken = default)
        {
            if (stream is null) throw new ArgumentNullException(nameof(stream));
            if (path is null) throw new ArgumentNullException(nameof(path));
            var ctx = new Context(path, new ByteBudget(Math.Max(1, Options.MaxDecompressedBytes)), cancellationToken);
            return Guard(ctx, null, DmarcReportProblemReason.CorruptArchive, unit => Content(ctx, stream, null, 0, unit));
        }

        private sealed class Context
        {
            public Context(string path, ByteBudget budget, CancellationToken ct) { Path = path; Budget = budget; Ct = ct; }
            public string Path { get; }
            public ByteBudget Budget { get; }
            public CancellationToken Ct { get; }
            public bool BudgetExhausted => Budget.Used > Budget.Limit;
        }

        private enum Kind { Empty, Xml, Gzip, Zip, Mail, Unknown }

        /// <summary>
        /// Runs <paramref name="produce"/> and turns any exception it throws (except cancellation) into an error problem naming
        /// what was read before it; then adds the warnings of the unit.
        /// </summary>
        private static IEnumerable<DmarcReportItem> Guard(Context ctx, string? entry, DmarcReportProblemReason fallbackReason,
            Func<ReportUnit, IEnumerable<DmarcReportItem>> produce)
        {
            var unit = new ReportUnit();
            IEnumerator<DmarcReportItem>? e = null;
            DmarcReportItem? failure = null;
            try
            {
                try { e = produce(unit).GetEnumerator(); }
                catch (Exception ex) when (!(ex is OperationCanceledException)) { failure = ToProblem(ctx, entry, ex, fallbackReason, unit); }
                while (e != null && failure is null)
                {
                    DmarcReportItem? item = null;
                    try
                    {
                        if (e.MoveNext()) item = e.Current;
                    }
                    catch (Exception ex) when (!(ex is OperationCanceledException)) { failure = ToProblem(ctx, entry, ex, fallbackReason, unit); }
                    if (item is null) break;
                    yield return item;
                }
            }
            finally
            {
                try { e?.Dispose(); }
                catch (Exception ex) when (!(ex is OperationCanceledException)) { /* a failing close after the end adds nothing */ }
            }
            if (failure != null) yield return failure;
            foreach (var w in unit.DrainWarnings())
                yield return Problem(ctx.Path, entry, DmarcReportProblemReason.Recovered, false, w, unit.Records);
        }

        private static DmarcReportItem ToProblem(Context ctx, string? entry, Exception ex, DmarcReportProblemReason fallback, ReportUnit unit)
        {
            DmarcReportProblemReason reason;
            string message;
            int? line = null;
            switch (ex)
            {
                case DmarcReportLimitException limit:
                    reason = limit.Reason;
                    message = limit.Message;
                    break;
                case XmlException x:
                    reason = DmarcReportProblemReason.InvalidXml;
                    line = x.LineNumber > 0 ? x.LineNumber : (int?)null;
                    message = "invalid XML: " + x.Message;
                    break;
                case InvalidDataException d:
                    reason = DmarcReportProblemReason.CorruptArchive;
                    message = "corrupt or truncated archive: " + d.Message;
                    break;
                case EndOfStreamException eos:
                    reason = DmarcReportProblemReason.CorruptArchive;
                    message = "the content ends too early: " + eos.Message;
                    break;
                case IOException io:
                    reason = DmarcReportProblemReason.Unreadable;
                    message = "read error: " + io.Message;
                    break;
                case FormatException f:
                    reason = DmarcReportProblemReason.CorruptArchive;
                    message = "the message could not be parsed: " + f.Message;
                    break;
                default:
                    reason = fallback;
                    message = $"the content could not be read ({ex.GetType().Name}): {ex.Message}";
                    break;
            }
            if (unit.Records > 0) message += $"; {unit.Records} record(s) were read before it, the rest was skipped";
            return Problem(ctx.Path, entry, reason, true, message, unit.Records, line);
        }

        private static DmarcReportItem Problem(string path, string? entry, DmarcReportProblemReason reason, bool isError, string message,
            int records, int? line = null)
            => new DmarcReportItem(new DmarcReportProblem(path, entry, reason, isError, message, records, line));

        // ---- content dispatch ----------------------------------------------------------------------------------------

        private IEnumerable<DmarcReportItem> Content(Context ctx, Stream stream, string? entry, int depth, ReportUnit unit)
        {
            ctx.Ct.ThrowIfCancellationRequested();
            long start = stream.CanSeek ? stream.Position : -1;
            var prefix = new byte[SniffLength];
            int n = StreamUtil.ReadFully(stream, prefix, prefix.Length);
            var kind = Sniff(prefix, n);
            if (kind == Kind.Empty)
            {
                yield return Problem(ctx.Path, entry, DmarcReportProblemReason.Empty,
                    true, n == 0 ? "the content is empty" : "the content is only white space", 0);
                yield break;
            }
            if (kind == Kind.Unknown)
            {
                yield return Problem(ctx.Path, entry, DmarcReportProblemReason.NotAReport, true,
                    "not a DMARC aggregate report: the content is not XML, gzip, zip or an e-mail message", 0);
                yield break;
            }
            if (kind != Kind.Xml && depth >= MaxNesting)
                throw new DmarcReportLimitException(DmarcReportProblemReason.TooManyEntries, $"archives nest deeper than {MaxNesting} levels");

            switch (kind)
            {
                case Kind.Xml:
                    var parser = new DmarcReportXmlParser(Options, unit, ctx.Path, entry);
                    foreach (var item in parser.Parse(prefix, n, stream, ctx.Ct)) yield return item;
                    if (!parser.FoundFeedback)
                        yield return Problem(ctx.Path, entry, DmarcReportProblemReason.NotAReport, true,
                            "not a DMARC aggregate report: the XML has no feedback element", 0);
                    else if (unit.Records == 0)
                        unit.Warn("the report has no record");
                    break;

                case Kind.Gzip:
                    var gz = new BudgetedStream(new GZipStream(new PrefixedStream(prefix, n, stream), CompressionMode.Decompress), ctx.Budget);
                    using (gz)
                        foreach (var item in Content(ctx, gz, entry, depth + 1, unit)) yield return item;
                    break;

                case Kind.Zip:
                    Stream zipStream;
                    if (start >= 0)
                    {
                        stream.Position = start;
                        zipStream = stream;
                    }
                    else
                    {
                        // ZipArchive needs to seek; a nested archive is copied to memory, charged to the budget.
                        var copy = new BudgetedMemoryStream(ctx.Budget);
                        copy.Write(prefix, 0, n);
                        stream.CopyTo(copy);
                        copy.Position = 0;
                        zipStream = copy;
                    }
                    foreach (var item in Zip(ctx, zipStream, entry, depth)) yield return item;
                    break;

                case Kind.Mail:
                    foreach (var item in Mail(ctx, new PrefixedStream(prefix, n, stream), entry, depth)) yield return item;
                    break;
            }
        }

        private static Kind Sniff(byte[] b, int n)
        {
            int i = 0;
            if (n >= 3 && b[0] == 0xEF && b[1] == 0xBB && b[2] == 0xBF) i = 3;
            else if (n >= 2 && ((b[0] == 0xFF && b[1] == 0xFE) || (b[0] == 0xFE && b[1] == 0xFF)))
            {
                // UTF-16 with a byte order mark: XML when the first non-blank character is '<'.
                bool le = b[0] == 0xFF;
                for (int j = 2; j + 1 < n; j += 2)
                {
                    int c = le ? b[j] | (b[j + 1] << 8) : (b[j] << 8) | b[j + 1];
                    if (c == ' ' || c == '\t' || c == '\r' || c == '\n') continue;
                    return c == '<' ? Kind.Xml : Kind.Unknown;
                }
                return Kind.Empty;
            }
            if (i == 0 && n >= 2 && b[0] == 0x1F && b[1] == 0x8B) return Kind.Gzip;
            if (i == 0 && n >= 4 && b[0] == 0x50 && b[1] == 0x4B && (b[2] == 3 || b[2] == 5 || b[2] == 7) && b[3] == b[2] + 1) return Kind.Zip;
            if (i == 0 && n >= 2 && ((b[0] == '<' && b[1] == 0) || (b[0] == 0 && b[1] == '<'))) return Kind.Xml;
            while (i < n && (b[i] == ' ' || b[i] == '\t' || b[i] == '\r' || b[i] == '\n')) i++;
            if (i == n) return Kind.Empty;
            if (b[i] == '<') return Kind.Xml;
            return LooksLikeMessage(b, i, n) ? Kind.Mail : Kind.Unknown;
        }

        /// <summary>An RFC 5322 header field ("Name: ...") or an mbox "From " line at the start.</summary>
        private static bool LooksLikeMessage(byte[] b, int i, int n)
        {
            if (n - i >= 5 && b[i] == 'F' && b[i + 1] == 'r' && b[i + 2] == 'o' && b[i + 3] == 'm' && b[i + 4] == ' ') return true;
            int start = i;
            while (i < n && b[i] > 32 && b[i] < 127 && b[i] != ':') i++;
            return i > start && i < n && b[i] == ':';
        }

        // ---- zip --------------------------------------------------------------------------------------------------------

        private IEnumerable<DmarcReportItem> Zip(Context ctx, Stream stream, string? outerEntry, int depth)
        {
            int declared = DeclaredEntryCount(stream);
            if (declared > Options.MaxArchiveEntries)
                throw new DmarcReportLimitException(DmarcReportProblemReason.TooManyEntries,
                    FormattableString.Invariant($"the zip archive declares {declared:N0} entries, more than the cap of {Options.MaxArchiveEntries:N0}"));
            using var archive = new ZipArchive(stream, ZipArchiveMode.Read, leaveOpen: true);
            var entries = archive.Entries;
            if (entries.Count > Options.MaxArchiveEntries)
                throw new DmarcReportLimitException(DmarcReportProblemReason.TooManyEntries,
                    FormattableString.Invariant($"the zip archive holds {entries.Count:N0} entries, more than the cap of {Options.MaxArchiveEntries:N0}"));
            int reports = 0;
            foreach (var zipEntry in entries)
            {
                ctx.Ct.ThrowIfCancellationRequested();
                if (ctx.BudgetExhausted) break;
                if (zipEntry.FullName.EndsWith("/", StringComparison.Ordinal) || zipEntry.FullName.EndsWith("\\", StringComparison.Ordinal)) continue;
                var name = outerEntry is null ? zipEntry.FullName : outerEntry + "!" + zipEntry.FullName;
                if (zipEntry.Length > ctx.Budget.Limit - ctx.Budget.Used)
                {
                    yield return Problem(ctx.Path, name, DmarcReportProblemReason.TooLarge, true,
                        FormattableString.Invariant($"the zip entry declares {zipEntry.Length:N0} bytes, more than the cap of {ctx.Budget.Limit:N0} decompressed bytes leaves (a compression bomb, or raise -MaxDecompressedBytes)"), 0);
                    yield break;
                }
                bool isReport = false;
                foreach (var item in Guard(ctx, name, DmarcReportProblemReason.CorruptArchive, unit => Member(ctx, zipEntry, name, depth, unit, r => isReport = r)))
                {
                    if (item.Problem is { Reason: DmarcReportProblemReason.TooLarge }) { yield return item; yield break; }
                    yield return item;
                }
                if (isReport) reports++;
            }
            if (reports == 0 && !ctx.BudgetExhausted)
                yield return Problem(ctx.Path, outerEntry, DmarcReportProblemReason.NotAReport, true,
                    entries.Count == 0 ? "not a DMARC aggregate report: the zip archive is empty" : "not a DMARC aggregate report: the zip archive holds no report", 0);
        }

        /// <summary>One zip member: sniffed first, so that a stray readme or image is skipped with a warning, not an error.</summary>
        private IEnumerable<DmarcReportItem> Member(Context ctx, ZipArchiveEntry zipEntry, string name, int depth, ReportUnit unit, Action<bool> isReport)
        {
            using var raw = new BudgetedStream(zipEntry.Open(), ctx.Budget);
            var prefix = new byte[SniffLength];
            int n = StreamUtil.ReadFully(raw, prefix, prefix.Length);
            var kind = Sniff(prefix, n);
            if (kind == Kind.Empty || kind == Kind.Unknown)
            {
                unit.Warn($"the archive member is {(kind == Kind.Empty ? "empty" : "not a report")}; skipped");
                isReport(false);
                yield break;
            }
            isReport(true);
            foreach (var item in Content(ctx, new PrefixedStream(prefix, n, raw), name, depth + 1, unit)) yield return item;
        }

        /// <summary>The entry count of the end-of-central-directory record (0xFFFF for zip64 means "many"); -1 when not found.</summary>
        private static int DeclaredEntryCount(Stream s)
        {
            try
            {
                long length = s.Length;
                int tail = (int)Math.Min(length, 22 + 65535);
                if (tail < 22) return -1;
                var buf = new byte[tail];
                long origin = s.Position;
                s.Position = length - tail;
                int n = StreamUtil.ReadFully(s, buf, tail);
                s.Position = origin;
                for (int i = n - 22; i >= 0; i--)
                {
                    if (buf[i] == 0x50 && buf[i + 1] == 0x4B && buf[i + 2] == 5 && buf[i + 3] == 6)
                        return buf[i + 10] | (buf[i + 11] << 8);
                }
                return -1;
            }
            catch (NotSupportedException) { return -1; }
        }

        // ---- e-mail -----------------------------------------------------------------------------------------------------

        private IEnumerable<DmarcReportItem> Mail(Context ctx, Stream stream, string? entry, int depth)
        {
            // The parsed message keeps its parts in memory: charge the raw message to the budget as it is read.
            var budgeted = new BudgetedStream(stream, ctx.Budget);
            var message = MimeMessage.Load(budgeted, ctx.Ct);
            int reports = 0;
            var found = new List<MimePart>();
            Collect(message.Body, found, 0);
            foreach (var part in found)
            {
                ctx.Ct.ThrowIfCancellationRequested();
                if (ctx.BudgetExhausted) break;
                var name = part.FileName ?? part.ContentType.Name ?? part.ContentType.MimeType;
                if (entry != null) name = entry + "!" + name;
                var decoded = new BudgetedMemoryStream(ctx.Budget);
                part.Content!.DecodeTo(decoded, ctx.Ct);
                decoded.Position = 0;
                var head = new byte[SniffLength];
                int n = StreamUtil.ReadFully(decoded, head, head.Length);
                var kind = Sniff(head, n);
                if (kind != Kind.Xml && kind != Kind.Gzip && kind != Kind.Zip) continue;
                decoded.Position = 0;
                reports++;
                foreach (var item in Guard(ctx, name, DmarcReportProblemReason.CorruptArchive, unit => Content(ctx, decoded, name, depth + 1, unit)))
                    yield return item;
            }
            if (reports == 0 && !ctx.BudgetExhausted)
                yield return Problem(ctx.Path, entry, DmarcReportProblemReason.NotAReport, true,
                    "not a DMARC aggregate report: the e-mail message carries no report attachment (XML, gzip or zip)", 0);
        }

        /// <summary>The leaf parts that may hold a report: anything but plain text and HTML bodies, and forwarded messages' parts.</summary>
        private static void Collect(MimeEntity? entity, List<MimePart> found, int level)
        {
            if (entity is null || level > 2 * MaxNesting) return;
            switch (entity)
            {
                case Multipart multipart:
                    foreach (var child in multipart) Collect(child, found, level + 1);
                    break;
                case MessagePart forwarded:
                    Collect(forwarded.Message?.Body, found, level + 1);
                    break;
                case MimePart part when part.Content != null:
                    var type = part.ContentType;
                    bool textBody = type.IsMimeType("text", "plain") || type.IsMimeType("text", "html");
                    var file = part.FileName ?? type.Name ?? "";
                    if (textBody && !(file.EndsWith(".xml", StringComparison.OrdinalIgnoreCase) || file.EndsWith(".gz", StringComparison.OrdinalIgnoreCase) ||
                                      file.EndsWith(".zip", StringComparison.OrdinalIgnoreCase))) break;
                    found.Add(part);
                    break;
            }
        }
    }
}
