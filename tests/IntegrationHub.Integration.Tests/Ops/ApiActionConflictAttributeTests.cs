using System.Text.Json.Nodes;
using IntegrationHub.Functions.OpenApi;

namespace IntegrationHub.Integration.Tests.Ops;

/// <summary>The documented 409 of each instance action says the states the action table allows it in.</summary>
public sealed class ApiActionConflictAttributeTests
{
    [Theory]
    [InlineData("/ops/instances/{instanceId}", "delete", "The instance is not finished (completed, failed or terminated).")]
    [InlineData("/ops/instances/{instanceId}/suspend", "post", "The instance is not pending or running.")]
    [InlineData("/ops/instances/{instanceId}/terminate", "post", "The instance is not pending, running or suspended.")]
    [InlineData("/ops/instances/{instanceId}/resume", "post", "The instance is not suspended.")]
    [InlineData("/ops/instances/{instanceId}/replay", "post", "The instance is not failed or terminated, or this failure was replayed already.")]
    public void Document_InstanceAction409_NamesTheStatesTheActionIsAllowedIn(string path, string method, string expected)
    {
        var conflict = JsonNode.Parse(HubOpenApi.Current.Json)!["paths"]![path]![method]!["responses"]!["409"]!;

        Assert.Equal(expected, conflict["description"]!.GetValue<string>());
        Assert.Equal("#/components/schemas/InstanceConflictProblem", conflict["content"]!["application/problem+json"]!["schema"]!["$ref"]!.GetValue<string>());
    }
}
