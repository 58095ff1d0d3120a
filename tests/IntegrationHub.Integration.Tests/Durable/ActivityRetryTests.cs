using IntegrationHub.Functions.Durable;
using Microsoft.DurableTask;

namespace IntegrationHub.Integration.Tests.Durable;

public sealed class ActivityRetryTests
{
    [Fact]
    public void IsWorkerLost_HostsOwnInvocationFailure_IsRetried()
    {
        // What the Functions host reported for ValidateFeed when the real-host suite killed the worker mid-activity.
        var lost = new TaskFailureDetails("Microsoft.Azure.WebJobs.Host.FunctionInvocationException",
            "Exception while executing function: Functions.ValidateFeed", null, null, null);

        Assert.True(ActivityRetry.IsWorkerLost(lost));
    }

    [Theory]
    [InlineData("System.InvalidOperationException", "Build of 2025-Q1 failed: no baseline")]
    [InlineData("System.Net.Http.HttpRequestException", "statistics answered 500 Internal Server Error for 2025-Q1")]
    public void IsWorkerLost_ExceptionTheActivityThrew_IsNotRetriedByTheDefaultPolicy(string type, string message)
    {
        Assert.False(ActivityRetry.IsWorkerLost(new TaskFailureDetails(type, message, null, null, null)));
    }
}
