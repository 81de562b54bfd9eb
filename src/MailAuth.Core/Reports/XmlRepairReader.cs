using System;
using System.IO;
using System.Text;

namespace MailAuth.Reports
{
    /// <summary>
    /// A text filter in front of the XML reader that repairs what real reporters get wrong and can be repaired safely:
    /// a bare <c>&amp;</c> that starts no predefined or numeric reference becomes <c>&amp;amp;</c>, and characters XML 1.0
    /// forbids (control characters, lone surrogates, U+FFFE/U+FFFF) are dropped. Comments and CDATA sections are passed
    /// through untouched. It counts what it changed so the importer can say so.
    /// </summary>
    internal sealed class XmlRepairReader : TextReader
    {
        private const int Lookahead = 12;
        private readonly TextReader _inner;
        private readonly char[] _buf = new char[8192];
        private int _pos, _len;
        private bool _eof;
        private string? _pending;
        private int _pendingPos;
        private bool _afterHighSurrogate;
        private string? _rawUntil; // inside <!-- ... --> or <![CDATA[ ... ]]>: the terminator

        /// <summary>The longest run of characters between two markup characters (a text value, a tag or a comment) accepted:
        /// the XML reader holds such a run in memory whole.</summary>
        public const int MaxRun = 1 << 20;
        private int _run;

        public XmlRepairReader(TextReader inner) { _inner = inner; }

        public int AmpersandsEscaped { get; private set; }
        public int InvalidCharactersRemoved { get; private set; }

        public override int Read()
        {
            var one = new char[1];
            return Read(one, 0, 1) == 0 ? -1 : one[0];
        }

        public override int Peek() => -1;

        public override int Read(char[] buffer, int index, int count)
        {
            int written = 0;
            while (written < count)
            {
                if (_pending != null)
                {
                    CountRun(_pending[_pendingPos]);
                    buffer[index + written++] = _pending[_pendingPos++];
                    if (_pendingPos == _pending.Length) _pending = null;
                    continue;
                }
                if (!Ensure(1)) break;

                // Fast path: a run of characters that need no attention is copied as a block.
                int start = _pos, limit = Math.Min(_len, _pos + (count - written)), k = _pos;
                char stop = _rawUntil is null ? '<' : _rawUntil[0];
                while (k < limit)
                {
                    char ch = _buf[k];
                    if (ch < 0x20 || ch == '&' || ch == '<' || ch == '>' || ch == stop || ch >= 0xD800) break;
                    k++;
                }
                if (k > start)
                {
                    int n = k - start;
                    _run += n;
                    if (_run > MaxRun) CountRun('x');
                    Array.Copy(_buf, start, buffer, index + written, n);
                    written += n;
                    _pos = k;
                    _afterHighSurrogate = false;
                    continue;
                }

                char c = _buf[_pos];

                if (_rawUntil != null)
                {
                    if (c == _rawUntil[0] && Ensure(_rawUntil.Length) && Matches(_rawUntil))
                    {
                        _pending = _rawUntil;
                        _pendingPos = 0;
                        _pos += _rawUntil.Length;
                        _rawUntil = null;
                        continue;
                    }
                }
                else if (c == '<' && Ensure(9))
                {
                    if (Matches("<!--")) { Emit("<!--", "-->"); continue; }
                    if (Matches("<![CDATA[")) { Emit("<![CDATA[", "]]>"); continue; }
                }
                else if (c == '&')
                {
                    Ensure(Lookahead);
                    if (!IsReference())
                    {
                        _pos++;
                        _pending = "&amp;";
                        _pendingPos = 0;
                        AmpersandsEscaped++;
                        continue;
                    }
                }

                if (!IsAllowed(c))
                {
                    _pos++;
                    InvalidCharactersRemoved++;
                    continue;
                }
                CountRun(c);
                buffer[index + written++] = c;
                _pos++;
            }
            return written;
        }

        private void CountRun(char c)
        {
            if (_rawUntil is null && (c == '<' || c == '>')) { _run = 0; return; }
            if (++_run > MaxRun)
                throw new DmarcReportLimitException(DmarcReportProblemReason.TooLarge,
                    FormattableString.Invariant($"a single XML value, tag or comment is longer than {MaxRun:N0} characters"));
        }

        private void Emit(string opener, string terminator)
        {
            _pending = opener;
            _pendingPos = 0;
            _pos += opener.Length;
            _rawUntil = terminator;
        }

        private bool IsAllowed(char c)
        {
            if (char.IsHighSurrogate(c))
            {
                if (Ensure(2) && char.IsLowSurrogate(_buf[_pos + 1])) { _afterHighSurrogate = true; return true; }
                return false;
            }
            if (char.IsLowSurrogate(c))
            {
                bool ok = _afterHighSurrogate;
                _afterHighSurrogate = false;
                return ok;
            }
            _afterHighSurrogate = false;
            if (c < 0x20) return c == '\t' || c == '\n' || c == '\r';
            return c != '\uFFFE' && c != '\uFFFF';
        }

        private bool Matches(string s)
        {
            if (_len - _pos < s.Length) return false;
            for (int i = 0; i < s.Length; i++) if (_buf[_pos + i] != s[i]) return false;
            return true;
        }

        /// <summary>Whether the '&amp;' at the cursor starts &amp;amp; &amp;lt; &amp;gt; &amp;quot; &amp;apos; or a numeric reference.</summary>
        private bool IsReference()
        {
            int avail = Math.Min(_len - _pos, Lookahead);
            var s = new string(_buf, _pos, avail);
            if (s.StartsWith("&amp;", StringComparison.Ordinal) || s.StartsWith("&lt;", StringComparison.Ordinal) ||
                s.StartsWith("&gt;", StringComparison.Ordinal) || s.StartsWith("&quot;", StringComparison.Ordinal) ||
                s.StartsWith("&apos;", StringComparison.Ordinal)) return true;
            if (s.Length < 4 || s[1] != '#') return false;
            int i = 2;
            bool hex = s[2] == 'x';
            if (hex) i++;
            int digits = 0;
            while (i < s.Length && (hex ? Uri.IsHexDigit(s[i]) : s[i] >= '0' && s[i] <= '9')) { i++; digits++; }
            return digits > 0 && digits <= (hex ? 6 : 7) && i < s.Length && s[i] == ';';
        }

        /// <summary>Makes at least <paramref name="n"/> characters available from the cursor, unless the input ends first.</summary>
        private bool Ensure(int n)
        {
            if (_len - _pos >= n) return true;
            if (_pos > 0)
            {
                Array.Copy(_buf, _pos, _buf, 0, _len - _pos);
                _len -= _pos;
                _pos = 0;
            }
            while (!_eof && _len < n)
            {
                int r = _inner.Read(_buf, _len, _buf.Length - _len);
                if (r <= 0) _eof = true;
                else _len += r;
            }
            return _len - _pos >= n;
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing) _inner.Dispose();
            base.Dispose(disposing);
        }
    }

    /// <summary>A decoder fallback that replaces undecodable bytes with U+FFFD and counts them.</summary>
    internal sealed class CountingDecoderFallback : DecoderFallback
    {
        public int Count { get; private set; }
        public override int MaxCharCount => 1;
        public override DecoderFallbackBuffer CreateFallbackBuffer() => new Buffer(this);

        private sealed class Buffer : DecoderFallbackBuffer
        {
            private readonly CountingDecoderFallback _owner;
            private int _remaining;
            public Buffer(CountingDecoderFallback owner) { _owner = owner; }

            public override bool Fallback(byte[] bytesUnknown, int index)
            {
                _owner.Count++;
                _remaining = 1;
                return true;
            }

            public override char GetNextChar()
            {
                if (_remaining <= 0) return '\0';
                _remaining--;
                return '\uFFFD';
            }

            public override bool MovePrevious()
            {
                if (_remaining >= 1) return false;
                _remaining++;
                return true;
            }

            public override int Remaining => _remaining;

            public override void Reset() => _remaining = 0;
        }
    }
}
