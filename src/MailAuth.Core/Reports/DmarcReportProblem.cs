namespace MailAuth.Reports
{
    /// <summary>Why a file (or part of it) could not be imported, or what the importer recovered from.</summary>
    public enum DmarcReportProblemReason
    {
        /// <summary>The file, archive entry or attachment has no content (or only white space).</summary>
        Empty,
        /// <summary>The content is not an aggregate report: not XML, gzip, zip or a mail message, an XML document without a
        /// <c>feedback</c> element, or a message without a report attachment.</summary>
        NotAReport,
        /// <summary>The XML is not well-formed (RFC 9990 §4 / RFC 7489 Appendix C); rows read before the error were returned.</summary>
        InvalidXml,
        /// <summary>A gzip or zip archive is corrupt or truncated, or a mail message could not be parsed.</summary>
        CorruptArchive,
        /// <summary>The decompressed content exceeded <see cref="DmarcReportReaderOptions.MaxDecompressedBytes"/> (a compression bomb).</summary>
        TooLarge,
        /// <summary>A zip archive holds more entries than <see cref="DmarcReportReaderOptions.MaxArchiveEntries"/>, or archives nest too deep.</summary>
        TooManyEntries,
        /// <summary>The file could not be read (missing, locked, no permission).</summary>
        Unreadable,
        /// <summary>Something was recovered or skipped (a warning): unescaped characters, invalid encoding, values that are not numbers,
        /// non-report members of an archive, truncated values.</summary>
        Recovered,
    }

    /// <summary>
    /// A problem with one input file. <see cref="IsError"/> problems mean the file (or the rest of it) was not imported;
    /// the others are warnings about what the importer recovered from or skipped.
    /// </summary>
    public sealed class DmarcReportProblem
    {
        internal DmarcReportProblem(string path, string? entry, DmarcReportProblemReason reason, bool isError, string message,
            int recordsRead, int? lineNumber = null)
        {
            Path = path;
            Entry = entry;
            Reason = reason;
            IsError = isError;
            Message = message;
            RecordsRead = recordsRead;
            LineNumber = lineNumber;
        }

        /// <summary>The file the problem is in.</summary>
        public string Path { get; }

        /// <summary>The zip entry or e-mail attachment inside the file, when the problem is in one.</summary>
        public string? Entry { get; }

        public DmarcReportProblemReason Reason { get; }

        /// <summary>True when content was abandoned; false for a warning about something recovered or skipped.</summary>
        public bool IsError { get; }

        /// <summary>The reason in a sentence, without the file name.</summary>
        public string Message { get; }

        /// <summary>How many records of this report had been returned when the problem was met.</summary>
        public int RecordsRead { get; }

        /// <summary>The XML line of the problem, when known.</summary>
        public int? LineNumber { get; }

        /// <summary>"file[!entry]: message".</summary>
        public override string ToString() => (Entry is null ? Path : Path + "!" + Entry) + ": " + Message;
    }

    /// <summary>One item of an import: a report row or a problem, in the order met.</summary>
    public sealed class DmarcReportItem
    {
        internal DmarcReportItem(DmarcReportRow row) { Row = row; }
        internal DmarcReportItem(DmarcReportProblem problem) { Problem = problem; }

        public DmarcReportRow? Row { get; }
        public DmarcReportProblem? Problem { get; }
    }

    /// <summary>Caps that protect the importer from hostile input.</summary>
    public sealed class DmarcReportReaderOptions
    {
        /// <summary>256 MiB.</summary>
        public const long DefaultMaxDecompressedBytes = 256L * 1024 * 1024;

        /// <summary>1000 entries.</summary>
        public const int DefaultMaxArchiveEntries = 1000;

        /// <summary>The most bytes decompressed (gzip, zip, attachment decoding) from one input file, all layers together.</summary>
        public long MaxDecompressedBytes { get; set; } = DefaultMaxDecompressedBytes;

        /// <summary>The most entries a zip archive may hold.</summary>
        public int MaxArchiveEntries { get; set; } = DefaultMaxArchiveEntries;

        /// <summary>The longest text value kept from one XML element; longer values are cut and a warning is given.</summary>
        public int MaxValueLength { get; set; } = 4096;
    }
}
