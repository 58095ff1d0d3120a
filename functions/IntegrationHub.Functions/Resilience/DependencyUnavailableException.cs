namespace IntegrationHub.Functions.Resilience;

/// <summary>
/// Thrown where the hub itself decides a request cannot go on without a dependency (the audit log refusing an ops
/// action it cannot record): <see cref="DependencyOutage.Of"/> answers it 503 like an outage the SDK reported.
/// </summary>
public sealed class DependencyUnavailableException : Exception
{
    public DependencyUnavailableException()
        : this(DependencyOutage.Storage, "a dependency is unavailable", null)
    {
    }

    public DependencyUnavailableException(string message)
        : this(DependencyOutage.Storage, message, null)
    {
    }

    public DependencyUnavailableException(string message, Exception innerException)
        : this(DependencyOutage.Storage, message, innerException)
    {
    }

    public DependencyUnavailableException(string dependency, string detail, Exception? innerException)
        : base(detail, innerException)
    {
        Dependency = dependency;
    }

    /// <summary>A <see cref="DependencyOutage"/> dependency name.</summary>
    public string Dependency { get; } = DependencyOutage.Storage;
}
