using System.Collections.Concurrent;
using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;

namespace IntegrationHub.Functions.Access;

/// <summary>Which budget a request draws on.</summary>
public enum RateLimitedRoute
{
    /// <summary><c>POST /api/feeds/{source}</c>, per department.</summary>
    Push,

    /// <summary>The ops routes and <c>POST /api/pulls</c>, for the ops key.</summary>
    Ops,
}

/// <summary>
/// Per-principal request budgets: a token bucket per department for pushes and one for the ops key, and a cap on each
/// department's pushes in progress so its large or hostile bodies hold few workers. Budgets are per process: each
/// instance grants the full rate (docs/reliability.md gives the whole-app figures).
/// </summary>
public sealed class RequestRateLimits : IDisposable
{
    /// <summary>What a push refused for too many in progress is told to wait: a typical validation takes well under it.</summary>
    public static readonly TimeSpan PushInProgressRetryAfter = TimeSpan.FromSeconds(2);

    private readonly IDisposable? subscription;

    // Pushes in progress per principal: plain counters, so a new limit applies at once and a place taken under the
    // old one is given back to the same count. Four departments: the map stays tiny.
    private readonly ConcurrentDictionary<string, InProgressCount> inProgress = new(StringComparer.Ordinal);
    private Budgets budgets;

    public RequestRateLimits(IOptionsMonitor<AccessOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        budgets = new Budgets(options.CurrentValue.RateLimit);

        // New limits apply without a restart; a change of keys alone leaves every budget as it was.
        subscription = options.OnChange(changed => Apply(changed.RateLimit));
    }

    /// <summary>Takes one permit from <paramref name="principal"/>'s budget: null when granted, else how long until one is free.</summary>
    public TimeSpan? TryAcquire(RateLimitedRoute route, string principal)
    {
        while (true)
        {
            var current = Volatile.Read(ref budgets);
            try
            {
                using var lease = current.For(route).AttemptAcquire(principal);
                if (lease.IsAcquired)
                {
                    return null;
                }

                return lease.TryGetMetadata(MetadataName.RetryAfter, out var after) && after > TimeSpan.Zero ? after : current.OnePermit(route);
            }
            catch (ObjectDisposedException) when (!ReferenceEquals(current, Volatile.Read(ref budgets)))
            {
                // The limits changed while this request was being counted: count it against the new budgets.
            }
        }
    }

    /// <summary>
    /// A place among <paramref name="principal"/>'s pushes in progress, to dispose when the push is answered; null when
    /// all are taken (the caller should retry in about <see cref="PushInProgressRetryAfter"/>).
    /// </summary>
    public IDisposable? TryEnterPush(string principal)
    {
        ArgumentNullException.ThrowIfNull(principal);
        var limit = Volatile.Read(ref budgets).Concurrent;
        var count = inProgress.GetOrAdd(principal, _ => new InProgressCount());
        if (Interlocked.Increment(ref count.Value) > limit)
        {
            Interlocked.Decrement(ref count.Value);
            return null;
        }

        return new InProgressPlace(count);
    }

    public void Dispose()
    {
        subscription?.Dispose();
        budgets.Dispose();
    }

    private void Apply(AccessRateLimitOptions limits)
    {
        var current = Volatile.Read(ref budgets);
        if (current.Push == limits.PushPermitsPerMinute && current.Ops == limits.OpsPermitsPerMinute
            && current.Burst == limits.PushBurst && current.Concurrent == limits.MaxConcurrentPushes)
        {
            return;
        }

        var replaced = Interlocked.Exchange(ref budgets, new Budgets(limits));
        replaced.Dispose();
    }

    private sealed class InProgressCount
    {
        public int Value;
    }

    private sealed class InProgressPlace(InProgressCount count) : IDisposable
    {
        private int released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref released, 1) == 0)
            {
                Interlocked.Decrement(ref count.Value);
            }
        }
    }

    private sealed class Budgets(AccessRateLimitOptions limits) : IDisposable
    {
        private readonly PartitionedRateLimiter<string> push = PerPrincipal(limits.PushPermitsPerMinute,
            Math.Min(limits.PushBurst, limits.PushPermitsPerMinute));
        private readonly PartitionedRateLimiter<string> ops = PerPrincipal(limits.OpsPermitsPerMinute, limits.OpsPermitsPerMinute);

        public int Push { get; } = limits.PushPermitsPerMinute;

        public int Burst { get; } = limits.PushBurst;

        public int Concurrent { get; } = limits.MaxConcurrentPushes;

        public int Ops { get; } = limits.OpsPermitsPerMinute;

        public PartitionedRateLimiter<string> For(RateLimitedRoute route) => route == RateLimitedRoute.Push ? push : ops;

        public TimeSpan OnePermit(RateLimitedRoute route) => TimeSpan.FromMinutes(1) / (route == RateLimitedRoute.Push ? Push : Ops);

        public void Dispose()
        {
            push.Dispose();
            ops.Dispose();
        }

        private static PartitionedRateLimiter<string> PerPrincipal(int permitsPerMinute, int burst) =>
            PartitionedRateLimiter.Create<string, string>(principal =>
                RateLimitPartition.GetTokenBucketLimiter(principal, _ => new TokenBucketRateLimiterOptions
            {
                TokenLimit = burst,

                // One permit per 1/N minute rather than N per minute: the bucket refills as time passes either way, but
                // the refusal's RetryAfter is one period, and this way that is when the next permit is free.
                TokensPerPeriod = 1,
                ReplenishmentPeriod = TimeSpan.FromMinutes(1) / permitsPerMinute,
                AutoReplenishment = true,

                // Refused at once rather than held: a held request would keep the caller's connection and a worker busy.
                QueueLimit = 0,
            }));
    }
}
