using IntegrationHub.LocalHost;

// Settings as func start would read them: the app's local.settings.json when a developer made one, else the
// committed sample with the local defaults.
var appFolder = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "..", "..", "..", "..", "..", "functions", "IntegrationHub.Functions"));
var settingsFile = args.SkipWhile(a => a != "--settings").Skip(1).FirstOrDefault()
    ?? new[] { "local.settings.json", "local.settings.sample.json" }.Select(f => Path.Combine(appFolder, f)).FirstOrDefault(File.Exists)
    ?? "local.settings.json";
var configuration = LocalSettings.Load(settingsFile, args.Where(a => a != "--settings" && a != settingsFile).ToArray());
var port = int.TryParse(configuration["port"], out var p) ? p : 7071;

// Lives as long as the process: ProcessExit may still fire after Main returns.
var stop = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    stop.Cancel();
};
AppDomain.CurrentDomain.ProcessExit += (_, _) => stop.Cancel();

LocalHub hub;
try
{
    hub = await LocalHub.StartAsync(configuration, new LocalHubOptions { Port = port, EnableTimers = configuration["timers"] != "off" }, stop.Token);
}
catch (PortTakenException ex)
{
    Console.Error.WriteLine(ex.Message);
    return 3;
}

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

// A stop must end the process even when storage is already gone (a script that stops Azurite alongside): the
// backend's partition manager would retry it without end. Leaving then is safe, as after a crash: every work item is
// durable in storage and is picked up again by the next start.
var disposed = hub.DisposeAsync().AsTask();
if (await Task.WhenAny(disposed, Task.Delay(LocalHub.StopDeadline)) != disposed)
{
    Console.Error.WriteLine($"hub did not stop within {LocalHub.StopDeadline.TotalSeconds:0} s (is storage unreachable?); leaving without waiting, unfinished work resumes on the next start");
    Environment.Exit(1);
}

await disposed;
Console.WriteLine("hub stopped");
return 0;
