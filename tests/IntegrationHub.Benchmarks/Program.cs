using BenchmarkDotNet.Running;
using IntegrationHub.Benchmarks;
using IntegrationHub.Core.Validation;

// Before anything builds a regex: schema `pattern`s run with the hub's timeout here too (the benchmarks' own
// processes apply it again in their setup, see BenchCore).
RegexTimeout.Apply();
if (args is ["--storage-ceiling", var connection, ..])
{
    // local-dev/perf/drain.sh: the storage's own rate, measured beside the hub's (see StorageCeiling).
    return await StorageCeiling.RunAsync(connection, args.Length > 2 ? int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : 2000, 16);
}

var summaries = BenchmarkSwitcher.FromAssembly(typeof(HubConfig).Assembly).Run(args, new HubConfig()).ToArray();
return summaries.Any(s => s.HasCriticalValidationErrors || s.Reports.Any(r => !r.Success)) ? 1 : 0;
