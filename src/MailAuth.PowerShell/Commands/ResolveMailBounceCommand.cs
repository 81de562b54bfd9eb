using System;
using System.Collections.Generic;
using System.Collections.ObjectModel;
using System.IO;
using System.Management.Automation;
using System.Net;
using MailAuth.Bounces;

namespace MailAuth.PowerShell.Commands
{
    /// <summary>Resolve-MailBounce: explains a bounce (NDR, DSN) and, with -Audit, checks the DNS records behind it.</summary>
    [Cmdlet(VerbsDiagnostic.Resolve, "MailBounce", DefaultParameterSetName = TextSet)]
    [OutputType(typeof(MailBounceAnalysis))]
    public sealed class ResolveMailBounceCommand : MailAuthDnsCmdletBase
    {
        private const string TextSet = "Text";
        private const string PathSet = "Path";
        private readonly List<string> _lines = new List<string>();

        [Parameter(Mandatory = true, ParameterSetName = TextSet, ValueFromPipeline = true)]
        [AllowEmptyString]
        [AllowNull]
        [Alias("Text")]
        public string[]? InputObject { get; set; }

        [Parameter(Mandatory = true, Position = 0, ParameterSetName = PathSet, ValueFromPipelineByPropertyName = true)]
        [Alias("PSPath", "FullName")]
        [ValidateNotNullOrEmpty]
        public string[]? Path { get; set; }

        [Parameter]
        public SwitchParameter Audit { get; set; }

        [Parameter]
        [ValidateNotNull]
        public IPAddress? IPAddress { get; set; }

        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? SenderDomain { get; set; }

        protected override void BeginProcessing()
        {
            if (SenderDomain != null && !Dns.DnsName.TryNormalizeDomain(SenderDomain, out _, out var reason))
                ThrowTerminatingError(new ErrorRecord(new MailAuthException($"-SenderDomain: {reason}"), "InvalidSenderDomain", ErrorCategory.InvalidArgument, SenderDomain));
        }

        protected override void ProcessRecord()
        {
            if (ParameterSetName == TextSet)
            {
                foreach (var line in InputObject ?? Array.Empty<string>()) _lines.Add(line ?? string.Empty);
                return;
            }
            foreach (var pattern in Path ?? Array.Empty<string>())
            {
                Collection<string> files;
                try { files = GetResolvedProviderPathFromPSPath(pattern, out _); }
                catch (Exception ex) when (ex is ItemNotFoundException || ex is ProviderNotFoundException || ex is System.Management.Automation.DriveNotFoundException)
                {
                    WriteMailAuthError("PathNotFound", ErrorCategory.ObjectNotFound, pattern, ex.Message, ex);
                    continue;
                }
                foreach (var file in files)
                {
                    MailBounceAnalysis analysis;
                    try
                    {
                        using var stream = File.OpenRead(file);
                        analysis = MailBounceAnalyzer.Analyze(stream, file);
                    }
                    catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
                    {
                        WriteMailAuthError("FileNotReadable", ErrorCategory.ReadError, file, $"Cannot read '{file}': {ex.Message}", ex);
                        continue;
                    }
                    Emit(analysis);
                }
            }
        }

        protected override void EndProcessing()
        {
            if (ParameterSetName == TextSet && _lines.Count > 0)
                Emit(MailBounceAnalyzer.Analyze(string.Join("\n", _lines), "text"));
            WriteResolverStatistics();
        }

        private void Emit(MailBounceAnalysis analysis)
        {
            analysis = analysis.WithOverrides(SenderDomain, IPAddress);
            foreach (var note in analysis.Notes) WriteVerbose($"{analysis.Source}: {note}");
            if (Audit)
            {
                if (analysis.SenderDomain is null && analysis.RelayIp is null)
                    WriteWarning($"{analysis.Source}: no sender domain or relay IP was found, so there is nothing to audit. Give -SenderDomain and -IPAddress.");
                var auditor = new MailBounceAuditor(Resolver);
                analysis = Run(ct => auditor.AuditAsync(analysis, ct));
            }
            WriteObject(analysis);
        }
    }
}
