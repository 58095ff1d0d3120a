using System.Runtime.CompilerServices;
using IntegrationHub.Functions.Ops;

namespace IntegrationHub.Integration.Tests.Ops;

/// <summary>
/// Newest-first pages over a store that lists in its own order (by id, as the Durable Azure Storage backend does) and
/// filters only by creation time: instances minutes to years old, some created at the same moment.
/// </summary>
public sealed class NewestFirstPagingTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 7, 3, 47, 20, TimeSpan.Zero);

    // Created at these ages; "b" and "c" at the same moment. Ids sort the other way round from age for most of them.
    private static readonly (string Id, TimeSpan Age)[] Ages =
    [
        ("a", TimeSpan.FromSeconds(5)), ("b", TimeSpan.FromMinutes(8)), ("c", TimeSpan.FromMinutes(8)), ("d", TimeSpan.FromHours(3)),
        ("e", TimeSpan.FromDays(2)), ("f", TimeSpan.FromDays(40)), ("g", TimeSpan.FromDays(400)), ("h", TimeSpan.FromDays(2000)),
        ("i", TimeSpan.FromMinutes(1)), ("j", TimeSpan.FromDays(-1)),
    ];

    private static readonly IReadOnlyList<InstanceView> Store =
        [.. Ages.Select(a =>
            new InstanceView(a.Id, "PullFeed", "Completed", Now - a.Age, Now - a.Age, null, null, null)).OrderBy(v =>
            v.InstanceId, StringComparer.Ordinal)];

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(100)]
    public async Task PageAsync_WalkedWithTokens_EveryInstanceOnceNewestFirst(int pageSize)
    {
        // By hand: j (a day in the future), a (5 s), i (1 min), b and c (8 min, by id), d, e, f, g, h.
        Assert.Equal(["j", "a", "i", "b", "c", "d", "e", "f", "g", "h"], await WalkAsync(null, null, pageSize));
    }

    [Fact]
    public async Task PageAsync_BetweenFromAndTo_OnlyThoseNewestFirst()
    {
        // From 50 days ago to 1 hour ago: d (3 h), e (2 days), f (40 days).
        Assert.Equal(["d", "e", "f"], await WalkAsync(Now - TimeSpan.FromDays(50), Now - TimeSpan.FromHours(1), 2));
    }

    [Fact]
    public void Cursor_RoundTripsAndRefusesOtherText()
    {
        var cursor = new InstanceCursor(Now, "feed:transport:2025-03:51c602f4b961f2f5");
        Assert.True(InstanceCursor.TryParse(cursor.ToToken(), out var parsed));
        Assert.Equal(cursor, parsed);
        foreach (var text in new[] { "", "c1.", "c1.!!!", "x1.MTIzfGE", "c1.YWJj" })
        {
            Assert.False(InstanceCursor.TryParse(text, out _), text);
        }
    }

    private static async Task<List<string>> WalkAsync(DateTimeOffset? from, DateTimeOffset? to, int pageSize)
    {
        var clock = new FixedClock(Now);
        var ids = new List<string>();
        InstanceCursor? after = null;
        for (var pages = 0; pages < 50; pages++)
        {
            var page = await NewestFirstPaging.PageAsync((f, t) => ReadAsync(f, t), from, to, after, pageSize, clock, CancellationToken.None);
            Assert.True(page.Instances.Count <= pageSize);
            ids.AddRange(page.Instances.Select(i => i.InstanceId));
            if (page.ContinuationToken is null)
            {
                return ids;
            }

            Assert.True(InstanceCursor.TryParse(page.ContinuationToken, out after));
        }

        throw new InvalidOperationException("The tokens should come to an end.");
    }

    // The store: by id, filtered by creation time only (bounds inclusive).
    private static async IAsyncEnumerable<InstanceView> ReadAsync(DateTimeOffset? from, DateTimeOffset? to,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        foreach (var view in Store.Where(v => (from is null || v.CreatedAt >= from) && (to is null || v.CreatedAt <= to)))
        {
            await Task.Yield();
            yield return view;
        }
    }

    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
