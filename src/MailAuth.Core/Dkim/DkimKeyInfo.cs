using System;
using System.Collections.Generic;
using MailAuth.Publishing;

namespace MailAuth.Dkim
{
    /// <summary>
    /// What New-DkimKey returns: the facts of a new key, where its private half was written, and the TXT record to
    /// publish. <see cref="ZoneName"/>, <see cref="Name"/>, <see cref="DescriptiveText"/> and <see cref="TimeToLive"/>
    /// are the record's, so the object pipes straight into <c>Add-DnsServerResourceRecord -Txt</c>.
    /// It never carries the private key.
    /// </summary>
    public sealed class DkimKeyInfo
    {
        private DkimKeyInfo(string domain, string selector, DkimKeyPair pair, PublishableRecord record, string? privateKeyPath, bool ownerOnly)
        {
            Domain = domain;
            Selector = selector;
            KeyType = pair.KeyType;
            KeyBits = pair.KeyBits;
            PublicKey = pair.PublicKey;
            RecordValue = pair.RecordValue;
            Record = record;
            PrivateKeyPath = privateKeyPath;
            PrivateKeyOwnerOnly = ownerOnly;
        }

        /// <summary>Describes <paramref name="pair"/> and builds its record for &lt;selector&gt;._domainkey.&lt;domain&gt;.</summary>
        public static DkimKeyInfo Create(string domain, string selector, DkimKeyPair pair, TimeSpan timeToLive, string? privateKeyPath, bool privateKeyOwnerOnly)
        {
            if (pair is null) throw new ArgumentNullException(nameof(pair));
            var record = pair.CreateRecord(domain, selector, timeToLive);
            return new DkimKeyInfo(record.ZoneName, Dns.DnsName.Normalize(selector), pair, record, privateKeyPath, privateKeyOwnerOnly);
        }

        public string Domain { get; }
        public string Selector { get; }
        public DkimKeyType KeyType { get; }
        public int KeyBits { get; }
        /// <summary>The p= value.</summary>
        public string PublicKey { get; }
        /// <summary>The whole key record, "v=DKIM1; k=...; p=...".</summary>
        public string RecordValue { get; }
        /// <summary>Where the PKCS#8 PEM private key was written.</summary>
        public string? PrivateKeyPath { get; }
        /// <summary>True when the private key file was created readable by its owner only (Unix mode 0600).</summary>
        public bool PrivateKeyOwnerOnly { get; }
        /// <summary>The TXT record to publish, split into strings of at most 255 octets.</summary>
        public PublishableRecord Record { get; }
        /// <summary>The record's zone (the domain).</summary>
        public string ZoneName => Record.ZoneName;
        /// <summary>The record's owner relative to the zone: &lt;selector&gt;._domainkey.</summary>
        public string Name => Record.Name;
        /// <summary>The value for Add-DnsServerResourceRecord -DescriptiveText (strings joined with CR LF when the key needs several).</summary>
        public string? DescriptiveText => Record.DescriptiveText;
        public TimeSpan TimeToLive => Record.TimeToLive;
        /// <summary>The record's character-strings.</summary>
        public IReadOnlyList<string> Strings => Record.Strings;
        /// <summary>The record as a master-file line.</summary>
        public string ZoneFileLine => Record.ZoneFileLine;

        public override string ToString() => $"{Selector}._domainkey.{Domain}: {KeyType} {KeyBits}";
    }
}
