using System.Security.Cryptography;
using System.Text.Json;
using IntegrationHub.Core;
using IntegrationHub.Core.Datasets;
using IntegrationHub.Functions.Datasets;
using IntegrationHub.Functions.Storage;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using static IntegrationHub.Integration.Tests.Datasets.HandDatasets;

namespace IntegrationHub.Integration.Tests.Datasets;

/// <summary>
/// The query API end to end on real Blob storage: hand-written versions stored with DatasetStore, the function
/// methods called with a request, and their results executed so the assertions see the bytes and headers a client gets.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class DatasetFunctionsTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private const string Immutable = "public, max-age=31536000, immutable";

    // The test runner builds regexes before test code runs; see the Core tests' TestCore for why this is opted out here.
    private static readonly HubCore Core = new(requireRegexTimeout: false);

    private readonly DatasetStore store = new(azurite.Blobs);
    private DatasetFunctions functions = null!;

    public async Task InitializeAsync()
    {
        // Other classes on this Azurite may empty the container between classes; writing is idempotent, so every
        // test publishes the same 2039 versions again (and never touches other periods).
        await azurite.Blobs.GetBlobContainerClient(HubContainers.Datasets).CreateIfNotExistsAsync();
        await Publish(QuarterV1, QuarterV2);
        await Write(QuarterV3);
        await Publish(EarlierQuarterV1);
        await Publish(YearV1);
        functions = new DatasetFunctions(new DatasetQueries(store, Core.Reference));
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task ListDatasets_PublishedPeriods_ListsEachWithItsLatestVersionInPeriodOrder()
    {
        var answer = await Send("/api/datasets", r => functions.ListDatasets(r, default));

        Assert.Equal(StatusCodes.Status200OK, answer.Status);
        Assert.Equal("no-cache", answer.CacheControl);
        var rows = answer.Json.EnumerateArray()
            .Where(r => r.GetProperty("period").GetString()!.StartsWith("2039", StringComparison.Ordinal))
            .Select(r =>
                (r.GetProperty("period").GetString(), r.GetProperty("kind").GetString(), r.GetProperty("latestVersion").GetInt32(),
                r.GetProperty("url").GetString()))
            .ToArray();
        Assert.Equal(
            [
                ("2039", "year", 1, "/api/datasets/2039/versions/1"),
                ("2039-Q3", "quarter", 1, "/api/datasets/2039-Q3/versions/1"),
                ("2039-Q4", "quarter", 2, "/api/datasets/2039-Q4/versions/2"),
            ],
            rows);
    }

    [Fact]
    public async Task GetLatestDataset_YearAndItsFourthQuarterEndTogether_ServesTheYear()
    {
        var answer = await Send("/api/datasets/latest", r => functions.GetLatestDataset(r, default));

        Assert.Equal(StatusCodes.Status200OK, answer.Status);
        Assert.Equal(DatasetStore.Serialise(YearV1), answer.Body);
        Assert.Equal("no-cache", answer.CacheControl);
    }

    [Theory]
    [InlineData("quarter", Quarter, 2)]
    [InlineData("year", Year, 1)]
    public async Task GetLatestDataset_KindGiven_ServesTheLatestPeriodOfThatKind(string kind, string period, int version)
    {
        var answer = await Send($"/api/datasets/latest?kind={kind}", r => functions.GetLatestDataset(r, default));

        Assert.Equal(StatusCodes.Status200OK, answer.Status);
        Assert.Equal(period, answer.Json.GetProperty("period").GetString());
        Assert.Equal(version, answer.Json.GetProperty("version").GetInt32());
    }

    [Fact]
    public async Task GetLatestDataset_UnknownKind_Is400NamingKind()
    {
        var answer = await Send("/api/datasets/latest?kind=month", r => functions.GetLatestDataset(r, default));

        AssertProblem(answer, StatusCodes.Status400BadRequest, "kind");
    }

    [Fact]
    public async Task GetDataset_PublishedPeriod_ServesThePointedVersionByteForByteWithItsSha256AsETag()
    {
        var expected = DatasetStore.Serialise(QuarterV2);

        var answer = await Send("/api/datasets/2039-Q4", r => functions.GetDataset(r, Quarter, default));

        Assert.Equal(StatusCodes.Status200OK, answer.Status);
        Assert.Equal("application/json", answer.ContentType);
        Assert.Equal(expected, answer.Body);
        Assert.Equal($"\"{Sha256(expected)}\"", answer.ETag);
        Assert.Equal("no-cache", answer.CacheControl);
    }

    [Fact]
    public async Task GetDataset_PeriodWithoutDataSet_Is404Problem()
    {
        var answer = await Send("/api/datasets/2039-Q2", r => functions.GetDataset(r, "2039-Q2", default));

        AssertProblem(answer, StatusCodes.Status404NotFound, parameter: null);
    }

    [Theory]
    [InlineData("2039-Q5")]
    [InlineData("2039-13")]
    [InlineData("39-Q4")]
    [InlineData("latest-2039")]
    public async Task GetDataset_NotAPeriod_Is400NamingPeriod(string period)
    {
        var answer = await Send($"/api/datasets/{period}", r => functions.GetDataset(r, period, default));

        AssertProblem(answer, StatusCodes.Status400BadRequest, "period");
    }

    [Fact]
    public async Task GetDatasetVersion_EarlierVersion_ServesItsExactBytesAsImmutable()
    {
        var expected = DatasetStore.Serialise(QuarterV1);

        var answer = await Send("/api/datasets/2039-Q4/versions/1", r => functions.GetDatasetVersion(r, Quarter, 1, default));

        Assert.Equal(StatusCodes.Status200OK, answer.Status);
        Assert.Equal("application/json", answer.ContentType);
        Assert.Equal(expected, answer.Body);
        Assert.Equal($"\"{Sha256(expected)}\"", answer.ETag);
        Assert.Equal(Immutable, answer.CacheControl);
    }

    [Theory]
    [InlineData(3)]   // written, but the pointer never reached it: not published
    [InlineData(9)]
    public async Task GetDatasetVersion_VersionNotPublished_Is404Problem(int version)
    {
        var answer = await Send($"/api/datasets/2039-Q4/versions/{version}", r => functions.GetDatasetVersion(r, Quarter, version, default));

        AssertProblem(answer, StatusCodes.Status404NotFound, parameter: null);
    }

    [Fact]
    public async Task GetDatasetVersion_VersionZero_Is400NamingN()
    {
        var answer = await Send("/api/datasets/2039-Q4/versions/0", r => functions.GetDatasetVersion(r, Quarter, 0, default));

        AssertProblem(answer, StatusCodes.Status400BadRequest, "n");
    }

    [Fact]
    public async Task ListDatasetVersions_PublishedAndUnpublishedVersions_ListsOnlyThePublishedOnes()
    {
        var answer = await Send("/api/datasets/2039-Q4/versions", r => functions.ListDatasetVersions(r, Quarter, default));

        Assert.Equal(StatusCodes.Status200OK, answer.Status);
        Assert.Equal(Quarter, answer.Json.GetProperty("period").GetString());
        Assert.Equal(2, answer.Json.GetProperty("latestVersion").GetInt32());
        Assert.Equal(
            [(1, "/api/datasets/2039-Q4/versions/1"), (2, "/api/datasets/2039-Q4/versions/2")],
            answer.Json.GetProperty("versions").EnumerateArray().Select(v => (v.GetProperty("version").GetInt32(), v.GetProperty("url").GetString()))
                .ToArray());
        Assert.Equal("no-cache", answer.CacheControl);
    }

    [Fact]
    public async Task ListDatasetVersions_UnknownPeriod_Is404Problem()
    {
        var answer = await Send("/api/datasets/2039-Q1/versions", r => functions.ListDatasetVersions(r, "2039-Q1", default));

        AssertProblem(answer, StatusCodes.Status404NotFound, parameter: null);
    }

    [Theory]
    [InlineData(null)]   // the ETag itself, filled in by the test
    [InlineData("*")]
    [InlineData("\"0000\", {0}")]
    [InlineData("W/{0}")]   // If-None-Match compares weakly
    public async Task GetDataset_IfNoneMatchMatches_Is304WithTheETagAndNoBody(string? ifNoneMatch)
    {
        var etag = $"\"{Sha256(DatasetStore.Serialise(QuarterV2))}\"";
        var header = ifNoneMatch is null ? etag : ifNoneMatch.Replace("{0}", etag, StringComparison.Ordinal);

        var answer = await Send("/api/datasets/2039-Q4", r => functions.GetDataset(r, Quarter, default), header);

        Assert.Equal(StatusCodes.Status304NotModified, answer.Status);
        Assert.Equal(etag, answer.ETag);
        Assert.Equal("no-cache", answer.CacheControl);
        Assert.Empty(answer.Body);
    }

    [Fact]
    public async Task GetDatasetVersion_IfNoneMatchOfAnotherVersion_Is200WithTheBody()
    {
        var etagOfV2 = $"\"{Sha256(DatasetStore.Serialise(QuarterV2))}\"";

        var answer = await Send("/api/datasets/2039-Q4/versions/1", r => functions.GetDatasetVersion(r, Quarter, 1, default), etagOfV2);

        Assert.Equal(StatusCodes.Status200OK, answer.Status);
        Assert.Equal(DatasetStore.Serialise(QuarterV1), answer.Body);
    }

    [Fact]
    public async Task GetDatasetVersion_IfNoneMatchOnImmutableVersion_Is304KeepingTheImmutableCaching()
    {
        var etag = $"\"{Sha256(DatasetStore.Serialise(QuarterV1))}\"";

        var answer = await Send("/api/datasets/2039-Q4/versions/1", r => functions.GetDatasetVersion(r, Quarter, 1, default), etag);

        Assert.Equal(StatusCodes.Status304NotModified, answer.Status);
        Assert.Equal(Immutable, answer.CacheControl);
        Assert.Empty(answer.Body);
    }

    [Fact]
    public async Task GetDataset_IndicatorPrefix_KeepsOnlyThoseIndicatorsAndTargetsAndTheRestAsComputed()
    {
        var answer = await Send("/api/datasets/2039-Q4?indicator=energy.", r => functions.GetDataset(r, Quarter, default));

        Assert.Equal(StatusCodes.Status200OK, answer.Status);
        var json = answer.Json;
        Assert.Equal(
            [("XJNA", "energy.totalTce,energy.intensity"), ("430104", "energy.totalTce"), ("430104001", "energy.totalTce")],
            Areas(json));
        Assert.Equal(["energy-intensity-2025"], json.GetProperty("targets").EnumerateArray().Select(t => t.GetProperty("id").GetString()));
        Assert.Equal(
            ["430104001/energy.totalTce", "XJNA/energy.intensity", "XJNA/energy.totalTce"],
            json.GetProperty("diff").GetProperty("changedIndicators").EnumerateArray()
                .Select(c => $"{c.GetProperty("areaCode").GetString()}/{c.GetProperty("id").GetString()}"));
        // status, missing, inputs and warnings stay those of the whole data set
        Assert.Equal("partial", json.GetProperty("status").GetString());
        Assert.Equal(["environment:2039-10", "dc.count"], json.GetProperty("missing").EnumerateArray().Select(m => m.GetString()));
        Assert.Equal(3, json.GetProperty("inputs").GetArrayLength());
        Assert.Equal(1, json.GetProperty("warnings").GetArrayLength());
        AssertConformsToDatasetSchema(answer.Body);
    }

    [Fact]
    public async Task GetDataset_AreaAndIndicators_KeepsThatAreaWithTheMatchingIndicators()
    {
        var answer = await Send("/api/datasets/2039-Q4?area=XJNA&indicator=power.consumptionMwh,transport.", r => functions.GetDataset(r, Quarter, default));

        Assert.Equal(StatusCodes.Status200OK, answer.Status);
        Assert.Equal([("XJNA", "power.consumptionMwh,transport.nevSharePct")], Areas(answer.Json));
        Assert.Equal(["charging-coverage"], answer.Json.GetProperty("targets").EnumerateArray().Select(t => t.GetProperty("id").GetString()));
        AssertConformsToDatasetSchema(answer.Body);
    }

    [Theory]
    [InlineData("?area=430104&area=430104001")]
    [InlineData("?area=430104001,%20430104")]
    public async Task GetDataset_SeveralAreas_KeepsThoseAreasWithEveryIndicatorAndTarget(string query)
    {
        var answer = await Send("/api/datasets/2039-Q4" + query, r => functions.GetDataset(r, Quarter, default));

        Assert.Equal(StatusCodes.Status200OK, answer.Status);
        Assert.Equal([("430104", "energy.totalTce"), ("430104001", "energy.totalTce")], Areas(answer.Json));
        Assert.Equal(2, answer.Json.GetProperty("targets").GetArrayLength());
    }

    [Fact]
    public async Task GetDataset_KnownAreaWithoutFigures_IsAnEmptyAreaList()
    {
        var answer = await Send("/api/datasets/2039-Q4?area=WCM", r => functions.GetDataset(r, Quarter, default));

        Assert.Equal(StatusCodes.Status200OK, answer.Status);
        Assert.Equal(0, answer.Json.GetProperty("areas").GetArrayLength());
        AssertConformsToDatasetSchema(answer.Body);
    }

    [Fact]
    public async Task GetDataset_Filtered_HasAnETagOfItsOwnBytesAndAnswersIfNoneMatchWithIt()
    {
        var unfiltered = $"\"{Sha256(DatasetStore.Serialise(QuarterV2))}\"";

        var answer = await Send("/api/datasets/2039-Q4?area=XJNA", r => functions.GetDataset(r, Quarter, default));
        var again = await Send("/api/datasets/2039-Q4?area=XJNA", r => functions.GetDataset(r, Quarter, default), answer.ETag);

        Assert.Equal($"\"{Sha256(answer.Body)}\"", answer.ETag);
        Assert.NotEqual(unfiltered, answer.ETag);
        Assert.Equal(StatusCodes.Status304NotModified, again.Status);
    }

    [Fact]
    public async Task GetDatasetVersion_Filtered_StaysImmutable()
    {
        var answer = await Send("/api/datasets/2039-Q4/versions/1?area=XJNA", r => functions.GetDatasetVersion(r, Quarter, 1, default));

        Assert.Equal(StatusCodes.Status200OK, answer.Status);
        Assert.Equal([("XJNA", "energy.totalTce,energy.intensity,carbon.totalTco2,power.consumptionMwh")], Areas(answer.Json));
        Assert.Equal(Immutable, answer.CacheControl);
    }

    [Theory]
    [InlineData("?area=XJNA,999999", "area")]
    [InlineData("?area=xjna", "area")]
    [InlineData("?indicator=energy", "indicator")]
    [InlineData("?indicator=energy.total", "indicator")]
    [InlineData("?indicator=water.", "indicator")]
    public async Task GetDataset_UnknownAreaOrIndicator_Is400NamingTheParameter(string query, string parameter)
    {
        var answer = await Send("/api/datasets/2039-Q4" + query, r => functions.GetDataset(r, Quarter, default));

        AssertProblem(answer, StatusCodes.Status400BadRequest, parameter);
    }

    [Fact]
    public async Task GetLatestDatasetAndGetDatasetVersion_UnknownAreaOrIndicator_Are400NamingTheParameter()
    {
        var latest = await Send("/api/datasets/latest?area=xjna", r => functions.GetLatestDataset(r, default));
        var version = await Send("/api/datasets/2039-Q4/versions/1?indicator=water.", r => functions.GetDatasetVersion(r, Quarter, 1, default));

        AssertProblem(latest, StatusCodes.Status400BadRequest, "area");
        AssertProblem(version, StatusCodes.Status400BadRequest, "indicator");
    }

    [Fact]
    public async Task GetDatasetDiff_V1ToV2_ListsTheHandComputedChangesAndNewInputs()
    {
        var answer = await Send("/api/datasets/2039-Q4/diff?from=1&to=2", r => functions.GetDatasetDiff(r, Quarter, default));

        Assert.Equal(StatusCodes.Status200OK, answer.Status);
        Assert.Equal(Immutable, answer.CacheControl);
        Assert.Equal($"\"{Sha256(answer.Body)}\"", answer.ETag);
        var json = answer.Json;
        Assert.Equal(Quarter, json.GetProperty("period").GetString());
        Assert.Equal(1, json.GetProperty("from").GetInt32());
        Assert.Equal(2, json.GetProperty("to").GetInt32());
        Assert.Equal(
            [
                ("430104", "carbon.totalTco2", 1500d, (double?)null),
                ("430104001", "energy.totalTce", 200d, 250d),
                ("XJNA", "energy.intensity", 0.5, 0.55),
                ("XJNA", "energy.totalTce", 1000d, 1100d),
                ("XJNA", "transport.nevSharePct", null, 12.5),
            ],
            Changes(json));
        Assert.Equal([StatisticsR1, Transport], json.GetProperty("changedInputs").EnumerateArray().Select(i => i.GetString()));
    }

    [Fact]
    public async Task GetDatasetDiff_V2ToV1_ReadsTheChangesBackwards()
    {
        var answer = await Send("/api/datasets/2039-Q4/diff?from=2&to=1", r => functions.GetDatasetDiff(r, Quarter, default));

        Assert.Equal(StatusCodes.Status200OK, answer.Status);
        Assert.Equal(
            [
                ("430104", "carbon.totalTco2", (double?)null, 1500d),
                ("430104001", "energy.totalTce", 250d, 200d),
                ("XJNA", "energy.intensity", 0.55, 0.5),
                ("XJNA", "energy.totalTce", 1100d, 1000d),
                ("XJNA", "transport.nevSharePct", 12.5, null),
            ],
            Changes(answer.Json));
        Assert.Equal([StatisticsR0], answer.Json.GetProperty("changedInputs").EnumerateArray().Select(i => i.GetString()));
    }

    [Theory]
    [InlineData("?to=2", "from")]
    [InlineData("?from=1", "to")]
    [InlineData("?from=one&to=2", "from")]
    [InlineData("?from=0&to=2", "from")]
    [InlineData("?from=1&to=-2", "to")]
    [InlineData("?from=2&to=2", "to")]
    public async Task GetDatasetDiff_MissingInvalidOrEqualVersions_Is400NamingTheParameter(string query, string parameter)
    {
        var answer = await Send("/api/datasets/2039-Q4/diff" + query, r => functions.GetDatasetDiff(r, Quarter, default));

        AssertProblem(answer, StatusCodes.Status400BadRequest, parameter);
    }

    [Theory]
    [InlineData("?from=1&to=3")]   // v3 is written but unpublished
    [InlineData("?from=7&to=1")]
    public async Task GetDatasetDiff_VersionMissing_Is404Problem(string query)
    {
        var answer = await Send("/api/datasets/2039-Q4/diff" + query, r => functions.GetDatasetDiff(r, Quarter, default));

        AssertProblem(answer, StatusCodes.Status404NotFound, parameter: null);
    }

    private static async Task<HttpAnswer> Send(string url, Func<HttpRequest, Task<IActionResult>> function, string? ifNoneMatch = null)
    {
        var request = HttpHarness.Get(url, ifNoneMatch);
        return await HttpHarness.Execute(request, await function(request));
    }

    private static void AssertProblem(HttpAnswer answer, int status, string? parameter)
    {
        Assert.Equal(status, answer.Status);
        Assert.StartsWith("application/problem+json", answer.ContentType, StringComparison.Ordinal);
        var json = answer.Json;
        Assert.Equal(status, json.GetProperty("status").GetInt32());
        Assert.False(string.IsNullOrWhiteSpace(json.GetProperty("detail").GetString()));
        if (parameter is null)
        {
            Assert.False(json.TryGetProperty("parameter", out _));
        }
        else
        {
            Assert.Equal(parameter, json.GetProperty("parameter").GetString());
            Assert.Contains($"'{parameter}'", json.GetProperty("title").GetString(), StringComparison.Ordinal);
        }

        Assert.Null(answer.ETag);
    }

    private static void AssertConformsToDatasetSchema(byte[] body)
    {
        using var document = JsonDocument.Parse(body);
        // A stored version is served as stored: it conforms to the schema of the version it declares (1.0 or 2.0).
        var issues = Core.Schemas.Evaluate(Core.Schemas.Dataset(document.RootElement.GetProperty("schemaVersion").GetString()!), document.RootElement);
        Assert.True(
            issues.Count == 0,
            "filtered data set does not match its schema: " + string.Join("; ", issues.Select(i => $"{i.InstanceLocation} {i.Keyword}: {i.Message}")));
    }

    private static (string?, string)[] Areas(JsonElement dataset) =>
        [.. dataset.GetProperty("areas").EnumerateArray()
            .Select(a => (a.GetProperty("areaCode").GetString(), string.Join(",", a.GetProperty("indicators").EnumerateObject().Select(i => i.Name))))];

    private static (string?, string?, double?, double?)[] Changes(JsonElement diff) =>
        [.. diff.GetProperty("changedIndicators").EnumerateArray()
            .Select(c => (c.GetProperty("areaCode").GetString(), c.GetProperty("id").GetString(), Number(c.GetProperty("old")), Number(c.GetProperty("new"))))];

    private static double? Number(JsonElement value) => value.ValueKind == JsonValueKind.Null ? null : value.GetDouble();

    private static string Sha256(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));

    private async Task Publish(params DatasetDocument[] versions)
    {
        var sha = "";
        foreach (var version in versions)
        {
            sha = await Write(version);
        }

        var last = versions[^1];
        var current = await store.GetPointerAsync(last.Period, CancellationToken.None);
        if (current?.Pointer.Version != last.Version)
        {
            Assert.True(
                await store.MovePointerAsync(
                new DatasetPointer(last.Period, last.Version, sha, new Dictionary<string, long>()), current?.ETag, CancellationToken.None));
        }
    }

    private async Task<string> Write(DatasetDocument version)
    {
        var (outcome, sha) = await store.WriteVersionAsync(version, CancellationToken.None);
        Assert.NotEqual(VersionWrite.Taken, outcome);
        return sha;
    }
}
