using System;

namespace MailAuth.Spf
{
    /// <summary>
    /// Settings for <see cref="SpfEvaluator"/> (RFC 7208 §4.6.4 processing limits, §7.3 macro inputs).
    /// An instance is frozen when an evaluator takes it: later changes throw <see cref="InvalidOperationException"/>.
    /// </summary>
    public sealed class SpfEvaluationOptions
    {
        private int _maxDnsLookups = 10;
        private int _maxVoidLookups = 2;
        private int _maxMxNames = 10;
        private int _maxPtrNames = 10;
        private string? _receiverName;
        private Func<DateTimeOffset>? _clock;

        /// <summary>True once frozen; setters then throw.</summary>
        public bool IsFrozen { get; private set; }

        /// <summary>Limit on terms causing DNS lookups (include, a, mx, ptr, exists, redirect, %{p}) per check (RFC 7208 §4.6.4: 10).</summary>
        public int MaxDnsLookups { get => _maxDnsLookups; set => Set(ref _maxDnsLookups, RequireNonNegative(value)); }

        /// <summary>Limit on lookups answering NXDOMAIN or no data (RFC 7208 §4.6.4: 2). Exceeding it is a permerror.</summary>
        public int MaxVoidLookups { get => _maxVoidLookups; set => Set(ref _maxVoidLookups, RequireNonNegative(value)); }

        /// <summary>Most MX names an mx mechanism may look up; more is a permerror (RFC 7208 §4.6.4: 10).</summary>
        public int MaxMxNames { get => _maxMxNames; set => Set(ref _maxMxNames, RequireNonNegative(value)); }

        /// <summary>Most PTR names checked by ptr and %{p}; the rest are ignored (RFC 7208 §4.6.4: 10).</summary>
        public int MaxPtrNames { get => _maxPtrNames; set => Set(ref _maxPtrNames, RequireNonNegative(value)); }

        /// <summary>The receiving host's name for the %{r} macro; null expands to "unknown" (RFC 7208 §7.3).</summary>
        public string? ReceiverName { get => _receiverName; set => Set(ref _receiverName, value); }

        /// <summary>Clock for the %{t} macro; null means the system clock (UTC).</summary>
        public Func<DateTimeOffset>? Clock { get => _clock; set => Set(ref _clock, value); }

        /// <summary>Freezes this instance and returns it.</summary>
        public SpfEvaluationOptions Freeze()
        {
            IsFrozen = true;
            return this;
        }

        /// <summary>An unfrozen copy.</summary>
        public SpfEvaluationOptions Clone() => new SpfEvaluationOptions
        {
            _maxDnsLookups = _maxDnsLookups,
            _maxVoidLookups = _maxVoidLookups,
            _maxMxNames = _maxMxNames,
            _maxPtrNames = _maxPtrNames,
            _receiverName = _receiverName,
            _clock = _clock,
        };

        internal DateTimeOffset Now() => _clock?.Invoke() ?? DateTimeOffset.UtcNow;

        private void Set<T>(ref T field, T value)
        {
            if (IsFrozen) throw new InvalidOperationException("These SPF evaluation options are frozen: an evaluator uses them. Clone() them to change settings.");
            field = value;
        }

        private static int RequireNonNegative(int value) =>
            value >= 0 ? value : throw new ArgumentOutOfRangeException(nameof(value), "The limit must not be negative.");
    }
}
