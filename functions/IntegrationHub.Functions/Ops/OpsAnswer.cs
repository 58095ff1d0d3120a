using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;

namespace IntegrationHub.Functions.Ops;

/// <summary>
/// What an ops service answers, independent of the HTTP plumbing: a status with a body, or a problem. The functions
/// turn it into the HTTP answer; tests can read it directly.
/// </summary>
public sealed record OpsAnswer(int Status, object? Body, string? Location = null, string? ProblemTitle = null, string? ProblemDetail = null, IReadOnlyDictionary<string, object?>? ProblemExtensions = null)
{
    public bool IsProblem => ProblemTitle is not null;

    public static OpsAnswer Ok(object body) => new(StatusCodes.Status200OK, body);

    public static OpsAnswer Accepted(object body, string location) => new(StatusCodes.Status202Accepted, body, location);

    public static OpsAnswer Problem(int status, string title, string detail, IReadOnlyDictionary<string, object?>? extensions = null) =>
        new(status, null, null, title, detail, extensions);

    public static OpsAnswer BadParameter(string parameter, string title, string detail) =>
        Problem(StatusCodes.Status400BadRequest, title, detail, new Dictionary<string, object?> { ["parameter"] = parameter });

    public IActionResult ToActionResult()
    {
        if (IsProblem)
        {
            return Problems.Create(Status, ProblemTitle!, ProblemDetail ?? "", ProblemExtensions is null ? null : new Dictionary<string, object?>(ProblemExtensions));
        }

        return Status == StatusCodes.Status202Accepted && Location is not null
            ? new AcceptedResult(Location, Body)
            : new ObjectResult(Body) { StatusCode = Status };
    }
}
