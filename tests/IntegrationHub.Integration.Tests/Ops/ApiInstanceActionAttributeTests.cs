using System.Text.Json.Nodes;
using IntegrationHub.Functions.Http;
using IntegrationHub.Functions.OpenApi;
using IntegrationHub.Functions.Ops;
using Microsoft.Azure.Functions.Worker;

namespace IntegrationHub.Integration.Tests.Ops;

/// <summary>Each instance action's operation, written from its row of the action table by one attribute.</summary>
public sealed class ApiInstanceActionAttributeTests
{
    private static JsonNode Operation(string path, string method) => JsonNode.Parse(HubOpenApi.Current.Json)!["paths"]![path]![method]!;

    [Theory]
    [InlineData("/ops/instances/{instanceId}", "delete", "The instance is not finished (completed, failed or terminated).")]
    [InlineData("/ops/instances/{instanceId}/suspend", "post", "The instance is not pending or running.")]
    [InlineData("/ops/instances/{instanceId}/terminate", "post", "The instance is not pending, running or suspended.")]
    [InlineData("/ops/instances/{instanceId}/resume", "post", "The instance is not suspended.")]
    [InlineData("/ops/instances/{instanceId}/replay", "post", "The instance is not failed or terminated, or this failure was replayed already.")]
    [InlineData("/ops/instances/{instanceId}/rewind", "post", "The instance is not failed, this failure was handled already, or the engine refused.")]
    public void Document_InstanceAction409_NamesTheStatesTheActionIsAllowedIn(string path, string method, string expected)
    {
        var conflict = Operation(path, method)["responses"]!["409"]!;

        Assert.Equal(expected, conflict["description"]!.GetValue<string>());
        Assert.Equal("#/components/schemas/InstanceConflictProblem", conflict["content"]!["application/problem+json"]!["schema"]!["$ref"]!.GetValue<string>());
    }

    // Statuses as a client reads them: 400 only where a reason is read, 501 only for rewind; 401, 403, 429, 503 on every ops route.
    [Theory]
    [InlineData("/ops/instances/{instanceId}/replay", "post", "Replay an orchestration", "202 401 403 404 409 429 503", false)]
    [InlineData("/ops/instances/{instanceId}/rewind", "post", "Rewind a failed orchestration", "202 400 401 403 404 409 429 501 503", true)]
    [InlineData("/ops/instances/{instanceId}/terminate", "post", "Terminate an orchestration", "202 400 401 403 404 409 429 503", true)]
    [InlineData("/ops/instances/{instanceId}/suspend", "post", "Suspend an orchestration", "202 400 401 403 404 409 429 503", true)]
    [InlineData("/ops/instances/{instanceId}/resume", "post", "Resume an orchestration", "202 400 401 403 404 409 429 503", true)]
    [InlineData("/ops/instances/{instanceId}", "delete", "Purge an orchestration's history", "200 401 403 404 409 429 503", false)]
    public void Document_InstanceAction_HasItsSummaryAnswersAndReasonFromTheTable(string path, string method, string summary, string statuses,
        bool takesReason)
    {
        var operation = Operation(path, method);

        Assert.Equal(summary, operation["summary"]!.GetValue<string>());
        Assert.Equal(statuses, string.Join(' ', operation["responses"]!.AsObject().Select(r => r.Key)));
        Assert.Equal("No orchestration has this id.", operation["responses"]!["404"]!["description"]!.GetValue<string>());
        var parameters = operation["parameters"]?.AsArray().Select(p => p!["name"]!.GetValue<string>()).ToList() ?? [];
        Assert.Equal(takesReason, parameters.Contains("reason"));
        Assert.Equal(takesReason, operation["requestBody"] is not null);
    }

    [Fact]
    public void Catalogue_InstanceActionOnAMethodThatIsNoHttpFunction_IsRefusedAsAStrayOperation()
    {
        var catalogue = HttpSurface.Catalogue([typeof(SampleFunctions)], new Dictionary<string, ApiOperation>());

        Assert.Equal(["SampleFunctions.NotHttp: [ApiOperation] on a method that is no HTTP function"], catalogue.Faults);
    }

    [Fact]
    public void Documentation_OfAnActionTheTableDoesNotHave_Throws() =>
        Assert.Contains("'restart'", Assert.Throws<ArgumentException>(() => OpsInstances.Documentation("restart")).Message, StringComparison.Ordinal);

    private sealed class SampleFunctions
    {
        [Function("Terminate")]
        [ApiInstanceAction("terminate")]
        [Access(AccessPolicy.Ops)]
        public static void Terminate([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "samples/{instanceId}/terminate")] object request) =>
            _ = request;

        [ApiInstanceAction("suspend")]
        public static void NotHttp()
        {
        }
    }
}
