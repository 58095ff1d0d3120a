using IntegrationHub.LocalHost;

// Settings as func start would read them: the app's local.settings.json when a developer made one, else the
// committed sample with the local defaults.
var appFolder = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "..", "..", "..", "..", "..", "functions", "IntegrationHub.Functions"));
var settingsFile = args.SkipWhile(a => a != "--settings").Skip(1).FirstOrDefault()
    ?? new[] { "local.settings.json", "local.settings.sample.json" }.Select(f => Path.Combine(appFolder, f)).FirstOrDefault(File.Exists)
    ?? "local.settings.json";
var configuration = LocalSettings.Load(settingsFile, args.Where(a => a != "--settings" && a != settingsFile).ToArray());
var port = int.TryParse(configuration["port"], out var p) ? p : 7071;

using var stop = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    stop.Cancel();
};
AppDomain.CurrentDomain.ProcessExit += (_, _) => stop.Cancel();

try
{
    await using var hub = await LocalHub.StartAsync(configuration, new LocalHubOptions { Port = port, EnableTimers = configuration["timers"] != "off" }, stop.Token);
    Console.WriteLine($"hub listening on {hub.Address} (settings: {Path.GetFileName(settingsFile)})");
    // The host's console lifetime takes SIGTERM and Ctrl-C; follow it.
    hub.Stopping.Register(stop.Cancel);
    try
    {
        await Task.Delay(Timeout.Infinite, stop.Token);
    }
    catch (OperationCanceledException)
    {
        Console.WriteLine("hub stopping");
    }

    return 0;
}
catch (PortTakenException ex)
{
    Console.Error.WriteLine(ex.Message);
    return 3;
}
