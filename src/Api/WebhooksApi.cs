using Microsoft.AspNetCore.Http.Features;

namespace GovernanceDashboard.Api;

/// <summary>POST /api/webhooks/github: anonymous, authenticated by its signature alone (<see cref="WebhookReceiver"/>); limited in
/// size here and in rate by <c>RateLimits:WebhooksPerMinute</c>.</summary>
public static class WebhooksApi
{
    public static IEndpointRouteBuilder MapWebhooksApi(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/webhooks/github", async (HttpContext http, WebhookReceiver receiver, CancellationToken ct) =>
        {
            if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit) limit.MaxRequestBodySize = WebhookReceiver.MaxBodyBytes;
            var body = await ReadAsync(http.Request, ct);
            if (body is null) return Results.StatusCode(StatusCodes.Status413PayloadTooLarge);
            var headers = http.Request.Headers;
            var outcome = await receiver.ReceiveAsync(body, headers["X-Hub-Signature-256"].FirstOrDefault(), headers["X-GitHub-Event"].FirstOrDefault(),
                headers["X-GitHub-Delivery"].FirstOrDefault(), ct);
            // Short answers with no detail: the caller may be anyone until the signature says otherwise.
            return outcome switch
            {
                WebhookOutcome.Queued => Results.StatusCode(StatusCodes.Status202Accepted),
                WebhookOutcome.Ignored => Results.StatusCode(StatusCodes.Status202Accepted),
                WebhookOutcome.Replayed => Results.Ok(),
                WebhookOutcome.BadSignature => Results.Unauthorized(),
                WebhookOutcome.TooLarge => Results.StatusCode(StatusCodes.Status413PayloadTooLarge),
                _ => Results.BadRequest(),
            };
        }).AllowAnonymous().DisableAntiforgery().ExcludeFromDescription().WithName("GitHubWebhook");
        return app;
    }

    /// <summary>The raw body, or null beyond <see cref="WebhookReceiver.MaxBodyBytes"/> (declared or read).</summary>
    private static async Task<byte[]?> ReadAsync(HttpRequest request, CancellationToken ct)
    {
        if (request.ContentLength > WebhookReceiver.MaxBodyBytes) return null;
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        try
        {
            while ((read = await request.Body.ReadAsync(chunk, ct)) > 0)
            {
                if (buffer.Length + read > WebhookReceiver.MaxBodyBytes) return null;
                buffer.Write(chunk, 0, read);
            }
        }
        catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return null;
        }
        return buffer.ToArray();
    }
}
