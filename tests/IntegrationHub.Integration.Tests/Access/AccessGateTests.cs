using Azure.Storage.Blobs;
using IntegrationHub.Functions.Audit;
using IntegrationHub.Functions.Access;
using IntegrationHub.Functions.Intake;
using IntegrationHub.Functions.Ops;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Configuration.Memory;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace IntegrationHub.Integration.Tests.Access;

/// <summary>Who the gate says a request comes from, with the options bound and validated as the hub registers them.</summary>
public sealed class AccessGateTests : IDisposable
{
    private readonly IConfigurationRoot configuration = new ConfigurationBuilder()
        .AddInMemoryCollection(
            new Dictionary<string, string?> { ["Access:Transport:Primary"] = "transport-key", ["Access:Ops:Secondary"] = AccessOptions.HashOf("ops-key") })
        .Build();

    private readonly ServiceProvider services;

    public AccessGateTests()
    {
        var collection = new ServiceCollection();
        collection.AddOptions<AccessOptions>().Bind(configuration.GetSection(AccessOptions.SectionName)).ValidateDataAnnotations();
        collection.AddSingleton<IValidateOptions<AccessOptions>>(new AccessOptionsValidation(inAzure: false));
        collection.AddSingleton<RequestRateLimits>();
        collection.AddSingleton(TimeProvider.System);
        collection.AddSingleton(NullLoggerFactory.Instance);
        collection.AddSingleton(typeof(Microsoft.Extensions.Logging.ILogger<>), typeof(NullLogger<>));

        // Identifying a caller writes nothing: the audit log's client is never called here.
        collection.AddSingleton(new BlobServiceClient("UseDevelopmentStorage=true"));
        collection.AddSingleton<AuditLog>();
        collection.AddSingleton<IConfiguration>(configuration);
        collection.AddOpsSignIn(configuration);
        collection.AddSingleton<AccessGate>();
        services = collection.BuildServiceProvider();
    }

    private AccessGate Gate => services.GetRequiredService<AccessGate>();

    [Fact]
    public void Identify_KnownKeys_GiveThePrincipalAndSlot_AnyOtherIsAnonymous()
    {
        Assert.Equal(new Caller("transport", "primary"), Gate.Identify(Request("transport-key")));
        Assert.Equal(new Caller("ops", "secondary"), Gate.Identify(Request("ops-key")));
        Assert.True(Gate.Identify(Request("other-key")).IsAnonymous);
        Assert.True(Gate.Identify(Request(null)).IsAnonymous);
    }

    [Fact]
    public void Identify_SettingChangedToAMalformedHash_KeepsTheLastValidKeys()
    {
        Assert.Equal("transport", Gate.Identify(Request("transport-key")).Principal);

        // The change fails validation (the options monitor reports that to whoever reloads); the gate keeps working
        // with the keys it had rather than refusing every client.
        _ = Record.Exception(() => Set("Access:Transport:Primary", "sha256:not-a-hash"));

        Assert.Equal("transport", Gate.Identify(Request("transport-key")).Principal);
        Assert.Equal("ops", Gate.Identify(Request("ops-key")).Principal);
    }

    [Fact]
    public async Task AdmitOps_DepartmentKey_403_NoKey_401_OpsKey_AdmittedWithItsSlot()
    {
        Assert.Equal(StatusCodes.Status403Forbidden, Status((await Gate.AdmitOpsAsync(Request("transport-key"), acts: true)).Refusal));
        Assert.Equal(StatusCodes.Status401Unauthorized, Status((await Gate.AdmitOpsAsync(Request(null), acts: true)).Refusal));
        var admitted = await Gate.AdmitOpsAsync(Request("ops-key"), acts: true);
        Assert.Null(admitted.Refusal);
        Assert.Equal(new OpsActor("ops", "secondary"), admitted.Actor);
    }

    public void Dispose() => services.Dispose();

    private static HttpRequest Request(string? key)
    {
        var context = new DefaultHttpContext();
        if (key is not null)
        {
            context.Request.Headers[AccessGate.ApiKeyHeader] = key;
        }

        return context.Request;
    }

    private static int? Status(Microsoft.AspNetCore.Mvc.IActionResult? result) => (result as Microsoft.AspNetCore.Mvc.ObjectResult)?.StatusCode;

    private void Set(string name, string value)
    {
        configuration.Providers.OfType<MemoryConfigurationProvider>().Single().Set(name, value);
        configuration.Reload();
    }
}
