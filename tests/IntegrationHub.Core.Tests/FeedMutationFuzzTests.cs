using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using IntegrationHub.Core.Tests.Support;
using IntegrationHub.Core.Validation;
using IntegrationHub.Tests.Hostile;
using Json.Pointer;
using Xunit.Abstractions;

namespace IntegrationHub.Core.Tests;

/// <summary>
/// The mutation fuzzer over the sample feeds, against the validator in process: whatever the bytes, the validator
/// answers (never throws), an answer is either accepted or at least one error naming a JSON Pointer into the feed and
/// a rule, and the same bytes always get the same answer. Bounded by iterations and time; the seed is printed, and
/// <c>HUB_FUZZ_SEED</c>, <c>HUB_FUZZ_ITERATIONS</c> and <c>HUB_FUZZ_SECONDS</c> replay or widen a run.
/// </summary>
public class FeedMutationFuzzTests(ITestOutputHelper output)
{
    [Fact]
    public void Validate_MutatedSampleFeeds_AlwaysAnswersWithPointersAndTheSameVerdictAgain()
    {
        var seed = Setting("HUB_FUZZ_SEED", 20_261_125);
        var iterations = Setting("HUB_FUZZ_ITERATIONS", 6000);
        var budget = TimeSpan.FromSeconds(Setting("HUB_FUZZ_SECONDS", 15));
        var mutator = new FeedMutator(seed);
        var samples = HostileCorpus.Samples.Select(s => (s.Key, s.Value)).ToList();
        var validator = TestCore.Core.Validator;
        var clock = Stopwatch.StartNew();
        var (done, accepted) = (0, 0);
        var keywords = new SortedDictionary<string, int>(StringComparer.Ordinal);
        var failures = new List<string>();
        for (; done < iterations && clock.Elapsed < budget && failures.Count < 10; done++)
        {
            var mutant = mutator.Next(samples);
            string? problem;
            try
            {
                var first = validator.Validate(mutant.Bytes, mutant.Source);
                problem = Check(mutant.Bytes, first);

                // Every fourth mutant again, for the same answer: the volume goes to new inputs.
                if (problem is null && mutant.Iteration % 4 == 0 && !Same(first.Report, validator.Validate(mutant.Bytes, mutant.Source).Report))
                {
                    problem = "the same bytes got another answer the second time";
                }

                accepted += first.Report.Valid ? 1 : 0;
                foreach (var error in first.Report.Errors.Take(1))
                {
                    keywords[error.Keyword] = keywords.GetValueOrDefault(error.Keyword) + 1;
                }
            }
            catch (Exception ex)
            {
                problem = $"threw {ex.GetType().Name}: {ex.Message}";
            }

            if (problem is not null)
            {
                failures.Add($"mutant {mutant.Iteration} of {mutant.Source} ({mutant.Edits}): {problem}");
            }
        }

        output.WriteLine(
            $"seed {seed}: {done} mutants in {clock.Elapsed.TotalSeconds:0.0} s, {accepted} accepted, {done - accepted} refused; first errors by rule:");
        foreach (var (keyword, count) in keywords)
        {
            output.WriteLine($"  {keyword}: {count}");
        }

        Assert.True(failures.Count == 0, $"seed {seed} (set HUB_FUZZ_SEED={seed} to replay):{Environment.NewLine}{string.Join(Environment.NewLine, failures)}");
        // Both ways were taken: some mutants stay valid (a number for a number), most do not.
        Assert.InRange(accepted, 1, done - 1);
    }

    /// <summary>Null when the answer keeps the validator's promises for these bytes, else what is wrong.</summary>
    private static string? Check(byte[] bytes, FeedCheck check)
    {
        var report = check.Report;
        if (report.Valid != check.Feed is not null)
        {
            return "valid and accepted disagree";
        }

        if (report.Valid)
        {
            return null;
        }

        if (report.Errors.Count == 0 || string.IsNullOrEmpty(report.FeedId))
        {
            return "refused without an error or a feed id";
        }

        JsonDocument? document = null;
        try
        {
            document = report.Verdict == ValidationVerdict.Unusable ? null : JsonDocument.Parse(bytes);
            foreach (var error in report.Errors)
            {
                if (string.IsNullOrEmpty(error.Keyword) || string.IsNullOrEmpty(error.Message))
                {
                    return $"an error without its rule or message at '{error.InstanceLocation}'";
                }

                if (!JsonPointer.TryParse(error.InstanceLocation, out var pointer))
                {
                    return $"'{error.InstanceLocation}' ({error.Keyword}) is not a JSON Pointer";
                }

                // A schema or rule error names a place that exists in the feed (a parse error has no document to point into).
                if (document is not null && pointer.Evaluate(document.RootElement) is null)
                {
                    return $"'{error.InstanceLocation}' ({error.Keyword}) points nowhere in the feed";
                }
            }

            return null;
        }
        finally
        {
            document?.Dispose();
        }
    }

    private static bool Same(ValidationReport first, ValidationReport second) =>
        first.FeedId == second.FeedId && first.Errors.SequenceEqual(second.Errors) && first.Warnings.SequenceEqual(second.Warnings)
            && first.ErrorsNotListed == second.ErrorsNotListed;

    private static int Setting(string name, int fallback) =>
        int.TryParse(Environment.GetEnvironmentVariable(name), NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) ? value : fallback;
}
