using System.Text.Json;
using Json.Schema;
using IntegrationHub.Core.Tests.Support;
using IntegrationHub.Core.Validation;

namespace IntegrationHub.Core.Tests;

public class SchemaCatalogTests
{
    public static TheoryData<string> SchemaFiles()
    {
        var data = new TheoryData<string>();
        foreach (var file in Directory.EnumerateFiles(RepoPaths.Schemas, "*.schema.json", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            data.Add(Path.GetRelativePath(RepoPaths.Schemas, file));
        }

        return data;
    }

    [Theory]
    [InlineData("1.0", true)]
    [InlineData("2.13", true)]
    [InlineData("1.0.1", false)]
    [InlineData("1", false)]
    [InlineData("1.x", false)]
    [InlineData("v1.0", false)]
    [InlineData(".1", false)]
    [InlineData("1.", false)]
    public void IsFeedSchemaVersion_OnlyMajorDotMinor(string version, bool expected) =>
        Assert.Equal(expected, SchemaCatalog.IsFeedSchemaVersion(version));

    [Fact]
    public void FeedSchemaFiles_AreNamedByAVersionADataSetCanCarry()
    {
        // A data set's inputs[].schemaVersion is MAJOR.MINOR: a feed schema named otherwise would stop the hub's start.
        var files = Directory.EnumerateFiles(Path.Combine(RepoPaths.Schemas, "feeds"), "*.schema.json", SearchOption.AllDirectories).ToList();
        Assert.NotEmpty(files);
        Assert.All(files, f => Assert.True(SchemaCatalog.IsFeedSchemaVersion(Path.GetFileName(f)[..^".schema.json".Length]), f));
    }

    [Theory]
    [MemberData(nameof(SchemaFiles))]
    public void SchemaFile_IsAValidDraft202012SchemaWithIdTitleAndExamples(string relativePath)
    {
        using var document = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(RepoPaths.Schemas, relativePath)));
        var root = document.RootElement;
        var meta = MetaSchemas.Draft202012.Evaluate(root, new EvaluationOptions { OutputFormat = OutputFormat.List });
        Assert.True(meta.IsValid, $"{relativePath} is not a valid 2020-12 schema");
        Assert.Equal("https://json-schema.org/draft/2020-12/schema", root.GetProperty("$schema").GetString());
        // The $id's path is the hub's route for the schema (README, "Schemas"): /api/schemas/{path without .schema.json}.
        var expectedId = "https://schemas.integration-hub.example/api/schemas/" + relativePath.Replace('\\', '/')[..^".schema.json".Length];
        Assert.Equal(expectedId, root.GetProperty("$id").GetString());
        Assert.False(string.IsNullOrWhiteSpace(root.GetProperty("title").GetString()));
        Assert.True(root.TryGetProperty("examples", out var examples) && examples.GetArrayLength() > 0, $"{relativePath} has no example");
    }

    [Theory]
    [MemberData(nameof(SchemaFiles))]
    public void SchemaFile_EveryExample_ValidatesAgainstItsSchema(string relativePath)
    {
        var path = relativePath.Replace('\\', '/')[..^".schema.json".Length];
        var schema = TestCore.Core.Schemas.Get(path);
        using var document = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(RepoPaths.Schemas, relativePath)));
        foreach (var example in document.RootElement.GetProperty("examples").EnumerateArray())
        {
            var errors = TestCore.Core.Schemas.Evaluate(schema, example);
            Assert.True(errors.Count == 0, string.Join("; ", errors.Select(e => $"{e.InstanceLocation} {e.Keyword}: {e.Message}")));
        }
    }

    [Theory]
    [MemberData(nameof(SchemaFiles))]
    public void Documents_EverySchemaFile_IsPublishedByteForByteUnderItsPathWithItsIdAndTitle(string relativePath)
    {
        var path = relativePath.Replace('\\', '/')[..^".schema.json".Length];
        var bytes = File.ReadAllBytes(Path.Combine(RepoPaths.Schemas, relativePath));
        using var file = JsonDocument.Parse(bytes);

        Assert.True(TestCore.Core.Schemas.TryGetDocument(path, out var document), path);

        Assert.Equal(bytes, document.Bytes);
        Assert.Equal(file.RootElement.GetProperty("$id").GetString(), document.Id);
        Assert.Equal(file.RootElement.GetProperty("title").GetString(), document.Title);
        Assert.Equal("/api/schemas/" + path, document.Url);
        Assert.EndsWith(document.Url, document.Id, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("feeds/power-grid/1.1", "feeds", "power-grid", "1.1")]
    [InlineData("events/dataset-published/1.0", "events", "dataset-published", "1.0")]
    [InlineData("dataset/2.0", "dataset", null, "2.0")]
    [InlineData("reference/areas", "reference", "areas", null)]
    public void Documents_PathSplitsIntoKindNameAndVersion(string path, string kind, string? name, string? version)
    {
        Assert.True(TestCore.Core.Schemas.TryGetDocument(path, out var document));
        Assert.Equal((kind, name, version), (document.Kind, document.Name, document.Version));
    }

    [Fact]
    public void SchemaDocument_IdThatIsNotItsRoute_StopsTheStart()
    {
        var bytes = System.Text.Encoding.UTF8.GetBytes("""{"$id": "https://schemas.integration-hub.example/feeds/transport/1.1", "title": "t"}""");

        var refused =
            Assert.Throws<InvalidOperationException>(() => SchemaDocument.Of("feeds/transport/1.1", bytes, SchemaCatalog.IdBase + "feeds/transport/1.1"));

        Assert.Contains("https://schemas.integration-hub.example/api/schemas/feeds/transport/1.1", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void SchemaDocument_ETag_IsTheStrongTagOfTheBytesSha256()
    {
        // SHA-256 of "abc" (FIPS 180-2, appendix B.1).
        var document = new SchemaDocument("x/y", "x", "y", null, "id", "t", "abc"u8.ToArray());
        Assert.Equal("\"ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad\"", document.ETag);
    }

    [Fact]
    public void Catalog_EmbedsEverySchemaFileOfTheRepository()
    {
        var onDisk = Directory.EnumerateFiles(RepoPaths.Schemas, "*.schema.json", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(RepoPaths.Schemas, f).Replace('\\', '/')[..^".schema.json".Length])
            .Order(StringComparer.Ordinal);
        Assert.Equal(onDisk, TestCore.Core.Schemas.Paths.Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData("statistics")]
    [InlineData("power-grid")]
    [InlineData("transport")]
    [InlineData("environment")]
    public void TryGetFeedSchema_NoVersion_GivesTheLatestVersion(string source)
    {
        Assert.True(TestCore.Core.Schemas.TryGetFeedSchema(source, null, out var version, out var schema));
        Assert.NotNull(schema);
        Assert.Equal(TestCore.Core.Schemas.FeedSchemaVersions(source)[^1], version);
    }

    [Fact]
    public void TryGetFeedSchema_UnknownVersion_Fails()
    {
        Assert.False(TestCore.Core.Schemas.TryGetFeedSchema("transport", "9.9", out _, out _));
    }
}
