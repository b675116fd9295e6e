using GovernanceDashboard.Auth;
using GovernanceDashboard.Importers;
using GovernanceDashboard.Ingestion;
using Microsoft.AspNetCore.Authorization;

namespace GovernanceDashboard.Api;

/// <summary>POST /api/imports?format=&amp;scannedAt=&amp;fileName= — the body is the file; same as the import verb.</summary>
public static class ImportsApi
{
    public static IEndpointRouteBuilder MapImportsApi(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/imports", async (HttpContext http, ImportService imports, IConfiguration config, IAuthorizationService authorization, string? format, string? scannedAt,
            string? fileName, CancellationToken ct) =>
        {
            if (!ApiArguments.TryInstant(scannedAt, out var at)) return ApiArguments.BadInstant("scannedAt");
            var limit = ImportUploads.MaxBytes(config);
            if (http.Request.ContentLength > limit)
                return Results.Problem($"The file is larger than the upload limit of {limit / (1024 * 1024)} MB (Imports:MaxUploadMegabytes).",
                    statusCode: StatusCodes.Status413PayloadTooLarge);
            var request = new ImportRequest(fileName ?? "api-upload", format, at, http.User.EmailOf())
            {
                MayChangeDirectory = (await authorization.AuthorizeAsync(http.User, Policies.ImportDirectory)).Succeeded,
            };
            await using var spooled = await ImportUploads.SpoolAsync(http.Request.Body, limit, ct);
            if (spooled is null)
                return Results.Problem($"The file is larger than the upload limit of {limit / (1024 * 1024)} MB.", statusCode: StatusCodes.Status413PayloadTooLarge);
            try
            {
                return Results.Json(await imports.ImportFileAsync(spooled.Path, request, ct: ct), ApiArguments.Json);
            }
            catch (ImportForbiddenException ex)
            {
                return Results.Problem(detail: ex.Message, title: "Not allowed; nothing was written.", statusCode: StatusCodes.Status403Forbidden,
                    extensions: new Dictionary<string, object?> { ["format"] = ex.Format });
            }
            catch (ImportRejectedException ex)
            {
                return Results.Problem(detail: ex.Message, title: "The file was rejected; nothing was written.", statusCode: StatusCodes.Status400BadRequest,
                    extensions: new Dictionary<string, object?> { ["format"] = ex.Format, ["line"] = ex.Line, ["byte"] = ex.BytePosition });
            }
        }).RequireAuthorization(Policies.ManageInventory).DisableAntiforgery().WithName("ImportFile");
        return app;
    }
}
