using Azure;
using Azure.Storage.Blobs;
using Grpc.Core;
using IntegrationHub.Functions.Resilience;
using IntegrationHub.Integration.Tests.Datasets;

namespace IntegrationHub.Integration.Tests.Resilience;

/// <summary>
/// Which failures of an HTTP function are a dependency outage (503 with Retry-After, the dependency named) and which
/// stay errors of the hub (500): the rule both hosts apply around every HTTP function.
/// </summary>
public sealed class DependencyOutageTests
{
    [Fact]
    public async Task Of_StorageRefusingConnections_AnswersA503ProblemWithRetryAfterNamingStorage()
    {
        // A real client with the hub's retry settings against a port nobody listens on: what a stopped storage looks like.
        var options = new BlobClientOptions();
        StorageRetry.Apply(options);
        var client = new BlobServiceClient(new Uri($"http://127.0.0.1:{ClosedPort()}/devstoreaccount1"), options);
        var failure = await Assert.ThrowsAnyAsync<Exception>(() => client.GetPropertiesAsync());

        var outage = DependencyOutage.Of(failure, CancellationToken.None);

        Assert.NotNull(outage);
        Assert.Equal(DependencyOutage.Storage, outage.Dependency);
        var answer = await HttpHarness.Execute(HttpHarness.Get("/api/datasets"), outage.ToResult());
        Assert.Equal(503, answer.Status);
        Assert.Equal("10", answer.Headers.RetryAfter.ToString());
        Assert.StartsWith("application/problem+json", answer.ContentType, StringComparison.Ordinal);
        Assert.Equal("storage", answer.Json.GetProperty("dependency").GetString());
        Assert.Equal(503, answer.Json.GetProperty("status").GetInt32());
        Assert.Contains("try again in 10 s", answer.Json.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ToResult_TellsTheCallerNothingOfWhatWasSeen_TheLogKeepsIt()
    {
        var outage = DependencyOutage.Of(
            new RequestFailedException(
                0, "Connection refused (hubstorage-prod.internal.example:443)",
                new HttpRequestException("No such host is known. (hubstorage-prod.internal.example:443)")),
            CancellationToken.None)!;

        var answer = await HttpHarness.Execute(HttpHarness.Get("/api/feeds/transport"), outage.ToResult());

        Assert.Equal(503, answer.Status);
        Assert.Equal(
            "A service the hub depends on is unavailable. Sending the same request again is safe; try again in 10 s.",
            answer.Json.GetProperty("detail").GetString());
        Assert.DoesNotContain("hubstorage-prod", System.Text.Encoding.UTF8.GetString(answer.Body), StringComparison.Ordinal);
        Assert.Contains("hubstorage-prod.internal.example", outage.Detail, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(500)]
    [InlineData(503)]
    [InlineData(504)]
    public void Of_StorageStillFailingAfterItsRetries_IsAStorageOutage(int status)
    {
        var outage = DependencyOutage.Of(new RequestFailedException(status, "Server busy", "ServerBusy", null), CancellationToken.None);

        Assert.Equal(DependencyOutage.Storage, outage?.Dependency);
    }

    [Fact]
    public void Of_TaskHubUnavailable_IsATaskHubOutage()
    {
        var outage =
            DependencyOutage.Of(new RpcException(new Status(StatusCode.Unavailable, "The task hub's storage is unavailable.")), CancellationToken.None);

        Assert.Equal(DependencyOutage.TaskHub, outage?.Dependency);
    }

    [Fact]
    public void Of_StorageFailureWrappedByTheHub_IsStillAStorageOutage()
    {
        var outage =
            DependencyOutage.Of(
            new InvalidOperationException("Could not record the verdict.", new RequestFailedException(0, "Connection refused")), CancellationToken.None);

        Assert.Equal(DependencyOutage.Storage, outage?.Dependency);
    }

    [Theory]
    [InlineData(400)]
    [InlineData(404)]
    [InlineData(409)]
    [InlineData(412)]
    public void Of_StorageRefusingTheRequestItself_IsNoOutage(int status)
    {
        // The hub asked for something wrong: a bug (500), not a reason for the caller to wait.
        Assert.Null(DependencyOutage.Of(new RequestFailedException(status, "Refused", "Refused", null), CancellationToken.None));
    }

    [Fact]
    public void Of_AHubBug_IsNoOutage()
    {
        Assert.Null(DependencyOutage.Of(new InvalidOperationException("The latest pointer never moves back."), CancellationToken.None));
        Assert.Null(DependencyOutage.Of(new RpcException(new Status(StatusCode.InvalidArgument, "Bad instance id.")), CancellationToken.None));
    }

    [Fact]
    public void Of_CallerWentAway_IsNoOutage()
    {
        using var aborted = new CancellationTokenSource();
        aborted.Cancel();

        Assert.Null(DependencyOutage.Of(new TaskCanceledException(), aborted.Token));
        Assert.Null(DependencyOutage.Of(new RequestFailedException(0, "Connection refused"), aborted.Token));
    }

    private static int ClosedPort() => Ports.Free();
}
