using System.Buffers.Text;
using System.Globalization;
using System.Text;

namespace IntegrationHub.Functions.Ops;

/// <summary>Where a newest-first listing stopped: the last instance shown (its creation time and id).</summary>
public sealed record InstanceCursor(DateTimeOffset CreatedAt, string InstanceId)
{
    private const string Version = "c1";

    /// <summary>An opaque token: <c>c1.</c> and the cursor, base64url.</summary>
    public string ToToken() =>
        $"{Version}.{Base64Url.EncodeToString(Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{CreatedAt.UtcTicks}|{InstanceId}")))}";

    public static bool TryParse(string token, out InstanceCursor? cursor)
    {
        ArgumentNullException.ThrowIfNull(token);
        cursor = null;
        if (!token.StartsWith(Version + ".", StringComparison.Ordinal))
        {
            return false;
        }

        try
        {
            var text = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(token.AsSpan(Version.Length + 1)));
            var bar = text.IndexOf('|', StringComparison.Ordinal);
            if (bar <= 0 || !long.TryParse(text.AsSpan(0, bar), NumberStyles.None, CultureInfo.InvariantCulture, out var ticks)
                || ticks > DateTimeOffset.MaxValue.UtcTicks)
            {
                return false;
            }

            cursor = new InstanceCursor(new DateTimeOffset(ticks, TimeSpan.Zero), text[(bar + 1)..]);
            return true;
        }
        catch (FormatException)
        {
            return false;
        }
    }
}

/// <summary>
/// Newest-first pages over a store that can only list by creation-time range, in an order of its own (the Durable
/// Azure Storage backend lists by instance id). Each page reads creation-time windows backwards from the cursor, each
/// window four times longer than the one before, until the windows read hold more than a page: everything in them is
/// known, and everything outside is older, so their newest are the newest overall. Memory holds one page.
/// </summary>
public static class NewestFirstPaging
{
    /// <summary>The first window reaches this far back; the next ones four times further each.</summary>
    public static readonly TimeSpan FirstWindow = TimeSpan.FromHours(1);

    /// <summary>Past windows this long the rest of the past is read at once.</summary>
    public static readonly TimeSpan LongestWindow = TimeSpan.FromDays(800);

    /// <summary>Newest first; instances created at the same moment by id.</summary>
    public static readonly IComparer<InstanceView> Order = Comparer<InstanceView>.Create((a, b) =>
    {
        var byTime = b.CreatedAt.UtcTicks.CompareTo(a.CreatedAt.UtcTicks);
        return byTime != 0 ? byTime : string.CompareOrdinal(a.InstanceId, b.InstanceId);
    });

    /// <summary>
    /// One page. <paramref name="read"/> lists the matching instances created in [from, to] (either bound open when
    /// null), in any order; it may return a little outside the bounds, which are checked here again.
    /// </summary>
    /// <param name="from">The caller's earliest creation time, if any.</param>
    /// <param name="to">The caller's latest creation time, if any.</param>
    /// <param name="after">The last instance of the previous page.</param>
    public static async Task<InstancePage> PageAsync(
        Func<DateTimeOffset?, DateTimeOffset?, IAsyncEnumerable<InstanceView>> read, DateTimeOffset? from, DateTimeOffset? to, InstanceCursor? after, int pageSize,
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

            // The store's time filter may round; this checks the exact bounds, and the window ends where the previous began.
            var previousStart = windowEnd;
            await foreach (var view in read(windowStart?.AddMilliseconds(-1), windowEnd?.AddMilliseconds(1)).WithCancellation(cancellationToken).ConfigureAwait(false))
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

    /// <summary>Whether <paramref name="view"/> comes after the cursor in the newest-first order.</summary>
    private static bool IsAfter(InstanceView view, InstanceCursor cursor) =>
        view.CreatedAt.UtcTicks < cursor.CreatedAt.UtcTicks
        || (view.CreatedAt.UtcTicks == cursor.CreatedAt.UtcTicks && string.CompareOrdinal(view.InstanceId, cursor.InstanceId) > 0);
}
