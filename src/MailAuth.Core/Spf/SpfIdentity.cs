using System;

namespace MailAuth.Spf
{
    /// <summary>
    /// The &lt;sender&gt; and &lt;domain&gt; arguments of check_host() derived from the SMTP identities (RFC 7208 §2.3, §2.4, §4.3).
    /// </summary>
    public sealed class SpfIdentity
    {
        private SpfIdentity(string sender, string localPart, string domain, bool isHelo)
        {
            Sender = sender;
            LocalPart = localPart;
            Domain = domain;
            IsHeloIdentity = isHelo;
        }

        /// <summary>The sender mailbox, "local@domain" (local part "postmaster" when none was given).</summary>
        public string Sender { get; }

        public string LocalPart { get; }

        /// <summary>The domain to check: the MAIL FROM domain, or the HELO domain for an empty MAIL FROM.</summary>
        public string Domain { get; }

        /// <summary>True when the HELO identity is checked (empty MAIL FROM, RFC 7208 §2.4).</summary>
        public bool IsHeloIdentity { get; }

        /// <summary>
        /// The identity for a MAIL FROM check: an empty or null reverse-path ("&lt;&gt;") checks "postmaster@&lt;helo&gt;";
        /// a sender without a local part ("@example.net" or "example.net") becomes "postmaster@example.net".
        /// Angle brackets around the path are removed.
        /// </summary>
        public static SpfIdentity FromMailFrom(string? mailFrom, string? heloDomain)
        {
            var path = (mailFrom ?? string.Empty).Trim();
            if (path.StartsWith("<", StringComparison.Ordinal) && path.EndsWith(">", StringComparison.Ordinal) && path.Length >= 2)
                path = path.Substring(1, path.Length - 2).Trim();
            if (path.Length == 0) return FromHelo(heloDomain);
            return FromSender(path, null);
        }

        /// <summary>The identity for a HELO check: "postmaster@&lt;helo&gt;" (RFC 7208 §2.3).</summary>
        public static SpfIdentity FromHelo(string? heloDomain)
        {
            var helo = (heloDomain ?? string.Empty).Trim();
            return new SpfIdentity("postmaster@" + helo, "postmaster", helo, true);
        }

        /// <summary>
        /// Normalises a check_host() &lt;sender&gt;: splits at the last '@'; a missing local part becomes "postmaster"
        /// (RFC 7208 §4.3). <paramref name="domain"/>, when given, is used where the sender has no domain.
        /// </summary>
        public static SpfIdentity FromSender(string sender, string? domain)
        {
            var s = (sender ?? string.Empty).Trim();
            int at = s.LastIndexOf('@');
            string local = at < 0 ? string.Empty : s.Substring(0, at);
            string dom = at < 0 ? s : s.Substring(at + 1);
            if (dom.Length == 0 && domain != null) dom = domain;
            if (local.Length == 0) local = "postmaster";
            return new SpfIdentity(local + "@" + dom, local, dom, false);
        }

        public override string ToString() => Sender;
    }
}
