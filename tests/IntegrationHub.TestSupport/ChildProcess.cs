using System.Collections.Concurrent;
using System.Diagnostics;

namespace IntegrationHub.TestSupport;

/// <summary>
/// A process the tests start (Azurite, the department simulators). It is killed with its whole tree on dispose, and
/// also when the test process exits without disposing it (a crashed or aborted run must not leave servers behind).
/// Standard error and output are drained into a short tail, for failure messages.
/// </summary>
public sealed class ChildProcess : IDisposable
{
    private const int TailLines = 60;

    private static readonly ConcurrentDictionary<int, Process> Live = new();

    private readonly Process process;
    private readonly ConcurrentQueue<string> tail = new();
    private readonly TaskCompletionSource<string> firstLine = new(TaskCreationOptions.RunContinuationsAsynchronously);

    static ChildProcess() => AppDomain.CurrentDomain.ProcessExit += (_, _) =>
    {
        foreach (var process in Live.Values)
        {
            Kill(process);
        }
    };

    private ChildProcess(Process process, string name)
    {
        this.process = process;
        Name = name;
    }

    public string Name { get; }

    public bool HasExited => process.HasExited;

    public int ExitCode => process.ExitCode;

    public int Id => process.Id;

    /// <summary>The last lines the process wrote (both streams), oldest first.</summary>
    public string Tail => string.Join(Environment.NewLine, tail);

    /// <param name="environment">Variables to set (a null value removes one) on top of this process's own.</param>
    /// <param name="onLine">Sees every line of both streams, as it arrives.</param>
    public static ChildProcess Start(
        string name, string fileName, IEnumerable<string> arguments, string workingDirectory,
        IReadOnlyDictionary<string, string?>? environment = null, Action<string>? onLine = null)
    {
        var start = new ProcessStartInfo(fileName)
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = workingDirectory,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (key, value) in environment ?? new Dictionary<string, string?>())
        {
            start.Environment[key] = value;
        }

        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        var child = new ChildProcess(process, name);
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null)
            {
                return;
            }

            child.firstLine.TrySetResult(e.Data);
            child.Remember(e.Data);
            onLine?.Invoke(e.Data);
        };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                child.Remember(e.Data);
                onLine?.Invoke(e.Data);
            }
        };
        process.Exited += (_, _) => child.firstLine.TrySetException(new InvalidOperationException($"{name} exited before writing a line."));
        if (!process.Start())
        {
            throw new InvalidOperationException($"Could not start {name} ({fileName}).");
        }

        Live[process.Id] = process;
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return child;
    }

    /// <summary>The first line written to standard output.</summary>
    public async Task<string> FirstOutputLineAsync(TimeSpan timeout)
    {
        try
        {
            return await firstLine.Task.WaitAsync(timeout).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is TimeoutException or InvalidOperationException)
        {
            throw new InvalidOperationException($"{Name} wrote no first line within {timeout.TotalSeconds} s. Its output:{Environment.NewLine}{Tail}", ex);
        }
    }

    /// <summary>
    /// Asks the process to stop (SIGTERM), as a service manager would, and waits until it has exited; a process still
    /// running after <paramref name="timeout"/> is killed, and that is reported as an error.
    /// </summary>
    public async Task StopAsync(TimeSpan timeout)
    {
        if (process.HasExited)
        {
            return;
        }

        using (var signal =
            Process.Start(
            new ProcessStartInfo("kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]) { UseShellExecute = false })
            ?? throw new InvalidOperationException("Could not run kill."))
        {
            await signal.WaitForExitAsync();
        }

        using var deadline = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            Kill(process);
            throw new InvalidOperationException(
                $"{Name} did not stop within {timeout.TotalSeconds} s of SIGTERM and was killed. Its output:{Environment.NewLine}{Tail}");
        }
    }

    public void Dispose()
    {
        Live.TryRemove(process.Id, out _);
        Kill(process);
        process.Dispose();
    }

    private void Remember(string line)
    {
        tail.Enqueue(line);
        while (tail.Count > TailLines && tail.TryDequeue(out _))
        {
        }
    }

    private static void Kill(Process process)
    {
        try
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                process.WaitForExit(5000);
            }
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
    }
}
