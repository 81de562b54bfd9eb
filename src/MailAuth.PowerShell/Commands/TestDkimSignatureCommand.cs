using System;
using System.IO;
using System.Management.Automation;
using MailAuth.Dkim;

namespace MailAuth.PowerShell.Commands
{
    /// <summary>Test-DkimSignature: verifies every DKIM-Signature of messages given as files or as raw text.</summary>
    [Cmdlet(VerbsDiagnostic.Test, "DkimSignature", DefaultParameterSetName = MessageSet)]
    [OutputType(typeof(DkimSignatureResult))]
    public sealed class TestDkimSignatureCommand : MailAuthDnsCmdletBase
    {
        private const string PathSet = "Path";
        private const string MessageSet = "Message";

        [Parameter(Mandatory = true, Position = 0, ParameterSetName = PathSet, ValueFromPipelineByPropertyName = true)]
        [Alias("FullName", "PSPath")]
        [ValidateNotNullOrEmpty]
        public string[] Path { get; set; } = Array.Empty<string>();

        [Parameter(Mandatory = true, ParameterSetName = MessageSet, ValueFromPipeline = true)]
        [AllowEmptyString]
        public string Message { get; set; } = string.Empty;

        protected override void ProcessRecord()
        {
            var verifier = new DkimSignatureVerifier(Resolver);
            if (ParameterSetName == MessageSet)
            {
                foreach (var r in Run(ct => verifier.VerifyAsync(Message, ct))) WriteResult(r, null);
                return;
            }
            foreach (var pattern in Path)
            {
                System.Collections.ObjectModel.Collection<string> files;
                try { files = GetResolvedProviderPathFromPSPath(pattern, out _); }
                catch (ItemNotFoundException ex)
                {
                    WriteError(new ErrorRecord(ex, "MessageFileNotFound", ErrorCategory.ObjectNotFound, pattern));
                    continue;
                }
                foreach (var file in files)
                {
                    byte[] bytes;
                    try
                    {
                        if (Directory.Exists(file))
                        {
                            WriteMailAuthError("MessagePathIsFolder", ErrorCategory.InvalidArgument, file, $"'{file}' is a folder; give message files (*.eml).");
                            continue;
                        }
                        bytes = File.ReadAllBytes(file);
                    }
                    catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
                    {
                        WriteMailAuthError("MessageFileUnreadable", ErrorCategory.ReadError, file, $"Could not read '{file}': {ex.Message}", ex);
                        continue;
                    }
                    foreach (var r in Run(ct => verifier.VerifyAsync(bytes, ct))) WriteResult(r, file);
                }
            }
        }

        private void WriteResult(DkimSignatureResult result, string? path)
        {
            var o = PSObject.AsPSObject(result);
            o.Properties.Add(new PSNoteProperty("Path", path));
            WriteObject(o);
        }

        protected override void EndProcessing() => WriteResolverStatistics();
    }
}
