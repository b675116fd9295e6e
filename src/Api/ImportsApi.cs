using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace GovernanceDashboard.Api;

/// <summary>POST /api/imports?format=&amp;scannedAt=&amp;fileName= — the body is the file; same as the import verb.</summary>
public static class ImportsApi
{
    public static IEndpointRouteBuilder MapImportsApi(this IEndpointRouteBuilder app)
    {
        // Kestrel's default body limit (~28.6 MiB) is raised to the setting on this endpoint alone (endpoint routing applies
        // the metadata before the body is read); every other endpoint keeps the default.
        var maxBytes = ImportUploads.MaxBytes(app.ServiceProvider.GetRequiredService<IConfiguration>());
        app.MapPost("/api/imports", async (HttpContext http, UploadImport uploads, IAuthorizationService authorization,
            string? format, string? scannedAt, string? fileName, CancellationToken ct) =>
        {
            if (!Instants.TryParse(scannedAt, out var at)) return ApiArguments.BadInstant("scannedAt");
            var request = new ImportRequest(fileName ?? "api-upload", format, at, http.User.EmailOf())
            {
                MayChangeDirectory = (await authorization.AuthorizeAsync(http.User, Policies.ImportDirectory)).Succeeded,
            };
            try
            {
                return Results.Json(await uploads.ImportAsync(http.Request.Body, http.Request.ContentLength, request, ct: ct), JsonFormat.Options);
            }
            catch (UploadTooLargeException ex)
            {
                return Results.Problem(ex.Message, title: "Upload too large", statusCode: StatusCodes.Status413PayloadTooLarge);
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
        }).RequireAuthorization(Policies.ManageInventory).DisableAntiforgery().WithName("ImportFile")
            .WithMetadata(new RequestSizeLimitAttribute(maxBytes));
        return app;
    }
}
