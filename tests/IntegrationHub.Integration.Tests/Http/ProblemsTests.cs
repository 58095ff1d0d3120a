using System.Text.Json.Nodes;
using IntegrationHub.Functions;
using IntegrationHub.Functions.Health;
using IntegrationHub.Functions.Http;
using IntegrationHub.Functions.Ops;
using IntegrationHub.Integration.Tests.Datasets;

namespace IntegrationHub.Integration.Tests.Http;

/// <summary>Problems written from their records: RFC 7807's members, then the record's own; unset ones left out.</summary>
public sealed class ProblemsTests
{
    [Fact]
    public async Task Create_InstanceConflict_WritesTheCommonMembersAndOnlyTheFieldsSet()
    {
        var problem = new InstanceConflictProblem(409, "Cannot purge a Running instance", "feed:x")
        {
            Detail = "The instance is Running; only a finished instance can be purged.", RuntimeStatus = "Running", Actions = ["suspend", "terminate"],
        };

        var answer = await HttpHarness.Execute(HttpHarness.Get("/api/ops/instances/feed%3Ax/purge"), Problems.Create(problem));

        Assert.Equal(409, answer.Status);
        Assert.StartsWith("application/problem+json", answer.ContentType, StringComparison.Ordinal);
        var expected = JsonNode.Parse("""
            {
              "type": "about:blank", "title": "Cannot purge a Running instance", "status": 409,
              "detail": "The instance is Running; only a finished instance can be purged.",
              "instanceId": "feed:x", "runtimeStatus": "Running", "actions": ["suspend", "terminate"]
            }
            """);
        Assert.True(JsonNode.DeepEquals(expected, JsonNode.Parse(answer.Body)), System.Text.Encoding.UTF8.GetString(answer.Body));
    }

    [Fact]
    public async Task Create_NotReady_NamesTheFirstDependencyDownAndEveryOne()
    {
        var problem = new NotReadyProblem(503, "Not ready", ["task-hub"], new ReadinessChecks("ok", "unavailable")) { Detail = "Try again in 10 s." };

        var answer = await HttpHarness.Execute(HttpHarness.Get("/api/ready"), Problems.Create(problem));

        var expected = JsonNode.Parse("""
            {
              "type": "about:blank", "title": "Not ready", "status": 503, "detail": "Try again in 10 s.",
              "dependency": "task-hub", "dependencies": ["task-hub"], "checks": { "storage": "ok", "task-hub": "unavailable" }
            }
            """);
        Assert.True(JsonNode.DeepEquals(expected, JsonNode.Parse(answer.Body)), System.Text.Encoding.UTF8.GetString(answer.Body));
    }

    [Fact]
    public void OpsAnswer_ProblemExtensions_AreTheWireNamesOfTheFieldsSet()
    {
        var answer = OpsAnswer.BadParameter("pageSize", "Invalid page size", "Use 1 to 1000.");

        Assert.Equal(400, answer.Status);
        Assert.Equal(new Dictionary<string, object?> { ["parameter"] = "pageSize" }, answer.ProblemExtensions);
        Assert.Equal("Use 1 to 1000.", answer.AuditDetail);
    }
}
