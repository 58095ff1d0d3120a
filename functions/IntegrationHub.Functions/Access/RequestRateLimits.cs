using System.Threading.RateLimiting;
using IntegrationHub.Functions.Intake;
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
/// Per-principal request budgets: a token bucket per department for pushes and one for the ops key, holding a
/// minute's worth of permits and refilled as the minute passes, so a client that keeps to its rate is never refused
/// and one that bursts is told when to come back. Budgets live in this process: with several instances of the app,
/// each instance grants the full rate.
/// </summary>
public sealed class RequestRateLimits : IDisposable
{
    private readonly IDisposable? subscription;
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

    public void Dispose()
    {
        subscription?.Dispose();
        budgets.Dispose();
    }

    private void Apply(AccessRateLimitOptions limits)
    {
        var current = Volatile.Read(ref budgets);
        if (current.Push == limits.PushPermitsPerMinute && current.Ops == limits.OpsPermitsPerMinute)
        {
            return;
        }

        var replaced = Interlocked.Exchange(ref budgets, new Budgets(limits));
        replaced.Dispose();
    }

    private sealed class Budgets(AccessRateLimitOptions limits) : IDisposable
    {
        private readonly PartitionedRateLimiter<string> push = PerPrincipal(limits.PushPermitsPerMinute);
        private readonly PartitionedRateLimiter<string> ops = PerPrincipal(limits.OpsPermitsPerMinute);

        public int Push { get; } = limits.PushPermitsPerMinute;

        public int Ops { get; } = limits.OpsPermitsPerMinute;

        public PartitionedRateLimiter<string> For(RateLimitedRoute route) => route == RateLimitedRoute.Push ? push : ops;

        public TimeSpan OnePermit(RateLimitedRoute route) => TimeSpan.FromMinutes(1) / (route == RateLimitedRoute.Push ? Push : Ops);

        public void Dispose()
        {
            push.Dispose();
            ops.Dispose();
        }

        private static PartitionedRateLimiter<string> PerPrincipal(int permitsPerMinute) =>
            PartitionedRateLimiter.Create<string, string>(principal => RateLimitPartition.GetTokenBucketLimiter(principal, _ => new TokenBucketRateLimiterOptions
            {
                TokenLimit = permitsPerMinute,

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
