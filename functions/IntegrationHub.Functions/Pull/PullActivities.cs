using System.Diagnostics;
using System.Globalization;
using IntegrationHub.Core.Parsing;
using IntegrationHub.Functions.Intake;
using IntegrationHub.Functions.Telemetry;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using IntegrationHub.Functions.Durable;

namespace IntegrationHub.Functions.Pull;

public sealed partial class PullActivities(
    IHttpClientFactory httpClients, IOptionsMonitor<PullOptions> options, IOptions<IntakeLimits> limits, FeedIntake intake, ILogger<PullActivities> logger)
{
    public const string HttpClientName = "department-pull";

    /// <summary>
    /// One attempt at the department's API; a failure throws so the orchestration's retry policy can try again.
    /// The body then goes the way a push does (<see cref="FeedIntake.ReceiveAsync"/>): judged, landed with its
    /// verdict and, when accepted, handed to its own ProcessFeed run.
    /// </summary>
    [Function(nameof(FetchFeed))]
    public async Task<FetchedFeed> FetchFeed([ActivityTrigger] FetchRequest request,
        [DurableClient] DurableTaskClient client, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(client);
        using var activity = HubTelemetry.StartFetching(request.Source, request.Period);
        var started = Stopwatch.GetTimestamp();
        try
        {
            var body = await FetchAsync(request, cancellationToken).ConfigureAwait(false);
            HubTelemetry.PullFetched(activity, request.Source, Stopwatch.GetElapsedTime(started), failure: null);
            var outcome = await intake.ReceiveAsync(request.Source, body, HubTelemetry.PullChannel, client, cancellationToken).ConfigureAwait(false);
            LogFetched(logger, request.Source, request.Period, body.Length, outcome.Verdict);
            var period = outcome.Period ?? request.Period;
            return new FetchedFeed(
                request.Source, period, outcome.ContentHash, outcome.Verdict == IntakeVerdict.Duplicate)
            {
                FeedId = outcome.FeedId,
                Accepted = outcome.Feed is not null,
                ProcessingInstanceId = outcome.Feed is not null ? InstanceIds.Feed(request.Source, period, outcome.ContentHash) : null,
            };
        }
        catch (Exception ex)
        {
            HubTelemetry.PullFetched(activity, request.Source, Stopwatch.GetElapsedTime(started), ex);
            throw;
        }
    }

    private async Task<byte[]> FetchAsync(FetchRequest request, CancellationToken cancellationToken)
    {
        var settings = options.CurrentValue;
        var source = settings.For(request.Source);
        var url = PullUrl.Build(settings, request.Source, request.Period);

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(source.TimeoutSeconds));
        using var message = new HttpRequestMessage(HttpMethod.Get, url);
        message.Headers.Accept.ParseAdd("application/json");
        if (!string.IsNullOrEmpty(source.ApiKey))
        {
            message.Headers.Add(PushFeedFunction.ApiKeyHeader, source.ApiKey);
        }

        byte[] body;
        try
        {
            using var response = await httpClients.CreateClient(HttpClientName)
                .SendAsync(message, HttpCompletionOption.ResponseHeadersRead, timeout.Token).ConfigureAwait(false);
            if ((int)response.StatusCode is >= 300 and < 400)
            {
                // Not followed, and not retried: the department moved, and only configuration may say where to.
                var target = response.Headers.Location is { } location ? new Uri(url, location).GetLeftPart(UriPartial.Authority) : "nowhere";
                LogRedirectRefused(logger, request.Source, request.Period, (int)response.StatusCode, target);
                throw new PullRefusedException(string.Create(CultureInfo.InvariantCulture,
                    $"{request.Source} answered {(int)response.StatusCode} redirecting to {target} for {request.Period}; pulls follow no "
                        + $"redirects. Set Pull__{PullUrl.SettingName(request.Source)}__BaseUrl to where the API is."));
            }

            if (!response.IsSuccessStatusCode)
            {
                LogFailed(logger, request.Source, request.Period, (int)response.StatusCode);
                throw new HttpRequestException(
                    string.Create(CultureInfo.InvariantCulture,
                        $"{request.Source} answered {(int)response.StatusCode} {response.ReasonPhrase} for {request.Period} "
                            + $"({url.GetLeftPart(UriPartial.Path)})."),
                    null, response.StatusCode);
            }

            body = await ReadLimitedAsync(response, limits.Value.MaxFeedBytes, timeout.Token).ConfigureAwait(false)
                ?? throw new PullRefusedException(string.Create(CultureInfo.InvariantCulture,
                    $"{request.Source} served more than {limits.Value.MaxFeedBytes} bytes for {request.Period}."));
        }
        catch (HttpRequestException ex) when (ex.InnerException is PullRefusedException refused)
        {
            // The connect step refused the address: a refusal, which the retry policy does not retry.
            LogTargetRefused(logger, request.Source, request.Period, refused.Message);
            throw new PullRefusedException(refused.Message);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            LogTimedOut(logger, request.Source, request.Period, source.TimeoutSeconds);
            throw new TimeoutException(string.Create(CultureInfo.InvariantCulture,
                $"{request.Source} did not answer within {source.TimeoutSeconds} s for {request.Period}."));
        }

        return body;
    }

    private static async Task<byte[]?> ReadLimitedAsync(HttpResponseMessage response, long maxBytes, CancellationToken cancellationToken)
    {
        if (response.Content.Headers.ContentLength > maxBytes)
        {
            return null;
        }

        var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            return await RequestBody.ReadAtMostAsync(stream, maxBytes, cancellationToken).ConfigureAwait(false);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Pulled {Source} {Period}: {Bytes} bytes, {Verdict}")]
    private static partial void LogFetched(ILogger logger, string source, string period, int bytes, IntakeVerdict verdict);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Pull of {Source} {Period} failed with HTTP {Status}; the retry policy decides what next")]
    private static partial void LogFailed(ILogger logger, string source, string period, int status);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Pull of {Source} {Period} refused: HTTP {Status} redirects to {Target}, and pulls follow no redirects")]
    private static partial void LogRedirectRefused(ILogger logger, string source, string period, int status, string target);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Pull of {Source} {Period} refused before connecting: {Reason}")]
    private static partial void LogTargetRefused(ILogger logger, string source, string period, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Pull of {Source} {Period} timed out after {Seconds} s; the retry policy decides what next")]
    private static partial void LogTimedOut(ILogger logger, string source, string period, int seconds);
}
