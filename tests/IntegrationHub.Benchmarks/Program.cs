using BenchmarkDotNet.Running;
using IntegrationHub.Benchmarks;
using IntegrationHub.Core.Validation;

// Before anything builds a regex: schema `pattern`s run with the hub's timeout here too (the benchmarks' own
// processes apply it again in their setup, see BenchCore).
RegexTimeout.Apply();
var summaries = BenchmarkSwitcher.FromAssembly(typeof(HubConfig).Assembly).Run(args, new HubConfig()).ToArray();
return summaries.Any(s => s.HasCriticalValidationErrors || s.Reports.Any(r => !r.Success)) ? 1 : 0;
