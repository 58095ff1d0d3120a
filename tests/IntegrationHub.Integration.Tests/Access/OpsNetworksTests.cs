using System.Diagnostics.Metrics;
using System.Net;
using Azure.Storage.Blobs;
using IntegrationHub.Functions.Audit;
using IntegrationHub.Functions;
using IntegrationHub.Functions.Access;
using IntegrationHub.Functions.Http;
using IntegrationHub.Functions.Telemetry;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Infrastructure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace IntegrationHub.Integration.Tests.Access;

/// <summary>
/// The network allow-list of the ops surface: which addresses a list admits, which lists stop the start, and the
/// request pipeline judging the connection's address, never an address header the caller wrote.
/// </summary>
public sealed class OpsNetworksTests : IDisposable
{
    private const string OpsKey = "ops-key";
    private const string Allowed = "203.0.113.0/24, 2001:db8::/32, 198.51.100.7";

    private readonly ServiceProvider services;
    private int calls;

    public OpsNetworksTests()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Access:Ops:Primary"] = OpsKey,
            ["Access:Ops:AllowedNetworks"] = Allowed,
        }).Build();
        var collection = new ServiceCollection();
        collection.AddOptions<AccessOptions>().Bind(configuration.GetSection(AccessOptions.SectionName)).ValidateDataAnnotations();
        collection.AddSingleton<IValidateOptions<AccessOptions>>(new AccessOptionsValidation(inAzure: false));
        collection.AddSingleton<RequestRateLimits>();
        collection.AddSingleton(TimeProvider.System);
        collection.AddSingleton(typeof(Microsoft.Extensions.Logging.ILogger<>), typeof(NullLogger<>));

        // Never reached: a refusal for the network is not audited, and the admitted calls here are actions, which the
        // pipeline leaves to their service to audit.
        collection.AddSingleton(new BlobServiceClient(new Uri("http://127.0.0.1:9/devstoreaccount1")));
        collection.AddSingleton<AuditLog>();
        collection.AddSingleton<IConfiguration>(configuration);
        collection.AddOpsSignIn(configuration);
        collection.AddSingleton<AccessGate>();
        collection.AddSingleton<HubRequestPipeline>();
        services = collection.BuildServiceProvider();
    }

    public void Dispose() => services.Dispose();

    [Theory]
    [InlineData("203.0.113.1", true)]
    [InlineData("203.0.113.255", true)]
    [InlineData("203.0.114.0", false)]
    [InlineData("203.0.112.255", false)]
    [InlineData("198.51.100.7", true)] // a single address is a /32
    [InlineData("198.51.100.8", false)]
    [InlineData("2001:db8:ffff:1::9", true)]
    [InlineData("2001:db9::1", false)]
    [InlineData("::ffff:203.0.113.9", true)] // IPv4 as a dual-stack socket reports it
    [InlineData("::ffff:203.0.114.9", false)]
    [InlineData("::ffff:198.51.100.7", true)]
    [InlineData("127.0.0.1", false)]
    [InlineData("::1", false)]
    public void Admits_TheAddressesInsideTheRangesOnly(string address, bool admitted)
    {
        var networks = OpsNetworks.Parse(Allowed, out var errors);

        Assert.Empty(errors);
        Assert.Equal(admitted, networks!.Admits(IPAddress.Parse(address)));
    }

    [Theory]
    [InlineData("10.2.3.4", true)]
    [InlineData("::ffff:10.255.0.1", true)]
    [InlineData("11.0.0.1", false)]
    [InlineData("::ffff:11.0.0.1", false)]
    public void Admits_ARangeWrittenAsMappedIPv4_IsThatIPv4Range(string address, bool admitted)
    {
        // ::ffff:10.0.0.0/104 is 10.0.0.0/8 (104 - 96 = 8 bits of the IPv4 address).
        var networks = OpsNetworks.Parse("::ffff:10.0.0.0/104", out _);

        Assert.Equal(admitted, networks!.Admits(IPAddress.Parse(address)));
    }

    [Fact]
    public void Admits_NoList_EveryAddressEvenUnknown_AListRefusesAnUnknownAddress()
    {
        var none = OpsNetworks.Parse("  ", out var errors);

        Assert.Empty(errors);
        Assert.False(none!.IsRestricted);
        Assert.True(none.Admits(IPAddress.Parse("192.0.2.1")));
        Assert.True(none.Admits(null));
        Assert.False(OpsNetworks.Parse(Allowed, out _)!.Admits(null));
    }

    [Fact]
    public void Validate_EntriesThatAreNoNetwork_StopTheStartNamingEachEntry()
    {
        var options = new AccessOptions { Ops = new OpsAccessOptions { AllowedNetworks = "10.1.2.3/8, 10.0.0.0/33, office, 10, 203.0.113.0/24" } };

        var result = new AccessOptionsValidation(inAzure: false).Validate(null, options);

        Assert.True(result.Failed);
        var failures = result.Failures.ToList();
        Assert.Equal(4, failures.Count);
        Assert.All(failures, f => Assert.StartsWith("Access__Ops__AllowedNetworks: '", f, StringComparison.Ordinal));
        Assert.Contains("'10.1.2.3/8'", failures[0], StringComparison.Ordinal); // bits after the prefix: 10.0.0.0/8 or a /32?
        Assert.Contains("'10.0.0.0/33'", failures[1], StringComparison.Ordinal);
        Assert.Contains("'office'", failures[2], StringComparison.Ordinal);
        Assert.Contains("'10'", failures[3], StringComparison.Ordinal); // IPAddress would read it as 0.0.0.10
    }

    [Fact]
    public void Validate_InAzure_ALoopbackRange_StopsTheStart_LocallyItIsAllowed()
    {
        var options = new AccessOptions { Ops = new OpsAccessOptions { AllowedNetworks = "127.0.0.0/8, ::1, 203.0.113.0/24" } };

        var inAzure = new AccessOptionsValidation(inAzure: true).Validate(null, options);
        var local = new AccessOptionsValidation(inAzure: false).Validate(null, options);

        Assert.Equal(
            [
                "Access__Ops__AllowedNetworks: 127.0.0.0/8 holds a loopback address, which in Azure would admit a call whose address was lost.",
                "Access__Ops__AllowedNetworks: ::1/128 holds a loopback address, which in Azure would admit a call whose address was lost.",
            ],
            inAzure.Failures);
        Assert.True(local.Succeeded);
    }

    [Fact]
    public void AppSettingNames_IncludeTheAllowList_UnderTheNameTheDocsGive()
    {
        Assert.Contains(OpsNetworks.Setting, HubSettings.AppSettingNames());
        Assert.Equal("Access__Ops__AllowedNetworks", OpsNetworks.Setting);
    }

    [Fact]
    public async Task Ops_FromOutside_403_ForgedAddressHeadersIgnored_NothingRun_Counted()
    {
        using var counter = new NetworkRefusals();

        // The caller writes every address header a proxy might, each naming an allowed address; its connection does not.
        var (answer, context) = await RunAsync(AccessPolicy.Ops, "198.18.0.5", context =>
        {
            context.Request.Headers["X-Forwarded-For"] = "203.0.113.10, 203.0.113.11";
            context.Request.Headers["X-Client-IP"] = "203.0.113.10";
            context.Request.Headers["CLIENT-IP"] = "203.0.113.10:443";
            context.Request.Headers["X-Original-For"] = "203.0.113.10";
            context.Request.Headers["Forwarded"] = "for=203.0.113.10";
        });

        Assert.Equal(StatusCodes.Status403Forbidden, Status(answer));
        var problem = Assert.IsType<ProblemDetails>(((ObjectResult)answer).Value);
        Assert.Equal("Not from an ops network", problem.Title);
        Assert.DoesNotContain("198.18", problem.Detail, StringComparison.Ordinal);
        Assert.DoesNotContain("203.0.113", problem.Detail, StringComparison.Ordinal);
        Assert.Equal(0, calls);
        Assert.Equal(["ops"], counter.Seen);
        Assert.Equal("no-store", context.Response.Headers.CacheControl.ToString());
    }

    [Theory]
    [InlineData("203.0.113.40")]
    [InlineData("198.51.100.7")]
    [InlineData("2001:db8:0:1::5")]
    [InlineData("::ffff:203.0.113.40")]
    public async Task Ops_FromAnAllowedNetwork_WithTheOpsKey_Runs(string address)
    {
        var (answer, _) = await RunAsync(AccessPolicy.Ops, address);

        Assert.Equal(StatusCodes.Status200OK, Status(answer));
        Assert.Equal(1, calls);
    }

    [Theory]
    [InlineData("::ffff:198.18.0.5")]
    [InlineData("2001:db9::5")]
    public async Task Ops_FromOutside_MappedIPv4AndIPv6_403(string address)
    {
        var (answer, _) = await RunAsync(AccessPolicy.Ops, address);

        Assert.Equal(StatusCodes.Status403Forbidden, Status(answer));
        Assert.Equal(0, calls);
    }

    [Fact]
    public async Task ConsoleAndItsSignInSettings_FromOutside_403_TheDashboardAndPublicRoutesStillAnswer()
    {
        using var counter = new NetworkRefusals();

        var (console, _) = await RunAsync(AccessPolicy.Page, "198.18.0.5", opsNetwork: true);
        var (signIn, _) = await RunAsync(AccessPolicy.Anonymous, "198.18.0.5", opsNetwork: true);
        Assert.Equal((StatusCodes.Status403Forbidden, StatusCodes.Status403Forbidden), (Status(console), Status(signIn)));
        Assert.Equal(0, calls);
        Assert.Equal(["console", "console"], counter.Seen);

        var (dashboard, _) = await RunAsync(AccessPolicy.Page, "198.18.0.5");
        var (published, _) = await RunAsync(AccessPolicy.Anonymous, "198.18.0.5");
        var (consoleInside, _) = await RunAsync(AccessPolicy.Page, "203.0.113.40", opsNetwork: true);
        Assert.Equal((200, 200, 200), (Status(dashboard), Status(published), Status(consoleInside)));
        Assert.Equal(3, calls);
    }

    private static int Status(IActionResult answer) => (answer as IStatusCodeActionResult)?.StatusCode ?? StatusCodes.Status200OK;

    private async Task<(IActionResult Answer, HttpContext Context)> RunAsync(
        AccessPolicy policy, string address, Action<HttpContext>? arrange = null, bool opsNetwork = false)
    {
        var context = new DefaultHttpContext { RequestServices = services };
        context.Connection.RemoteIpAddress = IPAddress.Parse(address);
        context.Request.Method = policy == AccessPolicy.Ops ? HttpMethods.Post : HttpMethods.Get;
        context.Request.Path = policy == AccessPolicy.Ops ? "/api/ops/replay-failed" : "/api/console";
        context.Request.Headers[AccessGate.ApiKeyHeader] = OpsKey;
        arrange?.Invoke(context);
        var access = new AccessAttribute(policy) { OpsNetwork = opsNetwork };
        var answer = await services.GetRequiredService<HubRequestPipeline>().RunAsync(context, "TestFunction", access, () =>
        {
            Interlocked.Increment(ref calls);
            return Task.FromResult<IActionResult>(new OkObjectResult(new { ok = true }));
        });
        return (answer, context);
    }

    /// <summary>The route tags of <see cref="HubTelemetry.Instruments.OpsNetworkRefused"/> measured while it is alive.</summary>
    private sealed class NetworkRefusals : IDisposable
    {
        private readonly MeterListener listener = new();
        private readonly List<string> seen = [];

        public NetworkRefusals()
        {
            listener.InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Name == HubTelemetry.Name && instrument.Name == HubTelemetry.Instruments.OpsNetworkRefused)
                {
                    l.EnableMeasurementEvents(instrument);
                }
            };
            listener.SetMeasurementEventCallback<long>((_, _, tags, _) =>
            {
                foreach (var tag in tags)
                {
                    if (tag.Key == HubTelemetry.Tags.Route)
                    {
                        lock (seen)
                        {
                            seen.Add((string)tag.Value!);
                        }
                    }
                }
            });
            listener.Start();
        }

        public IReadOnlyList<string> Seen
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
}
