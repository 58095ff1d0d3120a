using System.Text.Json;
using Azure.Storage.Blobs.Models;
using IntegrationHub.LocalHost.Tests.Support;

namespace IntegrationHub.LocalHost.Tests.Ops;

/// <summary>
/// <c>GET /api/ops/reconcile</c> and <c>hub reconcile</c> on a hub of their own: clean after a quarter went through,
/// then, with the hub's own records damaged behind its back, naming every feed that went missing and every version
/// stored twice.
/// </summary>
public sealed class ReconciliationEndToEndTests(EndToEndHub hub) : IClassFixture<EndToEndHub>
{
    private HubApi Api => hub.Api;

    [Fact]
    public async Task Reconcile_QuarterPublishedThenRecordsDamaged_CleanFirstThenEveryGapAndTwinNamed()
    {
        string[] samples = ["statistics-2025-Q2-r0.json", "environment-2025-04-r0.json", "environment-2025-05-r0.json", "environment-2025-06-r0.json"];
        var accepted = new List<string>();
        foreach (var sample in samples)
        {
            accepted.Add(await Api.PushAcceptedAsync(sample));
        }

        var invalid = await Api.PushSampleAsync(Path.Combine("invalid", "nev-exceeds-total.json"));
        Assert.True(invalid.Status == 400, $"The invalid sample should be refused; got {invalid}");
        var quarantinedId = invalid.Json.GetProperty("feedId").GetString()!;
        await Api.EventuallyAsync("every accepted feed to be consolidated", async () =>
        {
            var states = new List<string>();
            foreach (var id in accepted)
            {
                states.Add((await Api.FeedStatusAsync(id)).Json.GetProperty("state").GetString()!);
            }

            return (states.All(s => s == "Consolidated"), true, string.Join(", ", states));
        });
        await Api.WaitUntilQuietAsync();

        var clean = await Api.AssertNothingLostAsync(expectedLanded: accepted.Count + 1);
        var rows = clean.GetProperty("rows").EnumerateArray().ToList();
        foreach (var month in new[] { "2025-04", "2025-05", "2025-06" })
        {
            var row = Assert.Single(rows, r => r.GetProperty("period").GetString() == month && r.GetProperty("source").GetString() == "environment");
            Assert.Equal([1, 1, 1, 1, 1, 0], Counts(row, "landed", "validated", "inLedger", "consolidated", "published", "quarantined"));
        }

        var transport = Assert.Single(rows, r => r.GetProperty("source").GetString() == "transport");
        Assert.Equal([1, 0, 1, 0], Counts(transport, "landed", "validated", "quarantined", "lost"));
        var (exit, stdout, stderr) = await HubTool.RunAsync(Api.Address, ["reconcile", "--key", Keys.Ops, "--grace-seconds", "0"]);
        Assert.True(exit == 0, $"hub reconcile should exit 0 when nothing is lost; exit {exit}; {stdout} {stderr}");
        Assert.Contains("0 lost, 0 duplicate(s)", stdout, StringComparison.Ordinal);

        // Damage: the quarter's announcements gone, the quarantined feed's report gone, and the quarter's latest version
        // stored again under the next number.
        var datasets = hub.Azurite.Blobs.GetBlobContainerClient("datasets");
        await foreach (var announced in datasets.GetBlobsAsync(new GetBlobsOptions { Prefix = "2025-Q2/announced/" }))
        {
            await datasets.DeleteBlobAsync(announced.Name);
        }

        await hub.Azurite.Blobs.GetBlobContainerClient("quarantine").DeleteBlobAsync($"transport/{quarantinedId}.json");
        var latest = (await Api.DatasetAsync("2025-Q2"))!.Value.GetProperty("version").GetInt32();
        var twin = (await datasets.GetBlobClient($"2025-Q2/v{latest}.json").DownloadContentAsync()).Value.Content;
        await datasets.GetBlobClient($"2025-Q2/v{latest + 1}.json").UploadAsync(twin);

        var damaged = await Api.ReconcileAsync();

        var lost = damaged.GetProperty("lost").EnumerateArray().ToList();
        Assert.Equal(accepted.Order(StringComparer.Ordinal), lost.Where(g => g.GetProperty("stage").GetString() == "announcement").Select(g => g.GetProperty("feedId").GetString()!).Order(StringComparer.Ordinal));
        var missingReport = Assert.Single(lost, g => g.GetProperty("stage").GetString() == "quarantine-report");
        Assert.Equal(quarantinedId, missingReport.GetProperty("feedId").GetString());
        var duplicate = Assert.Single(damaged.GetProperty("duplicates").EnumerateArray());
        Assert.Equal("dataset-version", duplicate.GetProperty("kind").GetString());
        Assert.Equal([$"2025-Q2/v{latest}", $"2025-Q2/v{latest + 1}"], duplicate.GetProperty("occurrences").EnumerateArray().Select(o => o.GetString()!));
        Assert.Equal(accepted.Count + 1, damaged.GetProperty("totals").GetProperty("lost").GetInt32());

        (exit, stdout, stderr) = await HubTool.RunAsync(Api.Address, ["reconcile", "--key", Keys.Ops, "--grace-seconds", "0", "--source", "environment"]);
        Assert.True(exit == 1, $"hub reconcile should exit 1 when feeds are lost; exit {exit}; {stdout} {stderr}");
        Assert.Contains($"lost: {accepted[1]} (environment 2025-04) stopped before announcement", stdout, StringComparison.Ordinal);
        Assert.Contains($"duplicate dataset-version: 2025-Q2: 2025-Q2/v{latest}, 2025-Q2/v{latest + 1}", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Reconcile_DepartmentKeyOrBadGrace_RefusedWithProblem()
    {
        var department = await Api.GetAsync("/api/ops/reconcile", Keys.Transport);
        Assert.True(department.Status == 403 && department.MediaType == "application/problem+json", $"A department key should get 403; got {department}");

        var badGrace = await Api.GetAsync("/api/ops/reconcile?graceSeconds=soon", Keys.Ops);
        Assert.True(badGrace.Status == 400, $"A bad grace period should get 400; got {badGrace}");
        Assert.Equal("graceSeconds", badGrace.Json.GetProperty("parameter").GetString());
    }

    private static int[] Counts(JsonElement row, params string[] names) => [.. names.Select(n => row.GetProperty(n).GetInt32())];
}
