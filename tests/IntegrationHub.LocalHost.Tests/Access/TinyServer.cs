using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace IntegrationHub.LocalHost.Tests.Access;

/// <summary>A real HTTP server on a free loopback port that answers every request with <c>handle</c> and counts them.</summary>
public sealed class TinyServer : IAsyncDisposable
{
    private readonly WebApplication app;
    private int requests;

    private TinyServer(WebApplication app) => this.app = app;

    public int Port { get; private set; }

    public int Requests => Volatile.Read(ref requests);

    public static async Task<TinyServer> StartAsync(Func<HttpContext, Task> handle)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        var server = new TinyServer(builder.Build());
        server.app.Run(context =>
        {
            Interlocked.Increment(ref server.requests);
            return handle(context);
        });
        await server.app.StartAsync();
        var address = server.app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        server.Port = new Uri(address).Port;
        return server;
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }
}
