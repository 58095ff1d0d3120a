using System.Diagnostics.Metrics;
using Azure;
using IntegrationHub.Functions.Audit;
using IntegrationHub.Functions.Access;
using IntegrationHub.Functions.Http;
using IntegrationHub.Functions.Intake;
using IntegrationHub.Functions.Ops;
using IntegrationHub.Functions.Storage;
using IntegrationHub.Functions.Telemetry;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Infrastructure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace IntegrationHub.Integration.Tests.Http;

/// <summary>
/// The request pipeline both hosts run around every HTTP function: each policy against each kind of caller, the answer
/// it gives, whether the function ran, the headers, and the audit lines of pushes (on real Blob storage, in a month of
/// the audit log no other test writes).
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class HubRequestPipelineTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private const string TransportKey = "transport-key";
    private const string EnvironmentKey = "environment-key";
    private const string OpsKey = "ops-key";

    private static int instances;

    // A time of its own per test, so the audit entries read back are this test's only.
    private readonly FixedClock clock = new(new DateTimeOffset(2090, 1, 1, 0, 0, 0, TimeSpan.Zero).AddMonths(Interlocked.Increment(ref instances)));

    private ServiceProvider services = null!;
    private int calls;

    public async Task InitializeAsync()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Access:Transport:Primary"] = TransportKey,
            ["Access:Environment:Secondary"] = EnvironmentKey,
            ["Access:Ops:Secondary"] = AccessOptions.HashOf(OpsKey),
            ["Access:RateLimit:PushPermitsPerMinute"] = "2",
            ["Access:RateLimit:OpsPermitsPerMinute"] = "2",
            ["Access:RateLimit:MaxConcurrentPushes"] = "1",
        }).Build();
        var collection = new ServiceCollection();
        collection.AddOptions<AccessOptions>().Bind(configuration.GetSection(AccessOptions.SectionName)).ValidateDataAnnotations();
        collection.AddSingleton<IValidateOptions<AccessOptions>>(new AccessOptionsValidation(inAzure: false));
        collection.AddSingleton<RequestRateLimits>();
        collection.AddSingleton<TimeProvider>(clock);
        collection.AddSingleton(typeof(Microsoft.Extensions.Logging.ILogger<>), typeof(NullLogger<>));
        collection.AddSingleton(azurite.Blobs);
        collection.AddSingleton<AuditLog>();
        collection.AddSingleton<AuditReader>();
        collection.AddSingleton<IConfiguration>(configuration);
        collection.AddOpsSignIn(configuration);
        collection.AddSingleton<AccessGate>();
        collection.AddSingleton<HubRequestPipeline>();
        services = collection.BuildServiceProvider();
        await azurite.Blobs.GetBlobContainerClient(HubContainers.Audit).CreateIfNotExistsAsync();
    }

    public async Task DisposeAsync() => await services.DisposeAsync();

    [Theory]
    [InlineData(null)]
    [InlineData(TransportKey)]
    [InlineData("nobody's-key")]
    public async Task Anonymous_AnyCaller_RunsTheFunctionAsAnonymous_WithCacheableApiHeaders(string? key)
    {
        var (answer, context) = await RunAsync(new AccessAttribute(AccessPolicy.Anonymous), key);

        Assert.Equal(StatusCodes.Status200OK, Status(answer));
        Assert.Equal(1, calls);
        Assert.True(Admitted(context).Caller.IsAnonymous);
        Assert.Equal(SecurityHeaders.ApiPolicy, context.Response.Headers.ContentSecurityPolicy.ToString());
        Assert.Equal("nosniff", context.Response.Headers.XContentTypeOptions.ToString());
        Assert.Equal("DENY", context.Response.Headers.XFrameOptions.ToString());
        Assert.Equal("no-referrer", context.Response.Headers["Referrer-Policy"].ToString());
        Assert.Empty(context.Response.Headers.CacheControl.ToString());
    }

    [Theory]
    [InlineData(AccessPolicy.Anonymous, "https", null, true)]
    [InlineData(AccessPolicy.Page, "https", null, true)]
    [InlineData(AccessPolicy.AnyKey, "https", null, true)]
    [InlineData(AccessPolicy.Ops, "https", null, true)]
    [InlineData(AccessPolicy.OwnSource, "https", null, true)]
    [InlineData(AccessPolicy.Anonymous, "http", "https", true)]
    [InlineData(AccessPolicy.Anonymous, "http", null, false)]
    [InlineData(AccessPolicy.Page, "http", "http", false)]
    public async Task EveryPolicy_AnswerServedOverHttps_CarriesHsts_PlainHttpDoesNot(AccessPolicy policy, string scheme, string? forwardedProto, bool hsts)
    {
        // Refusals too: the 401 of a keyed route without a key is an answer over https like any other.
        var (_, context) = await RunAsync(new AccessAttribute(policy), null, source: "transport", scheme: scheme, forwardedProto: forwardedProto);

        Assert.Equal(hsts ? "max-age=31536000; includeSubDomains" : "", context.Response.Headers.StrictTransportSecurity.ToString());
    }

    [Fact]
    public async Task Page_RunsTheFunction_WithThePagePolicy()
    {
        var (answer, context) = await RunAsync(new AccessAttribute(AccessPolicy.Page), null);

        Assert.Equal(StatusCodes.Status200OK, Status(answer));
        Assert.Equal(SecurityHeaders.PagePolicy, context.Response.Headers.ContentSecurityPolicy.ToString());
        Assert.Equal("nosniff", context.Response.Headers.XContentTypeOptions.ToString());
    }

    [Theory]
    [InlineData(null)]
    [InlineData("nobody's-key")]
    public async Task AnyKey_NoOrUnknownKey_401_FunctionNotRun(string? key)
    {
        var (answer, context) = await RunAsync(new AccessAttribute(AccessPolicy.AnyKey), key);

        AssertProblem(answer, StatusCodes.Status401Unauthorized, "Missing or unknown API key", "Send your key in the 'x-api-key' header.");
        Assert.Equal(0, calls);
        Assert.Equal(SecurityHeaders.KeyedCaching, context.Response.Headers.CacheControl.ToString());
    }

    [Theory]
    [InlineData(TransportKey, "transport", "primary")]
    [InlineData(EnvironmentKey, "environment", "secondary")]
    [InlineData(OpsKey, "ops", "secondary")]
    public async Task AnyKey_KnownKey_RunsTheFunctionAsItsPrincipal_NotStored(string key, string principal, string slot)
    {
        var (answer, context) = await RunAsync(new AccessAttribute(AccessPolicy.AnyKey), key);

        Assert.Equal(StatusCodes.Status200OK, Status(answer));
        Assert.Equal(new Caller(principal, slot), Admitted(context).Caller);
        Assert.Equal(SecurityHeaders.KeyedCaching, context.Response.Headers.CacheControl.ToString());
        Assert.Equal(SecurityHeaders.ApiPolicy, context.Response.Headers.ContentSecurityPolicy.ToString());
    }

    [Theory]
    [InlineData(null, StatusCodes.Status401Unauthorized, "Missing or unknown API key",
        "Sign in with Entra ID (Authorization: Bearer), or in local development send the ops key in the 'x-api-key' header.")]
    [InlineData("nobody's-key", StatusCodes.Status401Unauthorized, "Missing or unknown API key",
        "Sign in with Entra ID (Authorization: Bearer), or in local development send the ops key in the 'x-api-key' header.")]
    [InlineData(TransportKey, StatusCodes.Status403Forbidden, "Ops only", "This key may not use the ops surface.")]
    public async Task Ops_NotTheOpsKey_Refused_FunctionNotRun(string? key, int status, string title, string detail)
    {
        var (answer, context) = await RunAsync(new AccessAttribute(AccessPolicy.Ops), key);

        AssertProblem(answer, status, title, detail);
        Assert.Equal(0, calls);
        Assert.Equal(SecurityHeaders.KeyedCaching, context.Response.Headers.CacheControl.ToString());
    }

    [Fact]
    public async Task Ops_DepartmentKey_OnARouteWithItsOwnRefusal_IsToldThat()
    {
        var (answer, _) = await RunAsync(new AccessAttribute(AccessPolicy.Ops) { Forbidden = "Only the ops key may start pulls." }, EnvironmentKey);

        AssertProblem(answer, StatusCodes.Status403Forbidden, "Ops only", "Only the ops key may start pulls.");
    }

    [Fact]
    public async Task Ops_OpsKey_RunsAsTheOpsActorWithItsSlot_UntilItsBudgetIsUsed_Then429WithRetryAfter()
    {
        var access = new AccessAttribute(AccessPolicy.Ops);
        for (var i = 0; i < 2; i++)
        {
            var (admitted, context) = await RunAsync(access, OpsKey);
            Assert.Equal(StatusCodes.Status200OK, Status(admitted));
            Assert.Equal(new OpsActor("ops", "secondary"), OpsActor.Of(Admitted(context).Caller));
        }

        var (answer, refused) = await RunAsync(access, OpsKey);

        Assert.Equal(StatusCodes.Status429TooManyRequests, Status(answer));
        Assert.Equal(2, calls);
        var seconds = int.Parse(refused.Response.Headers.RetryAfter.ToString(), System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(seconds, 1, 30);
        Assert.Equal(seconds, Problem(answer).Extensions["retryAfter"]);
    }

    [Fact]
    public async Task OwnSource_UnknownSource_404BeforeTheKey_AuditedForAKeyHolder()
    {
        var (answer, _) = await RunAsync(new AccessAttribute(AccessPolicy.OwnSource), TransportKey, source: "weather");

        AssertProblem(answer, StatusCodes.Status404NotFound, "Unknown source",
            "'weather' is not a feed source; use one of: statistics, power-grid, transport, environment.");
        Assert.Equal(0, calls);
        var entry = Assert.Single(await AuditAsync());
        Assert.Equal(("push", "feeds/weather", "not-found", 404), (entry.Action, entry.Target, entry.Outcome, entry.Status));
        Assert.Equal(("transport", "primary"), (entry.Actor, entry.KeySlot));
    }

    [Theory]
    [InlineData(null, "weather", StatusCodes.Status404NotFound)]
    [InlineData("nobody's-key", "weather", StatusCodes.Status404NotFound)]
    [InlineData(null, "transport", StatusCodes.Status401Unauthorized)]
    [InlineData("nobody's-key", "transport", StatusCodes.Status401Unauthorized)]
    public async Task OwnSource_RefusedWithoutAValidKey_NotAudited_CountedInTelemetry(string? key, string source, int status)
    {
        using var refusals = new RefusalCounter();

        var (answer, context) = await RunAsync(new AccessAttribute(AccessPolicy.OwnSource), key, source: source);

        Assert.Equal(status, Status(answer));
        Assert.Equal(0, calls);
        Assert.Equal(SecurityHeaders.KeyedCaching, context.Response.Headers.CacheControl.ToString());
        Assert.Empty(await AuditAsync());
        Assert.Equal([("push", status)], refusals.Seen);
    }

    [Theory]
    [InlineData(EnvironmentKey, "This key belongs to 'environment' and may not push 'transport' feeds.", "environment")]
    [InlineData(OpsKey, "This key belongs to 'ops' and may not push 'transport' feeds.", "ops")]
    public async Task OwnSource_NotThisSourcesKey_Refused_FunctionNotRun_Audited(string key, string detail, string actor)
    {
        var (answer, context) = await RunAsync(new AccessAttribute(AccessPolicy.OwnSource), key, source: "transport");

        AssertProblem(answer, StatusCodes.Status403Forbidden, "Not your source", detail);
        Assert.Equal(0, calls);
        Assert.Equal(SecurityHeaders.KeyedCaching, context.Response.Headers.CacheControl.ToString());
        var entry = Assert.Single(await AuditAsync());
        Assert.Equal((actor, "push", "feeds/transport", "refused", 403, $"Not your source: {detail}"),
            (entry.Actor, entry.Action, entry.Target, entry.Outcome, entry.Status, entry.Detail));
    }

    [Fact]
    public async Task OwnSource_KeyHolderSendsALongSourceWithLineBreaks_TheAuditLineKeepsItCappedOnOneLine()
    {
        // 5,000 characters of URL text with a forged second line and a right-to-left override in it.
        var source = "x\n{\"actor\":\"ops\"}\u202E" + new string('a', 5000);

        var (answer, _) = await RunAsync(new AccessAttribute(AccessPolicy.OwnSource), TransportKey, source: source);

        Assert.Equal(StatusCodes.Status404NotFound, Status(answer));
        var entry = Assert.Single(await AuditAsync());
        Assert.Equal(256, entry.Target.Length);
        Assert.StartsWith("feeds/x{\"actor\":\"ops\"}aaa", entry.Target, StringComparison.Ordinal);
        Assert.EndsWith("a…", entry.Target, StringComparison.Ordinal);
        Assert.Equal(1024, entry.Detail!.Length);
        Assert.DoesNotContain('\n', entry.Detail);
        Assert.DoesNotContain('\u202E', entry.Detail);
    }

    [Fact]
    public async Task OwnSource_MorePushesInProgressThanAllowed_429WithRetryAfter_OtherDepartmentGoesOn()
    {
        using var busy = new SemaphoreSlim(0);
        var access = new AccessAttribute(AccessPolicy.OwnSource);

        // A transport push held in its function: the department's limit of pushes in progress (1 here); the second is
        // within the rate (2 a minute) but over that limit.
        var held = RunAsync(access, TransportKey, source: "transport", wait: busy);
        var (third, context) = await RunAsync(access, TransportKey, source: "transport");
        var (environment, _) = await RunAsync(access, EnvironmentKey, source: "environment");

        busy.Release();
        await held;
        Assert.Equal(StatusCodes.Status429TooManyRequests, Status(third));
        Assert.Equal("2", context.Response.Headers.RetryAfter.ToString());
        Assert.Equal(2, Problem(third).Extensions["retryAfter"]);
        Assert.Equal("'transport' has as many pushes in progress as it may; try again in 2 s.", Problem(third).Detail);
        Assert.Equal(StatusCodes.Status200OK, Status(environment));
        Assert.Equal(StatusCodes.Status200OK, Status((await held).Answer));
        Assert.Equal(2, calls);
    }

    [Fact]
    public async Task OwnSource_OwnKey_RunsTheFunction_AuditsItsFeedId_UntilTheBudgetIsUsed_Then429()
    {
        var access = new AccessAttribute(AccessPolicy.OwnSource);
        for (var i = 0; i < 2; i++)
        {
            var (accepted, context) = await RunAsync(access, TransportKey, source: "transport", feedId: $"transport-2024-0{i + 1}-r0-feed");
            Assert.Equal(StatusCodes.Status200OK, Status(accepted));
            Assert.Equal(new Caller("transport", "primary"), Admitted(context).Caller);
        }

        var (answer, refused) = await RunAsync(access, TransportKey, source: "transport");

        Assert.Equal(StatusCodes.Status429TooManyRequests, Status(answer));
        Assert.False(string.IsNullOrEmpty(refused.Response.Headers.RetryAfter.ToString()));
        Assert.Equal(2, calls);
        Assert.Equal(
            [("feeds/transport", "rate-limited", 429), ("transport-2024-01-r0-feed", "duplicate", 200), ("transport-2024-02-r0-feed", "duplicate", 200)],
            (await AuditAsync()).Select(e => (e.Target, e.Outcome, e.Status)).OrderBy(e => e.Target, StringComparer.Ordinal).ToList());
    }

    [Fact]
    public async Task OwnSource_ValidateAction_AuditedAsValidate_OnThePushBudget_RefusalWithoutKeyCountedAsValidate()
    {
        var validate = new AccessAttribute(AccessPolicy.OwnSource) { AuditAction = AccessGate.ValidateAction };
        using var refusals = new RefusalCounter(AccessGate.ValidateAction);

        var (valid, _) = await RunAsync(validate, TransportKey, source: "transport", feedId: "transport-2024-01-r0-checked");
        var (foreign, _) = await RunAsync(validate, EnvironmentKey, source: "transport");
        var (push, _) = await RunAsync(new AccessAttribute(AccessPolicy.OwnSource), TransportKey, source: "transport");
        var (overBudget, _) = await RunAsync(validate, TransportKey, source: "transport");
        var (anonymous, _) = await RunAsync(validate, null, source: "transport");

        // The budget is 2 a minute: one validation and one push spend it, whichever route is used next.
        Assert.Equal([200, 403, 200, 429, 401], new[] { valid, foreign, push, overBudget, anonymous }.Select(Status));
        Assert.Equal(
            [("environment", "validate", "feeds/transport", "refused", 403), ("transport", "push", "feeds/transport", "duplicate", 200),
                ("transport", "validate", "feeds/transport", "rate-limited", 429), ("transport", "validate", "transport-2024-01-r0-checked", "valid", 200)],
            (await AuditAsync()).Select(e => (e.Actor, e.Action, e.Target, e.Outcome, e.Status)).Order().ToList());
        Assert.Equal([("validate", 401)], refusals.Seen);
    }

    [Fact]
    public async Task AnyPolicy_StorageUnreachable_503WithRetryAfterAndDependency_PushNotAudited()
    {
        foreach (var policy in Enum.GetValues<AccessPolicy>())
        {
            var key = policy == AccessPolicy.Ops ? OpsKey : TransportKey;
            var (answer, context) =
                await RunAsync(new AccessAttribute(policy), key, source: "transport",
                fail: new RequestFailedException(0, "Connection refused"));

            var executed = await ExecuteAsync(answer, context);
            Assert.True(executed.StatusCode == StatusCodes.Status503ServiceUnavailable, $"{policy}: {executed.StatusCode}");
            Assert.Equal("10", executed.Headers.RetryAfter.ToString());
        }

        Assert.Empty(await AuditAsync());
    }

    [Fact]
    public async Task AnyPolicy_ABug_IsNotAnOutage_TheExceptionGoesOn()
    {
        await Assert.ThrowsAsync<InvalidOperationException>(() =>
            RunAsync(new AccessAttribute(AccessPolicy.Anonymous), null, fail: new InvalidOperationException("a bug")));
    }

    private async Task<(IActionResult Answer, HttpContext Context)> RunAsync(
        AccessAttribute access, string? key, string? source = null, string? feedId = null, Exception? fail = null, SemaphoreSlim? wait = null,
        string scheme = "http", string? forwardedProto = null)
    {
        var context = new DefaultHttpContext { RequestServices = services };
        context.Request.Scheme = scheme;
        if (forwardedProto is not null)
        {
            context.Request.Headers["X-Forwarded-Proto"] = forwardedProto;
        }

        if (key is not null)
        {
            context.Request.Headers[AccessGate.ApiKeyHeader] = key;
        }

        if (source is not null)
        {
            context.Request.RouteValues[HubRequestPipeline.SourceRouteValue] = source;
        }

        var answer = await services.GetRequiredService<HubRequestPipeline>().RunAsync(context, "TestFunction", access, async () =>
        {
            Interlocked.Increment(ref calls);
            if (wait is not null)
            {
                await wait.WaitAsync();
            }

            if (fail is not null)
            {
                throw fail;
            }

            if (feedId is not null)
            {
                context.Request.Admitted().FeedId = feedId;
            }

            return (IActionResult)new OkObjectResult(new { ok = true });
        });
        return (answer, context);
    }

    private async Task<IReadOnlyList<AuditEntry>> AuditAsync() =>
        [.. (await services.GetRequiredService<AuditReader>().ReadAsync(
            AuditFilter.None with { From = clock.GetUtcNow() }, 100, null, CancellationToken.None)).Entries
            .Where(e => e.At == clock.GetUtcNow())];

    // Executes a result that is not an ObjectResult (the 503) the way the hosts do, against a response of its own.
    private async Task<HttpResponse> ExecuteAsync(IActionResult answer, HttpContext context)
    {
        var web = new ServiceCollection().AddLogging().AddMvcCore().Services.BuildServiceProvider();
        context.RequestServices = web;
        context.Response.Body = new MemoryStream();
        await answer.ExecuteResultAsync(new ActionContext(context, new Microsoft.AspNetCore.Routing.RouteData(),
            new Microsoft.AspNetCore.Mvc.Abstractions.ActionDescriptor()));
        return context.Response;
    }

    private static AdmittedCall Admitted(HttpContext context) => Assert.IsType<AdmittedCall>(context.Features.Get<AdmittedCall>());

    private static int? Status(IActionResult answer) => (answer as IStatusCodeActionResult)?.StatusCode;

    private static ProblemDetails Problem(IActionResult answer) => Assert.IsType<ProblemDetails>(Assert.IsType<ObjectResult>(answer).Value);

    private static void AssertProblem(IActionResult answer, int status, string title, string detail)
    {
        Assert.Equal(status, Status(answer));
        var problem = Problem(answer);
        Assert.Equal((status, title, detail), (problem.Status, problem.Title, problem.Detail));
    }

    // The measurements of HubTelemetry.Instruments.AnonymousRefused on one route (pushes by default) while it is alive.
    private sealed class RefusalCounter : IDisposable
    {
        private readonly MeterListener listener = new();
        private readonly List<(string Route, int Status)> seen = [];

        public RefusalCounter(string counted = "push")
        {
            listener.InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Name == HubTelemetry.Name && instrument.Name == HubTelemetry.Instruments.AnonymousRefused)
                {
                    l.EnableMeasurementEvents(instrument);
                }
            };
            listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
            {
                var route = "";
                var status = 0;
                foreach (var tag in tags)
                {
                    route = tag.Key == HubTelemetry.Tags.Route ? (string)tag.Value! : route;
                    status = tag.Key == HubTelemetry.Tags.Status ? (int)tag.Value! : status;
                }

                if (route == counted)
                {
                    lock (seen)
                    {
                        seen.AddRange(Enumerable.Repeat((route, status), (int)value));
                    }
                }
            });
            listener.Start();
        }

        public IReadOnlyList<(string Route, int Status)> Seen
        {
            get
            {
                lock (seen)
                {
                    return [.. seen];
                }
            }
        }

        public void Dispose() => listener.Dispose();
    }

    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
