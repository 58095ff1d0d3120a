using IntegrationHub.Functions.Storage;

namespace IntegrationHub.Functions.Consolidation;

/// <summary>
/// Which data-set versions took a recorded feed in, read from the consolidations' inclusion records (one listing per
/// period, kept for the life of this object: one per request, or one per reconciliation run).
/// </summary>
public sealed class FeedInclusions(ConsolidationRecords records, DatasetStore datasets)
{
    private readonly Dictionary<string, IReadOnlyList<Inclusion>> inclusions = new(StringComparer.Ordinal);
    private readonly Dictionary<string, DatasetPointer?> pointers = new(StringComparer.Ordinal);

    /// <returns>
    /// <c>{period}/v{n}</c> for each data set the feed feeds, the first version that took it in; null while any of
    /// them has not taken it in yet.
    /// </returns>
    public async Task<IReadOnlyList<string>?> VersionsAsync(LedgerPosition position, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(position);
        var versions = new List<string>(position.Periods.Count);
        foreach (var period in position.Periods)
        {
            var taken = (await InclusionsAsync(period, cancellationToken).ConfigureAwait(false))
                .Where(i => i.Covers(position.Year, position.Generation)).OrderBy(i => i.Version).FirstOrDefault();
            if (taken is not null)
            {
                versions.Add(FormattableString.Invariant($"{period}/v{taken.Version}"));
                continue;
            }

            // A run of an older build kept no inclusion record; its pointer still says what it consolidated.
            var pointer = await PointerAsync(period, cancellationToken).ConfigureAwait(false);
            if (pointer is null || pointer.GenerationOf(position.Year) < position.Generation)
            {
                return null;
            }

            versions.Add(FormattableString.Invariant($"{period}/v{pointer.Version}"));
        }

        return versions;
    }

    private async Task<IReadOnlyList<Inclusion>> InclusionsAsync(string period, CancellationToken cancellationToken)
    {
        if (!inclusions.TryGetValue(period, out var found))
        {
            inclusions[period] = found = await records.ListInclusionsAsync(period, cancellationToken).ConfigureAwait(false);
        }

        return found;
    }

    private async Task<DatasetPointer?> PointerAsync(string period, CancellationToken cancellationToken)
    {
        if (!pointers.TryGetValue(period, out var pointer))
        {
            pointers[period] = pointer = (await datasets.GetPointerAsync(period, cancellationToken).ConfigureAwait(false))?.Pointer;
        }

        return pointer;
    }
}
