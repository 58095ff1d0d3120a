using System.Text.Json;
using System.Text.Json.Nodes;
using IntegrationHub.Core;
using IntegrationHub.Core.Datasets;
using IntegrationHub.Functions.Storage;
using IntegrationHub.LocalHost.Tests.Support;

namespace IntegrationHub.LocalHost.Tests.Ops;

/// <summary>
/// A hub upgraded from data set 1.0 to 2.0 (contract 2.0, "Methodology change"): a period whose current version was
/// written by the older build is moved to 2.0 by <c>POST /api/ops/reconsolidate</c> and <c>hub ops reconsolidate --all</c>,
/// through the local host's HTTP routes, without losing the 1.0 version. A hub of its own: the action touches every period.
/// </summary>
public sealed class ReconsolidationEndToEndTests(EndToEndHub hub) : IClassFixture<EndToEndHub>
{
    private const string Period = "2024-Q1";

    private HubApi Api => hub.Api;

    [Fact]
    public async Task Reconsolidate_PeriodStoredAsOnePointZero_NewTwoPointZeroVersionWithMethodologyChanged_OneVersionStillServed()
    {
        // The period's feeds go through the hub (v1, already 2.0); then the older build's last write is replayed: a 1.0
        // version on top, with the pointer on it and the same ledger generations, as a hub of 1.0 left it.
        var feedId = await Api.PushAcceptedAsync($"statistics-{Period}-r0.json");
        await Api.WaitForFeedConsolidatedAsync(feedId);
        await Api.WaitUntilQuietAsync();
        var oldVersion = await StoreAsOlderBuildAsync();
        var served = (await Api.DatasetAsync(Period))!.Value;
        Assert.Equal((oldVersion, "1.0"), (served.GetProperty("version").GetInt32(), served.GetProperty("schemaVersion").GetString()));

        var answer = await Api.SendAsync(HttpMethod.Post, "/api/ops/reconsolidate", Keys.Ops);

        Assert.True(answer.Status == 202, $"POST /api/ops/reconsolidate should answer 202; got {answer}");
        var report = answer.Json;
        Assert.Equal("2.0", report.GetProperty("methodologyVersion").GetString());
        Assert.Equal(1, report.GetProperty("outdated").GetInt32());
        var entry = Assert.Single(report.GetProperty("results").EnumerateArray(), r => r.GetProperty("period").GetString() == Period);
        Assert.Equal("consolidate:" + Period, entry.GetProperty("instanceId").GetString());
        Assert.Equal(oldVersion, entry.GetProperty("currentVersion").GetInt32());
        Assert.Equal("1.0", entry.GetProperty("methodologyVersion").GetString());
        Assert.Equal("started", entry.GetProperty("outcome").GetString());

        var moved = await Api.EventuallyAsync($"{Period} to get a version after v{oldVersion}", async () =>
        {
            var current = await Api.DatasetAsync(Period);
            var version = current?.GetProperty("version").GetInt32() ?? 0;
            return (version > oldVersion, current ?? default, $"v{version}");
        });
        await Api.WaitUntilQuietAsync();

        // The new version: 2.0, next number, its diff against the 1.0 one says the methodology changed.
        Assert.Equal(oldVersion + 1, moved.GetProperty("version").GetInt32());
        Assert.Equal("2.0", moved.GetProperty("schemaVersion").GetString());
        Assert.Equal("2.0", moved.GetProperty("methodology").GetProperty("version").GetString());
        var diff = moved.GetProperty("diff");
        Assert.Equal(oldVersion, diff.GetProperty("previousVersion").GetInt32());
        Assert.True(diff.GetProperty("methodologyChanged").GetBoolean());
        Assert.Equal("1.0", diff.GetProperty("previousMethodologyVersion").GetString());
        Assert.NotEqual(0, diff.GetProperty("changedIndicators").GetArrayLength());

        // The 1.0 version is still served as stored, and listed; so is the diff between the two.
        var kept = await Api.DatasetVersionAsync(Period, oldVersion);
        Assert.Equal("1.0", kept.GetProperty("schemaVersion").GetString());
        Assert.False(kept.TryGetProperty("methodology", out _));
        Assert.Equal([1, oldVersion, oldVersion + 1], await Api.DatasetVersionsAsync(Period));
        var between = await Api.GetAsync($"/api/datasets/{Period}/diff?from={oldVersion}&to={oldVersion + 1}");
        Assert.True(between.Status == 200, $"The diff between the 1.0 and the 2.0 version should be served; got {between}");

        // Audited, and a second run (through the CLI) leaves a period already on 2.0 as it is.
        Assert.Contains(await new OpsApi(Api).AuditOfAsync("consolidate:" + Period), e => e.GetProperty("action").GetString() == "reconsolidate");
        var (exit, stdout, stderr) = await HubTool.RunAsync(Api.Address, ["ops", "reconsolidate", "--all", "--key", Keys.Ops]);
        Assert.True(exit == 0, $"hub ops reconsolidate --all should exit 0; got {exit}: {stdout} {stderr}");
        Assert.Contains(Period, stdout, StringComparison.Ordinal);
        Assert.Contains("0 on an older methodology", stdout, StringComparison.Ordinal);
        await Api.WaitForInstanceAsync("consolidate:" + Period);
        await Api.WaitUntilQuietAsync();
        Assert.Equal([1, oldVersion, oldVersion + 1], await Api.DatasetVersionsAsync(Period));
    }

    [Fact]
    public async Task Reconsolidate_CliWithoutAll_RefusesAndStartsNothing()
    {
        var (exit, _, stderr) = await HubTool.RunAsync(Api.Address, ["ops", "reconsolidate", "--key", Keys.Ops]);

        Assert.Equal(2, exit);
        Assert.Contains("--all", stderr, StringComparison.Ordinal);
    }

    /// <summary>
    /// Writes the next version of the period as a 1.0 data set (the 1.0 schema's own example, moved to this period) and
    /// moves the pointer to it, keeping the ledger generations the hub recorded: what a hub of the older build stored.
    /// </summary>
    private async Task<int> StoreAsOlderBuildAsync()
    {
        var store = new DatasetStore(hub.Azurite.Blobs);
        var (pointer, etag) = (await store.GetPointerAsync(Period, CancellationToken.None))!.Value;
        var example = JsonNode.Parse(File.ReadAllText(Path.Combine(RepoPaths.Root, "schemas", "dataset", "1.0.schema.json")))!["examples"]![0]!.AsObject();
        example["period"] = Period;
        example["version"] = pointer.Version + 1;
        example.Remove("diff");
        var document = example.Deserialize<DatasetDocument>(HubJson.Options)!;
        Assert.Equal("1.0", document.MethodologyVersion);
        var (outcome, sha256) = await store.WriteVersionAsync(document, CancellationToken.None);
        Assert.Equal(VersionWrite.Written, outcome);
        Assert.True(await store.MovePointerAsync(pointer with { Version = document.Version, Sha256 = sha256 }, etag, CancellationToken.None));
        return document.Version;
    }
}
