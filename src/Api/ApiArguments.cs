namespace GovernanceDashboard.Api;

/// <summary>The API's answer to a malformed argument (the parsing itself is in <see cref="Values"/>, shared with the command line).</summary>
public static class ApiArguments
{
    public static IResult BadInstant(string name) =>
        Results.Problem($"{name} must be an ISO-8601 instant, for example 2026-11-28T00:00:00Z.", statusCode: StatusCodes.Status400BadRequest);
}
