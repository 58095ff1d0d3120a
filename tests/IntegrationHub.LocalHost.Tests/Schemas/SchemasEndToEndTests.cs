using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text.Json;
using IntegrationHub.LocalHost.Tests.Support;
using Json.Schema;

namespace IntegrationHub.LocalHost.Tests.Schemas;

/// <summary>
/// The schemas as a department with only curl gets them from the running hub (README, "Schemas"): the catalogue, every
/// schema file of the repository byte for byte at the path of its <c>$id</c>, without a key, with a strong ETag and 304.
/// </summary>
public sealed class SchemasEndToEndTests(EndToEndHub hub) : IClassFixture<EndToEndHub>
{
    private static string SchemasFolder => Path.Combine(RepoPaths.Root, "schemas");

    private HubApi Api => hub.Api;

    /// <summary>Every schema file: its path under schemas/ without the suffix, and its bytes.</summary>
    private static List<(string Path, byte[] Bytes)> SchemaFiles() =>
    [
        .. Directory.EnumerateFiles(SchemasFolder, "*.schema.json", SearchOption.AllDirectories)
            .Select(f => (Path.GetRelativePath(SchemasFolder, f).Replace('\\', '/')[..^".schema.json".Length], File.ReadAllBytes(f)))
            .OrderBy(f => f.Item1, StringComparer.Ordinal),
    ];

    [Fact]
    public async Task EverySchemaFile_FetchedWithoutAKeyAtThePathOfItsId_IsThatFileByteForByte_WithAStrongETagAnd304()
    {
        var files = SchemaFiles();
        Assert.True(files.Count >= 16, $"Expected the repository's 16 schema files; found {files.Count}.");
        using var http = new HttpClient { BaseAddress = Api.Address };
        foreach (var (path, bytes) in files)
        {
            using var file = JsonDocument.Parse(bytes);
            var id = new Uri(file.RootElement.GetProperty("$id").GetString()!);

            // The $id resolved against this hub's address: the same path, here.
            using var response = await http.GetAsync(id.AbsolutePath);

            Assert.True(
                response.StatusCode == HttpStatusCode.OK,
                $"{path}: GET {id.AbsolutePath} answered {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
            Assert.Equal("application/schema+json", response.Content.Headers.ContentType?.MediaType);
            Assert.Equal(bytes, await response.Content.ReadAsByteArrayAsync());
            var etag = response.Headers.ETag;
            Assert.True(etag is { IsWeak: false }, $"{path}: the ETag should be strong; got {etag}");
            Assert.Equal($"\"{Convert.ToHexStringLower(SHA256.HashData(bytes))}\"", etag.Tag);
            Assert.Equal("no-cache", response.Headers.CacheControl?.ToString());
            Assert.Equal("nosniff", Assert.Single(response.Headers.GetValues("X-Content-Type-Options")));

            using var again = new HttpRequestMessage(HttpMethod.Get, id.AbsolutePath);
            again.Headers.IfNoneMatch.Add(etag);
            using var revalidated = await http.SendAsync(again);
            Assert.Equal(HttpStatusCode.NotModified, revalidated.StatusCode);
            Assert.Empty(await revalidated.Content.ReadAsByteArrayAsync());
        }
    }

    [Fact]
    public async Task Catalogue_ListsEverySchemaFile_WithItsKindNameVersionIdAndUrl()
    {
        var answer = await Api.GetAsync("/api/schemas");

        Assert.True(answer.Status == 200, $"GET /api/schemas should answer 200 without a key; got {answer}");
        Assert.Equal("application/json", answer.MediaType);
        var listed = answer.Json.GetProperty("schemas").EnumerateArray().ToDictionary(e => e.GetProperty("url").GetString()!);
        var files = SchemaFiles();
        Assert.Equal(files.Select(f => "/api/schemas/" + f.Path).Order(StringComparer.Ordinal), listed.Keys.Order(StringComparer.Ordinal));
        foreach (var (path, bytes) in files)
        {
            using var file = JsonDocument.Parse(bytes);
            var entry = listed["/api/schemas/" + path];
            Assert.Equal(file.RootElement.GetProperty("$id").GetString(), entry.GetProperty("id").GetString());
            Assert.Equal(file.RootElement.GetProperty("title").GetString(), entry.GetProperty("title").GetString());
        }

        // Hand-read from the schemas folder: feeds and events have 1.0 and 1.1 (1.1 the latest), the data set 1.0 and
        // 2.0, reference data no version.
        string Describe(string url) => listed[url] is var e
            ? $"{e.GetProperty("kind").GetString()}|{e.GetProperty("name").GetString()}|"
                + $"{e.GetProperty("version").GetString()}|{e.GetProperty("latest").GetBoolean()}"
            : "";
        Assert.Equal("feeds|transport|1.1|True", Describe("/api/schemas/feeds/transport/1.1"));
        Assert.Equal("feeds|transport|1.0|False", Describe("/api/schemas/feeds/transport/1.0"));
        Assert.Equal("events|dataset-published|1.1|True", Describe("/api/schemas/events/dataset-published/1.1"));
        Assert.Equal("dataset||2.0|True", Describe("/api/schemas/dataset/2.0"));
        Assert.Equal("dataset||1.0|False", Describe("/api/schemas/dataset/1.0"));
        Assert.Equal("reference|areas||True", Describe("/api/schemas/reference/areas"));
    }

    [Theory]
    [InlineData("/api/schemas/feeds/transport/9.9", "version", "1.0, 1.1")]
    [InlineData("/api/schemas/feeds/weather/1.0", "name", "transport/1.1")]
    [InlineData("/api/schemas/widgets/transport/1.0", "kind", "feeds")]
    [InlineData("/api/schemas/dataset/3.0", "item", "2.0")]
    [InlineData("/api/schemas/reference/budgets", "item", "areas")]
    public async Task UnknownSchema_Is404ProblemNamingWhatIsMissingAndWhatThereIs(string path, string parameter, string offered)
    {
        var answer = await Api.GetAsync(path);

        Assert.True(answer.Status == 404, $"GET {path} should be 404; got {answer}");
        Assert.Equal("application/problem+json", answer.MediaType);
        var detail = answer.Json.GetProperty("detail").GetString()!;
        Assert.Contains($"'{path["/api/schemas/".Length..]}'", detail, StringComparison.Ordinal);
        Assert.Contains(offered, detail, StringComparison.Ordinal);
        Assert.Equal(parameter, answer.Json.GetProperty("parameter").GetString());
    }

    [Fact]
    public async Task ServedFeedSchema_OnItsOwnInAPlainValidator_AcceptsAValidSampleAndRefusesAnInvalidOne()
    {
        // What a department does with no hub code: load the served bytes into a validator of its own and check a feed.
        using var http = new HttpClient { BaseAddress = Api.Address };
        var text = await http.GetStringAsync("/api/schemas/feeds/transport/1.1");
        var schema = JsonSchema.FromText(text, new BuildOptions { SchemaRegistry = new SchemaRegistry() });
        var options = new EvaluationOptions { OutputFormat = OutputFormat.List, RequireFormatValidation = true };

        using var valid = JsonDocument.Parse(SampleFeed.Load("transport-2024-06-r0.json").Bytes);
        using var missing = JsonDocument.Parse(SampleFeed.Load(Path.Combine("invalid", "missing-producer.json")).Bytes);

        Assert.True(schema.Evaluate(valid.RootElement, options).IsValid);
        var refused = schema.Evaluate(missing.RootElement, options);
        Assert.False(refused.IsValid);
        Assert.Contains(refused.Details!, d => d.Errors?.ContainsKey("required") == true && d.InstanceLocation.ToString() == "");
    }
}
