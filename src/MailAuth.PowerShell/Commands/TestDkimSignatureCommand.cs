using System;
using System.Collections.Generic;
using System.IO;
using System.Management.Automation;
using MailAuth.Dkim;

namespace MailAuth.PowerShell.Commands
{
    /// <summary>Test-DkimSignature: verifies every DKIM-Signature of messages given as files or as raw text.</summary>
    [Cmdlet(VerbsDiagnostic.Test, "DkimSignature", DefaultParameterSetName = MessageSet)]
    [OutputType(typeof(DkimSignatureResult))]
    public sealed class TestDkimSignatureCommand : MailAuthConcurrentDnsCmdletBase
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

        /// <summary>The default -ThrottleLimit.</summary>
        public const int DefaultThrottleLimit = 64;

        public TestDkimSignatureCommand() : base(DefaultThrottleLimit) { }

        protected override void ProcessRecord()
        {
            var window = Window;
            var verifier = new DkimSignatureVerifier(Resolver);
            if (ParameterSetName == MessageSet)
            {
                var message = Message;
                window.Start(ct => verifier.VerifyAsync(message, ct), results => WriteResults(results, null));
                return;
            }
            foreach (var pattern in Path)
            {
                IEnumerable<string> files;
                try { files = ResolveMessagePaths(pattern); }
                catch (ItemNotFoundException ex)
                {
                    var target = pattern;
                    window.Post(() => WriteError(new ErrorRecord(ex, "MessageFileNotFound", ErrorCategory.ObjectNotFound, target)));
                    continue;
                }
                foreach (var file in files)
                {
                    byte[] bytes;
                    try
                    {
                        if (Directory.Exists(file))
                        {
                            var folder = file;
                            window.Post(() => WriteMailAuthError("MessagePathIsFolder", ErrorCategory.InvalidArgument, folder, $"'{folder}' is a folder; give message files (*.eml)."));
                            continue;
                        }
                        bytes = File.ReadAllBytes(file);
                    }
                    catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
                    {
                        var unreadable = file;
                        window.Post(() => WriteMailAuthError("MessageFileUnreadable", ErrorCategory.ReadError, unreadable, $"Could not read '{unreadable}': {ex.Message}", ex));
                        continue;
                    }
                    var path = file;
                    window.Start(ct => verifier.VerifyAsync(bytes, ct), results => WriteResults(results, path));
                }
            }
        }

        /// <summary>
        /// The files a -Path argument names. A path without wildcards is only made absolute (resolving it through the
        /// provider costs ~0.25 ms, more than verifying the message); a pattern is resolved by the provider.
        /// </summary>
        private IEnumerable<string> ResolveMessagePaths(string pattern)
        {
            if (!WildcardPattern.ContainsWildcardCharacters(pattern))
            {
                var path = SessionState.Path.GetUnresolvedProviderPathFromPSPath(pattern, out var provider, out _);
                if (provider.ImplementingType == typeof(Microsoft.PowerShell.Commands.FileSystemProvider))
                {
                    if (!File.Exists(path) && !Directory.Exists(path))
                        throw new ItemNotFoundException($"Cannot find path '{pattern}' because it does not exist.");
                    return new[] { path };
                }
            }
            return GetResolvedProviderPathFromPSPath(pattern, out _);
        }

        private void WriteResults(IEnumerable<DkimSignatureResult> results, string? path)
        {
            foreach (var result in results)
            {
                var o = PSObject.AsPSObject(result);
                o.Properties.Add(new PSNoteProperty("Path", path));
                WriteObject(o);
            }
        }
    }
}
