using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Serialization;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using IntegrationHub.Core;
using IntegrationHub.Core.Datasets;

namespace IntegrationHub.Functions.Storage;

/// <summary>
/// Where a period's current data set is, and which ledger generations it has consolidated (calendar year to
/// generation), so a feed can tell whether it is in.
/// </summary>
public sealed record DatasetPointer(
    [property: JsonPropertyName("period")] string Period,
    [property: JsonPropertyName("version")] int Version,
    [property: JsonPropertyName("sha256")] string Sha256,
    [property: JsonPropertyName("ledgerGenerations")] IReadOnlyDictionary<string, long> LedgerGenerations)
{
    public long GenerationOf(int year) => LedgerGenerations.TryGetValue(year.ToString(System.Globalization.CultureInfo.InvariantCulture), out var g) ? g : 0;
}

/// <summary>One stored version, exactly as written; <see cref="Sha256"/> (hex) identifies the bytes.</summary>
public sealed record StoredDataset(string Period, int Version, BinaryData Content, string Sha256)
{
    public DatasetDocument ToDocument() => Content.ToObjectFromJson<DatasetDocument>(HubJson.Options)
        ?? throw new InvalidDataException($"Data set {Period} v{Version} is empty.");
}

/// <summary>That a data-set version's event was sent, and under which id.</summary>
public sealed record AnnouncementRecord(
    [property: System.Text.Json.Serialization.JsonPropertyName("period")] string Period,
    [property: System.Text.Json.Serialization.JsonPropertyName("version")] int Version,
    [property: System.Text.Json.Serialization.JsonPropertyName("eventId")] string EventId,
    [property: System.Text.Json.Serialization.JsonPropertyName("announcedAt")] DateTimeOffset AnnouncedAt);

public enum VersionWrite
{
    Written,

    /// <summary>The same bytes were there already (a retried activity); nothing changed.</summary>
    AlreadyThere,

    /// <summary>Different bytes hold that version number; versions are immutable, so the caller must take the next number.</summary>
    Taken,
}

/// <summary>
/// Data sets on Blob Storage: <c>datasets/{period}/v{n}.json</c> written once and never changed, and
/// <c>datasets/{period}/latest.json</c>, a pointer moved only with an ETag condition.
/// </summary>
public sealed class DatasetStore(BlobServiceClient blobs)
{
    private const string LatestName = "latest.json";
    private const string Sha256Key = "sha256";

    private BlobContainerClient Container => blobs.GetBlobContainerClient(HubContainers.Datasets);

    public static string VersionPath(string period, int version) => $"{period}/v{version}.json";

    public static byte[] Serialise(DatasetDocument document) => JsonSerializer.SerializeToUtf8Bytes(document, HubJson.Options);

    public async Task<(DatasetPointer Pointer, ETag ETag)?> GetPointerAsync(string period, CancellationToken cancellationToken) =>
        await ConditionalJsonBlob.ReadAsync<DatasetPointer>(Container.GetBlobClient($"{period}/{LatestName}"), cancellationToken).ConfigureAwait(false) is
            ({ } pointer, { } etag)
            ? (pointer, etag)
            : null;

    public async Task<StoredDataset?> GetVersionAsync(string period, int version, CancellationToken cancellationToken)
    {
        try
        {
            var content = await Container.GetBlobClient(VersionPath(period, version)).DownloadContentAsync(cancellationToken).ConfigureAwait(false);
            var sha = content.Value.Details.Metadata.TryGetValue(Sha256Key,
                out var stored) ? stored : Convert.ToHexStringLower(SHA256.HashData(content.Value.Content.ToMemory().Span));
            return new StoredDataset(period, version, content.Value.Content, sha);
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            return null;
        }
    }

    public async Task<StoredDataset?> GetLatestAsync(string period, CancellationToken cancellationToken) =>
        await GetPointerAsync(period, cancellationToken).ConfigureAwait(false) is { } pointer
            ? await GetVersionAsync(period, pointer.Pointer.Version, cancellationToken).ConfigureAwait(false)
            : null;

    /// <summary>Writes a version once; the version number is in the document.</summary>
    public async Task<(VersionWrite Outcome, string Sha256)> WriteVersionAsync(DatasetDocument document, CancellationToken cancellationToken)
    {
        var bytes = Serialise(document);
        var sha = Convert.ToHexStringLower(SHA256.HashData(bytes));
        var blob = Container.GetBlobClient(VersionPath(document.Period, document.Version));
        try
        {
            await blob.UploadAsync(BinaryData.FromBytes(bytes), new BlobUploadOptions
            {
                Conditions = new BlobRequestConditions { IfNoneMatch = ETag.All },
                HttpHeaders = new BlobHttpHeaders { ContentType = "application/json" },
                Metadata = new Dictionary<string, string> { [Sha256Key] = sha },
            }, cancellationToken).ConfigureAwait(false);
            return (VersionWrite.Written, sha);
        }
        catch (RequestFailedException ex) when (ex.Status is 409 or 412)
        {
            var existing = await GetVersionAsync(document.Period, document.Version, cancellationToken).ConfigureAwait(false);
            return (existing?.Sha256 == sha ? VersionWrite.AlreadyThere : VersionWrite.Taken, sha);
        }
    }

    /// <summary>Moves the pointer only if nobody moved it since it was read (<paramref name="expected"/> null: it must not exist yet).</summary>
    /// <returns>False when the condition failed.</returns>
    public Task<bool> MovePointerAsync(DatasetPointer next, ETag? expected, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(next);
        return ConditionalJsonBlob.TryWriteAsync(Container.GetBlobClient($"{next.Period}/{LatestName}"), next, expected, cancellationToken);
    }

    /// <summary>
    /// Records that a version's event went out (<c>{period}/announced/v{n}.json</c>, holding the event id), so that
    /// reconciliation can tell a stored data set from an announced one, and a replay need not announce twice.
    /// </summary>
    public async Task MarkAnnouncedAsync(string period, int version, string eventId, DateTimeOffset announcedAt, CancellationToken cancellationToken)
    {
        await Container.GetBlobClient(AnnouncedPath(period, version)).UploadAsync(
            BinaryData.FromObjectAsJson(new AnnouncementRecord(period, version, eventId, announcedAt), HubJson.Options),
            new BlobUploadOptions { HttpHeaders = new BlobHttpHeaders { ContentType = "application/json" } }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The versions of a period whose event went out, ascending.</summary>
    public async Task<IReadOnlyList<int>> ListAnnouncedAsync(string period, CancellationToken cancellationToken)
    {
        var prefix = $"{period}/announced/v";
        var versions = new List<int>();
        try
        {
            await foreach (var item in Container.GetBlobsAsync(new GetBlobsOptions { Prefix = prefix }, cancellationToken).ConfigureAwait(false))
            {
                var name = item.Name[prefix.Length..];
                if (name.EndsWith(".json", StringComparison.Ordinal) && int.TryParse(name[..^5], System.Globalization.CultureInfo.InvariantCulture, out var n))
                {
                    versions.Add(n);
                }
            }
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            // No container yet means nothing announced yet.
        }

        versions.Sort();
        return versions;
    }

    /// <summary>The record of a version's announcement, or null when it was not announced.</summary>
    public async Task<AnnouncementRecord?> GetAnnouncementAsync(string period, int version, CancellationToken cancellationToken)
    {
        try
        {
            var content = (await Container.GetBlobClient(AnnouncedPath(period,
                version)).DownloadContentAsync(cancellationToken).ConfigureAwait(false)).Value.Content;
            return content.ToObjectFromJson<AnnouncementRecord>(HubJson.Options);
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            return null;
        }
    }

    public async Task<bool> IsAnnouncedAsync(string period, int version, CancellationToken cancellationToken) =>
        (await Container.GetBlobClient(AnnouncedPath(period, version)).ExistsAsync(cancellationToken).ConfigureAwait(false)).Value;

    private static string AnnouncedPath(string period, int version) =>
        string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{period}/announced/v{version}.json");

    /// <summary>Periods that have at least one published version.</summary>
    public async Task<IReadOnlyList<string>> ListPeriodsAsync(CancellationToken cancellationToken)
    {
        var periods = new List<string>();
        try
        {
            await foreach (var item in Container.GetBlobsAsync(new GetBlobsOptions(), cancellationToken).ConfigureAwait(false))
            {
                if (item.Name.EndsWith("/" + LatestName, StringComparison.Ordinal))
                {
                    periods.Add(item.Name[..item.Name.IndexOf('/', StringComparison.Ordinal)]);
                }
            }
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            // No container yet means no data set yet.
        }

        return periods;
    }

    /// <summary>Every stored version number of a period, ascending (a version may exist that the pointer never reached).</summary>
    public async Task<IReadOnlyList<int>> ListVersionsAsync(string period, CancellationToken cancellationToken)
    {
        var versions = new List<int>();
        try
        {
            await foreach (var item in Container.GetBlobsAsync(new GetBlobsOptions { Prefix = period + "/v" }, cancellationToken).ConfigureAwait(false))
            {
                var name = item.Name[(period.Length + 2)..];
                if (name.EndsWith(".json", StringComparison.Ordinal) && int.TryParse(name[..^5], System.Globalization.CultureInfo.InvariantCulture, out var n))
                {
                    versions.Add(n);
                }
            }
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            // No container yet means no version yet.
        }

        versions.Sort();
        return versions;
    }
}
