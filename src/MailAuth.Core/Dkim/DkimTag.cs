namespace MailAuth.Dkim
{
    /// <summary>One tag=value pair of a DKIM tag list (RFC 6376 §3.2).</summary>
    public sealed class DkimTag
    {
        internal DkimTag(string name, string value, int position, int valuePosition)
        {
            Name = name;
            Value = value;
            Position = position;
            ValuePosition = valuePosition;
        }

        /// <summary>The tag name as written (tag names are case-sensitive, RFC 6376 §3.2).</summary>
        public string Name { get; }
        /// <summary>The value with the whitespace around it removed; whitespace inside it is kept.</summary>
        public string Value { get; }
        /// <summary>Character offset of the tag name in the text.</summary>
        public int Position { get; }
        /// <summary>Character offset of the first character of <see cref="Value"/> (or where it would start when empty).</summary>
        public int ValuePosition { get; }

        public override string ToString() => Name + "=" + Value;
    }
}
