using System.Globalization;
using IntegrationHub.Functions.Storage;

namespace IntegrationHub.Functions.Ops;

/// <summary>Where a newest-first listing stopped: the last instance shown (its creation time and id).</summary>
public sealed record InstanceCursor(DateTimeOffset CreatedAt, string InstanceId)
{
    public string ToToken() => PageToken.Encode("c1", CreatedAt.UtcTicks.ToString(CultureInfo.InvariantCulture), InstanceId);

    public static bool TryParse(string token, out InstanceCursor? cursor)
    {
        cursor = PageToken.Decode(token, "c1") is (var ticks, var id)
            && long.TryParse(ticks, NumberStyles.None, CultureInfo.InvariantCulture, out var at) && at <= DateTimeOffset.MaxValue.UtcTicks
            ? new InstanceCursor(new DateTimeOffset(at, TimeSpan.Zero), id)
            : null;
        return cursor is not null;
    }
}

/// <summary>
/// Newest-first pages over a store that lists by creation-time range in an order of its own (Azure Storage: by id):
/// windows back from the cursor, each four times longer, until they hold more than a page. Memory holds one page.
/// </summary>
public static class NewestFirstPaging
{
    public static readonly TimeSpan FirstWindow = TimeSpan.FromHours(1);

    // Past windows this long the rest of the past is read at once.
    public static readonly TimeSpan LongestWindow = TimeSpan.FromDays(800);

    public static readonly IComparer<InstanceView> Order = Comparer<InstanceView>.Create((a, b) =>
    {
        var byTime = b.CreatedAt.UtcTicks.CompareTo(a.CreatedAt.UtcTicks);
        return byTime != 0 ? byTime : string.CompareOrdinal(a.InstanceId, b.InstanceId);
    });

    /// <summary>
    /// One page; <paramref name="read"/> lists matches created in [from, to] (null: open) in any order, roughly.
    /// </summary>
    public static async Task<InstancePage> PageAsync(
        Func<DateTimeOffset?, DateTimeOffset?, IAsyncEnumerable<InstanceView>> read, DateTimeOffset? from, DateTimeOffset? to, InstanceCursor? after,
            int pageSize,
        TimeProvider clock, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(read);
        ArgumentNullException.ThrowIfNull(clock);
        var upper = after?.CreatedAt ?? to;
        if (to is { } end && upper > end)
        {
            upper = end;
        }

        // One more than a page: when it is found, another page follows.
        var kept = new SortedSet<InstanceView>(Order);
        DateTimeOffset? windowEnd = upper; // inclusive; null: no upper bound
        var reference = upper ?? clock.GetUtcNow();
        var length = FirstWindow;
        while (true)
        {
            DateTimeOffset? windowStart = length > LongestWindow ? null : reference - length;
            var last = windowStart is null || (from is { } f && windowStart <= f);
            if (last)
            {
                windowStart = from;
            }

            // The store's time filter may round: exact bounds here; a window ends where the previous began.
            var previousStart = windowEnd;
            await foreach (var view in read(windowStart?.AddMilliseconds(-1),
                windowEnd?.AddMilliseconds(1)).WithCancellation(cancellationToken).ConfigureAwait(false))
            {
                if ((windowStart is { } s && view.CreatedAt < s)
                    || (previousStart is { } e && (view.CreatedAt > e || (view.CreatedAt == e && windowEnd != upper)))
                    || (to is { } t && view.CreatedAt > t)
                    || (after is not null && !IsAfter(view, after)))
                {
                    continue;
                }

                kept.Add(view);
                if (kept.Count > pageSize + 1)
                {
                    kept.Remove(kept.Max!);
                }
            }

            if (kept.Count > pageSize || last)
            {
                break;
            }

            windowEnd = windowStart;
            length *= 4;
        }

        var page = kept.Take(pageSize).ToList();
        var next = kept.Count > pageSize ? new InstanceCursor(page[^1].CreatedAt, page[^1].InstanceId).ToToken() : null;
        return new InstancePage(page, next);
    }

    private static bool IsAfter(InstanceView view, InstanceCursor cursor) =>
        view.CreatedAt.UtcTicks < cursor.CreatedAt.UtcTicks
        || (view.CreatedAt.UtcTicks == cursor.CreatedAt.UtcTicks && string.CompareOrdinal(view.InstanceId, cursor.InstanceId) > 0);
}
