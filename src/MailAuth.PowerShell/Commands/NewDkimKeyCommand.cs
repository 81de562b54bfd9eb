using System;
using System.IO;
using System.Management.Automation;
using MailAuth.Dkim;

namespace MailAuth.PowerShell.Commands
{
    /// <summary>
    /// New-DkimKey: generates a DKIM key pair, writes the private key (PKCS#8 PEM, owner-only) and returns the key
    /// facts with the TXT record to publish. Never writes the private key to the pipeline or the console.
    /// </summary>
    [Cmdlet(VerbsCommon.New, "DkimKey", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(DkimKeyInfo))]
    public sealed class NewDkimKeyCommand : MailAuthCmdletBase
    {
        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
        [Alias("DomainName", "ZoneName")]
        public string Domain { get; set; } = string.Empty;

        [Parameter(Mandatory = true, Position = 1, ValueFromPipelineByPropertyName = true)]
        public string Selector { get; set; } = string.Empty;

        [Parameter(ValueFromPipelineByPropertyName = true)]
        [ValidateSet("Rsa", "Ed25519")]
        public DkimKeyType KeyType { get; set; } = DkimKeyType.Rsa;

        [Parameter(ValueFromPipelineByPropertyName = true)]
        [ValidateRange(DkimKeyGenerator.MinimumRsaBits, DkimKeyGenerator.MaximumRsaBits)]
        public int KeySize { get; set; } = DkimKeyGenerator.DefaultRsaBits;

        [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true)]
        [ValidateNotNullOrEmpty]
        public string PrivateKeyPath { get; set; } = string.Empty;

        [Parameter(ValueFromPipelineByPropertyName = true)]
        public TimeSpan TimeToLive { get; set; } = TimeSpan.FromHours(1);

        [Parameter]
        public SwitchParameter Force { get; set; }

        protected override void ProcessRecord()
        {
            var domain = NormalizeDomainOrWriteError(Domain);
            if (domain is null) return;
            if (!DkimAnalyzer.IsValidSelector(Selector, out var selectorReason))
            {
                WriteMailAuthError("InvalidSelector", ErrorCategory.InvalidArgument, Selector, selectorReason ?? "Invalid selector.");
                return;
            }
            if (KeyType == DkimKeyType.Ed25519 && MyInvocation.BoundParameters.ContainsKey(nameof(KeySize)))
                WriteWarning("-KeySize applies to RSA keys only; an Ed25519 key is always 256 bits.");
            if (KeyType == DkimKeyType.Rsa && KeySize % 8 != 0)
            {
                WriteMailAuthError("InvalidKeySize", ErrorCategory.InvalidArgument, KeySize, $"-KeySize {KeySize} is not a multiple of 8.");
                return;
            }

            var path = SessionState.Path.GetUnresolvedProviderPathFromPSPath(PrivateKeyPath);
            if (File.Exists(path) && !Force)
            {
                WriteMailAuthError("PrivateKeyFileExists", ErrorCategory.ResourceExists, path,
                    $"'{path}' already exists; use -Force to replace it (the old key is then lost).");
                return;
            }
            if (Directory.Exists(path))
            {
                WriteMailAuthError("PrivateKeyPathIsFolder", ErrorCategory.InvalidArgument, path, $"'{path}' is a folder; give a file name for the private key.");
                return;
            }
            var what = KeyType == DkimKeyType.Ed25519 ? "Ed25519" : $"{KeySize}-bit RSA";
            if (!ShouldProcess(path, $"Write the private {what} DKIM key for {Selector}._domainkey.{domain}")) return;

            var pair = DkimKeyGenerator.Generate(KeyType, KeySize);
            bool ownerOnly;
            try
            {
                ownerOnly = PrivateKeyFile.Write(path, pair.ExportPrivateKeyPem(), Force);
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
            {
                WriteMailAuthError("PrivateKeyWriteFailed", ErrorCategory.WriteError, path, $"Could not write the private key to '{path}': {ex.Message}", ex);
                return;
            }
            if (!ownerOnly)
                WriteWarning($"'{path}' has the permissions it inherits from its folder; restrict it to the account that signs mail.");
            WriteObject(DkimKeyInfo.Create(domain, Selector, pair, TimeToLive, path, ownerOnly));
        }
    }
}
