using IntegrationHub.Cli.Tests.Support;
using IntegrationHub.Core.Tests.Support;

namespace IntegrationHub.Cli.Tests;

/// <summary><c>hub schema check</c> as a department integrator runs it on a draft version: the report and the exit code.</summary>
public class SchemaCommandTests
{
    private static string Transport(string version, string required) => $$$"""
        {
          "$schema": "https://json-schema.org/draft/2020-12/schema",
          "$id": "https://example.org/feeds/transport/{{{version}}}",
          "type": "object",
          "additionalProperties": false,
          "required": ["source", "records"],
          "properties": {
            "schemaVersion": {"const": "{{{version}}}"},
            "source": {"const": "transport"},
            "records": {"type": "array", "minItems": 1, "items": {"$ref": "#/$defs/record"}}
          },
          "$defs": {
            "record": {
              "type": "object",
              "additionalProperties": false,
              "required": {{{required}}},
              "properties": {"areaCode": {"type": "string"}, "chargers": {"type": "integer", "minimum": 0}}
            }
          }
        }
        """;

    [Fact]
    public void Check_MinorDraftMakingAFieldRequired_PrintsTheRefusalsAndExits1()
    {
        using var folder = new TempFolder();
        Directory.CreateDirectory(folder.File("schemas/feeds/transport"));
        Directory.CreateDirectory(folder.File("feeds"));
        folder.Write("schemas/feeds/transport/1.0.schema.json", Transport("1.0", """["areaCode"]"""));
        folder.Write("schemas/feeds/transport/1.1.schema.json", Transport("1.1", """["areaCode", "chargers"]"""));
        folder.Write("feeds/no-chargers.json", """{"schemaVersion": "1.0", "source": "transport", "records": [{"areaCode": "430104"}]}""");

        var (exit, stdout, stderr) = Processes.Hub("schema", "check", "--schemas", folder.File("schemas"), "--feeds", folder.File("feeds"));

        Assert.True(exit == 1, $"exit {exit}: {stdout}{stderr}");
        var lines = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("ok       transport 1.0 (first version)", lines[0]);
        Assert.Equal("REFUSED  transport 1.1 (minor after 1.0, 1 feed(s) replayed)", lines[1]);
        Assert.Contains(lines, l => l.StartsWith(
            "  refused  required-added at /$defs/record/required/1: 'records[].chargers' is required from 1.1 on", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("  refused  feed-no-longer-valid at /$defs/record/required: ", StringComparison.Ordinal)
            && l.Contains("no-chargers.json is valid under 1.0 but not under 1.1: at /records/0 required", StringComparison.Ordinal));
        Assert.StartsWith("2 schema version(s) checked: 2 refusal(s).", lines[^1], StringComparison.Ordinal);
    }

    [Fact]
    public void Check_RepositorySchemasWithTheSampleFeeds_EveryVersionOkAndExits0()
    {
        var (exit, stdout, stderr) = Processes.Hub("schema", "check", "--schemas", RepoPaths.Schemas, "--feeds", Path.Combine(RepoPaths.SampleFeeds, "2020"));

        Assert.True(exit == 0, $"exit {exit}: {stdout}{stderr}");
        Assert.Contains("ok       transport 1.1 (minor after 1.0", stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("REFUSED", stdout, StringComparison.Ordinal);
        Assert.EndsWith(
            "8 schema version(s) checked: every minor version is backward compatible and every major is mapped to the data set.\n", stdout,
            StringComparison.Ordinal);
    }

    [Fact]
    public void Check_SchemasFolderMissing_Exits2AndSaysSo()
    {
        var (exit, _, stderr) = Processes.Hub("schema", "check", "--schemas", Path.Combine(RepoPaths.Root, "no-such-schemas"));

        Assert.Equal(2, exit);
        Assert.Contains("no-such-schemas", stderr, StringComparison.Ordinal);
    }
}
