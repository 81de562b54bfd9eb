using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using MailAuth.Reports;

namespace MailAuth.PowerShell.Commands
{
    /// <summary>
    /// Import-DmarcReport: reads DMARC aggregate reports (XML, gzip, zip, or e-mail messages carrying one) from files, folders
    /// and wildcards and streams one flat row per report record. Bad files give non-terminating errors and the import goes on.
    /// Queries no DNS.
    /// </summary>
    [Cmdlet(VerbsData.Import, "DmarcReport", DefaultParameterSetName = PathSet)]
    [OutputType(typeof(DmarcReportRow))]
    public sealed class ImportDmarcReportCommand : MailAuthCmdletBase
    {
        private const string PathSet = "Path";
        private const string LiteralPathSet = "LiteralPath";

        /// <summary>File extensions read from folders; files named directly are read whatever their name.</summary>
        private static readonly string[] FolderExtensions = { ".xml", ".gz", ".zip", ".eml" };

        private DmarcReportReader? _reader;

        [Parameter(Mandatory = true, Position = 0, ParameterSetName = PathSet, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [ValidateNotNullOrEmpty]
        public string[] Path { get; set; } = Array.Empty<string>();

        [Parameter(Mandatory = true, ParameterSetName = LiteralPathSet, ValueFromPipelineByPropertyName = true)]
        [Alias("PSPath", "LP", "FullName")]
        [ValidateNotNullOrEmpty]
        public string[] LiteralPath { get; set; } = Array.Empty<string>();

        [Parameter]
        public SwitchParameter Recurse { get; set; }

        [Parameter]
        [ValidateRange(1L, long.MaxValue)]
        public long MaxDecompressedBytes { get; set; } = DmarcReportReaderOptions.DefaultMaxDecompressedBytes;

        [Parameter]
        [ValidateRange(1, int.MaxValue)]
        public int MaxArchiveEntries { get; set; } = DmarcReportReaderOptions.DefaultMaxArchiveEntries;

        protected override void BeginProcessing()
        {
            _reader = new DmarcReportReader(new DmarcReportReaderOptions
            {
                MaxDecompressedBytes = MaxDecompressedBytes,
                MaxArchiveEntries = MaxArchiveEntries,
            });
        }

        protected override void ProcessRecord()
        {
            bool literal = ParameterSetName == LiteralPathSet;
            foreach (var input in literal ? LiteralPath : Path)
                foreach (var file in Resolve(input, literal))
                    Import(file);
        }

        private IEnumerable<string> Resolve(string input, bool literal)
        {
            var found = new List<string>();
            ProviderInfo provider;
            try
            {
                if (literal)
                {
                    var p = SessionState.Path.GetUnresolvedProviderPathFromPSPath(input, out provider, out _);
                    if (!File.Exists(p) && !Directory.Exists(p))
                        throw new ItemNotFoundException($"Cannot find path '{input}' because it does not exist.");
                    found.Add(p);
                }
                else
                {
                    found.AddRange(GetResolvedProviderPathFromPSPath(input, out provider));
                }
            }
            catch (Exception ex) when (ex is ItemNotFoundException || ex is System.Management.Automation.DriveNotFoundException || ex is ProviderNotFoundException || ex is NotSupportedException || ex is ArgumentException)
            {
                WriteMailAuthError("DmarcReportNotFound", ErrorCategory.ObjectNotFound, input, $"'{input}': {ex.Message}", ex);
                return Array.Empty<string>();
            }
            if (provider.ImplementingType != typeof(Microsoft.PowerShell.Commands.FileSystemProvider))
            {
                WriteMailAuthError("DmarcReportNotAFile", ErrorCategory.InvalidArgument, input, $"'{input}' is not a file-system path.");
                return Array.Empty<string>();
            }

            var files = new List<string>();
            foreach (var p in found)
            {
                if (!Directory.Exists(p)) { files.Add(p); continue; }
                try
                {
                    var inFolder = Directory.EnumerateFiles(p, "*", Recurse ? SearchOption.AllDirectories : SearchOption.TopDirectoryOnly)
                        .Where(f => FolderExtensions.Any(x => f.EndsWith(x, StringComparison.OrdinalIgnoreCase)))
                        .OrderBy(f => f, StringComparer.Ordinal)
                        .ToList();
                    WriteVerbose($"{p}: {inFolder.Count} report file(s) (*{string.Join(", *", FolderExtensions)})");
                    files.AddRange(inFolder);
                }
                catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
                {
                    WriteMailAuthError("DmarcReportUnreadable", ErrorCategory.ReadError, p, $"'{p}': the folder could not be read: {ex.Message}", ex);
                }
            }
            return files;
        }

        private void Import(string file)
        {
            long records = 0, messages = 0;
            int errors = 0;
            try
            {
                foreach (var item in _reader!.ReadFile(file, CancellationToken))
                {
                    if (item.Row != null)
                    {
                        records++;
                        messages += item.Row.Count ?? 0;
                        WriteObject(item.Row);
                        continue;
                    }
                    var problem = item.Problem!;
                    if (!problem.IsError)
                    {
                        WriteWarning(problem.ToString());
                        continue;
                    }
                    errors++;
                    var (id, category) = problem.Reason switch
                    {
                        DmarcReportProblemReason.TooLarge => ("DmarcReportTooLarge", ErrorCategory.LimitsExceeded),
                        DmarcReportProblemReason.TooManyEntries => ("DmarcReportTooLarge", ErrorCategory.LimitsExceeded),
                        DmarcReportProblemReason.Unreadable => ("DmarcReportUnreadable", ErrorCategory.ReadError),
                        _ => ("DmarcReportInvalid", ErrorCategory.InvalidData),
                    };
                    WriteMailAuthError(id, category, problem, problem.ToString());
                }
            }
            catch (OperationCanceledException) when (CancellationToken.IsCancellationRequested)
            {
                throw new PipelineStoppedException();
            }
            WriteVerbose($"{file}: {records} record(s), {messages} message(s){(errors > 0 ? $", {errors} error(s)" : "")}");
        }
    }
}
