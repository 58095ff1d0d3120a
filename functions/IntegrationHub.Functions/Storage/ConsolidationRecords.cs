using System.Globalization;
using System.Text.Json.Serialization;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using IntegrationHub.Core;

namespace IntegrationHub.Functions.Storage;

/// <summary>
/// A period's consolidation hand-over: <see cref="Requests"/> counts every request ever made (feeds recorded, ops
/// actions); <see cref="Running"/> says a consolidation owns the period and will look at the count before it ends.
/// </summary>
public sealed record ConsolidationDemand(
    [property: JsonPropertyName("period")] string Period,
    [property: JsonPropertyName("requests")] long Requests,
    [property: JsonPropertyName("running")] bool Running);

/// <summary>
/// What one consolidation run took in: the ledger entries after <see cref="Before"/> up to <see cref="After"/> (per
/// calendar year), now part of <see cref="Version"/> (a new version, or the current one when they changed nothing).
/// </summary>
public sealed record Inclusion(string Period, int Version, IReadOnlyDictionary<string, long> Before, IReadOnlyDictionary<string, long> After)
{
    public bool Covers(int year, long generation)
    {
        var key = year.ToString(CultureInfo.InvariantCulture);
        return Before.GetValueOrDefault(key) < generation && After.GetValueOrDefault(key) >= generation;
    }
}

/// <summary>
/// The consolidation's own records in the ledger container: <c>demand/{period}.json</c>, changed only with an ETag
/// condition (feeds and the running consolidation race on it), and <c>inclusions/{period}/…</c>, one write-once blob
/// per run whose metadata says what it took in (a feed's status is read from them with one listing).
/// </summary>
public sealed class ConsolidationRecords(BlobServiceClient blobs)
{
    private const string VersionKey = "version";
    private const string BeforePrefix = "before";
    private const string AfterPrefix = "after";

    private BlobContainerClient Container => blobs.GetBlobContainerClient(HubContainers.Ledger);

    /// <returns>The demand and its ETag; a period nobody asked for yet has none (null ETag).</returns>
    public async Task<(ConsolidationDemand Demand, ETag? ETag)> ReadDemandAsync(string period, CancellationToken cancellationToken)
    {
        var (demand, etag) = await ConditionalJsonBlob.ReadAsync<ConsolidationDemand>(Demand(period), cancellationToken).ConfigureAwait(false);
        return (demand ?? new ConsolidationDemand(period, 0, false), etag);
    }

    /// <returns>False when someone else changed the demand since <paramref name="expected"/> was read.</returns>
    public Task<bool> TryWriteDemandAsync(ConsolidationDemand next, ETag? expected, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(next);
        return ConditionalJsonBlob.TryWriteAsync(Demand(next.Period), next, expected, cancellationToken);
    }

    /// <summary>Records what a run took in; a retried step finds its record there and leaves it.</summary>
    public async Task RecordInclusionAsync(Inclusion inclusion, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(inclusion);
        var metadata = new Dictionary<string, string> { [VersionKey] = inclusion.Version.ToString(CultureInfo.InvariantCulture) };
        foreach (var (year, generation) in inclusion.Before)
        {
            metadata[BeforePrefix + year] = generation.ToString(CultureInfo.InvariantCulture);
        }

        foreach (var (year, generation) in inclusion.After)
        {
            metadata[AfterPrefix + year] = generation.ToString(CultureInfo.InvariantCulture);
        }

        try
        {
            await Container.GetBlobClient(InclusionName(inclusion)).UploadAsync(BinaryData.Empty, new BlobUploadOptions
            {
                Conditions = new BlobRequestConditions { IfNoneMatch = ETag.All },
                Metadata = metadata,
            }, cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException ex) when (ex.Status is 409 or 412)
        {
            // Recorded by an earlier attempt of the same step.
        }
    }

    /// <summary>Every run's record for the period, oldest generations first.</summary>
    public async Task<IReadOnlyList<Inclusion>> ListInclusionsAsync(string period, CancellationToken cancellationToken)
    {
        var found = new List<Inclusion>();
        try
        {
            await foreach (var item in Container.GetBlobsAsync(new GetBlobsOptions { Traits = BlobTraits.Metadata, Prefix = $"inclusions/{period}/" },
                cancellationToken)
                .ConfigureAwait(false))
            {
                if (!item.Metadata.TryGetValue(VersionKey, out var version))
                {
                    continue;
                }

                found.Add(new Inclusion(period, int.Parse(version, CultureInfo.InvariantCulture),
                    Generations(item.Metadata, BeforePrefix), Generations(item.Metadata, AfterPrefix)));
            }
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            // No container yet: nothing consolidated yet.
        }

        return found;
    }

    private static Dictionary<string, long> Generations(IDictionary<string, string> metadata, string prefix) =>
        metadata.Where(m => m.Key.StartsWith(prefix, StringComparison.Ordinal) && m.Key.Length == prefix.Length + 4)
            .ToDictionary(m => m.Key[prefix.Length..], m => long.Parse(m.Value, CultureInfo.InvariantCulture), StringComparer.Ordinal);

    private BlobClient Demand(string period) => Container.GetBlobClient($"demand/{period}.json");

    // Named by the generations the run reached: the same run retried writes the same name.
    private static string InclusionName(Inclusion inclusion) =>
        $"inclusions/{inclusion.Period}/"
        + string.Join('.', inclusion.After.OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => FormattableString.Invariant($"{g.Key}-{g.Value:D9}")));
}
