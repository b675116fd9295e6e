namespace GovernanceDashboard.Api;

/// <summary>Maps a workflow's outcome to HTTP: 400, 403, 404, 409 as problem+json with the sentence the service gave.</summary>
public static class WorkflowResults
{
    public static IResult ToHttp<T>(WorkflowResult<T> result, Func<T, IResult> ok) =>
        result.Succeeded ? ok(result.Value!) : Problem(result.Outcome, result.Message);

    public static IResult Problem(Outcome outcome, string? message) => Results.Problem(message, statusCode: outcome switch
    {
        Outcome.Invalid => StatusCodes.Status400BadRequest,
        Outcome.Forbidden => StatusCodes.Status403Forbidden,
        Outcome.NotFound => StatusCodes.Status404NotFound,
        Outcome.Conflict => StatusCodes.Status409Conflict,
        _ => StatusCodes.Status500InternalServerError,
    });

    public static IResult Json(object value, int status = StatusCodes.Status200OK) => Results.Json(value, JsonFormat.Options, statusCode: status);

    public static IResult Created(HttpContext http, string location, object value)
    {
        http.Response.Headers.Location = location;
        return Results.Json(value, JsonFormat.Options, statusCode: StatusCodes.Status201Created);
    }

    public static IResult BadRequest(string message) => Results.Problem(message, statusCode: StatusCodes.Status400BadRequest);
}
