using System;
using System.IO;

namespace MailAuth.Reports
{
    /// <summary>Thrown inside the reader when a size or count cap is reached; turned into a problem, never escapes.</summary>
    internal sealed class DmarcReportLimitException : Exception
    {
        public DmarcReportLimitException(DmarcReportProblemReason reason, string message) : base(message) { Reason = reason; }
        public DmarcReportProblemReason Reason { get; }
    }

    /// <summary>The decompressed-byte budget of one input file, shared by every archive layer and entry inside it.</summary>
    internal sealed class ByteBudget
    {
        public ByteBudget(long limit) { Limit = limit; }
        public long Limit { get; }
        public long Used { get; private set; }

        public void Take(long bytes)
        {
            Used += bytes;
            if (Used > Limit)
                throw new DmarcReportLimitException(DmarcReportProblemReason.TooLarge,
                    FormattableString.Invariant($"the decompressed content exceeds the cap of {Limit:N0} bytes (a compression bomb, or raise -MaxDecompressedBytes)"));
        }
    }

    /// <summary>A read-only stream over decompressed data that charges every byte read to a <see cref="ByteBudget"/>.</summary>
    internal sealed class BudgetedStream : Stream
    {
        private readonly Stream _inner;
        private readonly ByteBudget _budget;

        public BudgetedStream(Stream inner, ByteBudget budget) { _inner = inner; _budget = budget; }

        public override int Read(byte[] buffer, int offset, int count)
        {
            int n = _inner.Read(buffer, offset, count);
            if (n > 0) _budget.Take(n);
            return n;
        }

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        protected override void Dispose(bool disposing) { if (disposing) _inner.Dispose(); base.Dispose(disposing); }
    }

    /// <summary>A read-only stream that first returns bytes already read (for content sniffing), then the rest of the inner stream.</summary>
    internal sealed class PrefixedStream : Stream
    {
        private readonly byte[] _prefix;
        private readonly int _prefixLength;
        private int _prefixPos;
        private readonly Stream _inner;

        public PrefixedStream(byte[] prefix, int prefixLength, Stream inner) { _prefix = prefix; _prefixLength = prefixLength; _inner = inner; }

        public override int Read(byte[] buffer, int offset, int count)
        {
            if (_prefixPos < _prefixLength)
            {
                int n = Math.Min(count, _prefixLength - _prefixPos);
                Buffer.BlockCopy(_prefix, _prefixPos, buffer, offset, n);
                _prefixPos += n;
                return n;
            }
            return _inner.Read(buffer, offset, count);
        }

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        protected override void Dispose(bool disposing) { if (disposing) _inner.Dispose(); base.Dispose(disposing); }
    }

    /// <summary>A write-only memory sink that charges every byte to a budget (used to decode e-mail attachments).</summary>
    internal sealed class BudgetedMemoryStream : MemoryStream
    {
        private readonly ByteBudget _budget;
        public BudgetedMemoryStream(ByteBudget budget) { _budget = budget; }

        public override void Write(byte[] buffer, int offset, int count)
        {
            _budget.Take(count);
            base.Write(buffer, offset, count);
        }

        public override void WriteByte(byte value)
        {
            _budget.Take(1);
            base.WriteByte(value);
        }
    }

    /// <summary>Stream helpers.</summary>
    internal static class StreamUtil
    {
        /// <summary>Reads up to <paramref name="count"/> bytes, fewer only at the end of the stream.</summary>
        public static int ReadFully(Stream stream, byte[] buffer, int count)
        {
            int total = 0;
            while (total < count)
            {
                int n = stream.Read(buffer, total, count - total);
                if (n <= 0) break;
                total += n;
            }
            return total;
        }
    }
}
