using System.Net;

namespace IntegrationHub.TestSupport;

/// <summary>
/// An HTTP server on a free loopback port for tests that play the other side (a webhook receiver, a hub): each request
/// goes to the handler in turn, and its response is closed after it.
/// </summary>
public sealed class LoopbackHttpServer : IDisposable
{
    private readonly HttpListener listener = new();
    private readonly Func<HttpListenerContext, Task> handle;

    /// <param name="path">The path served, starting and ending with <c>/</c>.</param>
    public LoopbackHttpServer(string path, Func<HttpListenerContext, Task> handle)
    {
        this.handle = handle;
        Url = new Uri($"http://127.0.0.1:{Ports.Free()}{path}");
        listener.Prefixes.Add(Url.ToString());
        listener.Start();
        _ = Task.Run(LoopAsync);
    }

    public Uri Url { get; }

    private async Task LoopAsync()
    {
        while (listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await listener.GetContextAsync();
            }
            catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            await handle(context);
            context.Response.Close();
        }
    }

    public void Dispose() => listener.Close();
}
