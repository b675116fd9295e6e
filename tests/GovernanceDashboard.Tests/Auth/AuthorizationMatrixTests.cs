using System.Globalization;
using System.Net;
using System.Text;
using GovernanceDashboard.Auth;
using GovernanceDashboard.Domain;
using GovernanceDashboard.Tests.Infrastructure;
using Microsoft.AspNetCore.Components.Endpoints;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace GovernanceDashboard.Tests.Auth;

/// <summary>Every page route and every endpoint, as enumerated from the app's endpoint data source, requested as each kind of
/// caller, against one table of who may do what. A new endpoint without a row fails the test, naming the row to add.</summary>
public class AuthorizationMatrixTests(AuthorizationMatrixTests.MatrixApp app) : IClassFixture<AuthorizationMatrixTests.MatrixApp>
{
    // The callers, in the order of each row's expectation string.
    private static readonly string[] Callers = ["anonymous", "owner", "Analyst", "Approver", "Auditor", "Admin"];

    /// <summary>
    /// THE table. Key: "PAGE route" for a Blazor page (a prerendered GET), "METHOD route" for an endpoint, exactly as the
    /// route is written in the code. Value: one letter per caller (anonymous, owner, Analyst, Approver, Auditor, Admin):
    /// <c>A</c> allowed (past authorisation: 2xx, or a 4xx of the request itself), <c>L</c> must sign in (401 for the API,
    /// a redirect to /login for pages), <c>D</c> denied (403 for the API, a redirect to /denied for pages). The path to
    /// request, when the route has parameters, follows: {token} {campaign} {task} {request} {transfer} {notification}
    /// {team} are real ids of the seeded store (the owner's own where the route is about "my" things).
    /// </summary>
    private static readonly Dictionary<string, (string Expected, string? Path)> Table = new(StringComparer.Ordinal)
    {
        // Pages anyone may open.
        ["PAGE /login"] = ("AAAAAA", null),
        ["PAGE /not-found"] = ("AAAAAA", null),
        ["PAGE /error"] = ("AAAAAA", null),
        // Pages for everyone signed in (owners see their own things on them).
        ["PAGE /"] = ("LAAAAA", null),
        ["PAGE /denied"] = ("LAAAAA", null),
        ["PAGE /my-tokens"] = ("LAAAAA", null),
        ["PAGE /tokens"] = ("LAAAAA", null),
        ["PAGE /tokens/{Id:int}"] = ("LAAAAA", "/tokens/{token}"),
        ["PAGE /exposures"] = ("LAAAAA", null),
        ["PAGE /approvals"] = ("LAAAAA", null),
        ["PAGE /attestations"] = ("LAAAAA", null),
        ["PAGE /attestations/{Id:int}"] = ("LAAAAA", "/attestations/{campaign}"),
        ["PAGE /notifications"] = ("LAAAAA", null),
        ["PAGE /definitions"] = ("LAAAAA", null),
        // Pages by role.
        ["PAGE /reports"] = ("LDAAAA", null),
        ["PAGE /teams"] = ("LDAAAA", null),
        ["PAGE /teams/{Team}"] = ("LDAAAA", "/teams/{team}"),
        ["PAGE /imports"] = ("LDADDA", null),
        ["PAGE /audit"] = ("LDDDAA", null),
        ["PAGE /settings"] = ("LDDDDA", null),
        ["PAGE /ownership-rules"] = ("LDDDDA", null),

        // Sign-in and out.
        ["POST /auth/local"] = ("AAAAAA", null),
        ["GET /auth/entra"] = ("AAAAAA", null),
        ["POST /logout"] = ("LAAAAA", null),
        // Public infrastructure.
        ["ANY /healthz"] = ("AAAAAA", null),
        // Development's static-file fallback: an unknown file is a 404, but only after sign-in.
        ["GET /{**path:file}"] = ("LAAAAA", "/no-such-file.txt"),
        ["HEAD /{**path:file}"] = ("LAAAAA", "/no-such-file.txt"),
        ["GET /openapi/{documentName}.json"] = ("AAAAAA", "/openapi/v1.json"),

        // API.
        ["GET /api/metrics"] = ("LDAAAA", null),
        ["GET /api/tokens"] = ("LAAAAA", null),
        ["POST /api/imports"] = ("LDADDA", null),
        ["GET /api/audit/events"] = ("LDDDAA", null),
        ["GET /api/audit/events.csv"] = ("LDDDAA", null),
        ["GET /api/attestations/campaigns"] = ("LAAAAA", null),
        ["POST /api/attestations/campaigns"] = ("LDADDA", null),
        ["GET /api/attestations/campaigns/{id:int}"] = ("LAAAAA", "/api/attestations/campaigns/{campaign}"),
        ["GET /api/attestations/campaigns/{id:int}/tasks"] = ("LAAAAA", "/api/attestations/campaigns/{campaign}/tasks"),
        ["POST /api/attestations/tasks/{id:int}/answer"] = ("LAAAAA", "/api/attestations/tasks/{task}/answer"),
        ["POST /api/write-scope-requests"] = ("LAAAAA", null),
        ["GET /api/write-scope-requests"] = ("LAAAAA", null),
        ["GET /api/write-scope-requests/mine"] = ("LAAAAA", null),
        ["GET /api/write-scope-requests/pending"] = ("LAAAAA", null),
        ["GET /api/write-scope-requests/history"] = ("LAAAAA", null),
        ["GET /api/write-scope-requests/{id:int}"] = ("LAAAAA", "/api/write-scope-requests/{request}"),
        ["POST /api/write-scope-requests/{id:int}/decision"] = ("LAAAAA", "/api/write-scope-requests/{request}/decision"),
        // Only the requester cancels ({request} is the owner's own).
        ["POST /api/write-scope-requests/{id:int}/cancel"] = ("LADDDD", "/api/write-scope-requests/{request}/cancel"),
        // Triage: Analysts and Admins.
        ["GET /api/exposures"] = ("LDADDA", null),
        ["POST /api/exposures/{id:int}/dismiss"] = ("LDADDA", "/api/exposures/{exposure}/dismiss"),
        ["POST /api/exposures/dismiss"] = ("LDADDA", null),
        ["POST /api/exposures/{id:int}/reopen"] = ("LDADDA", "/api/exposures/{exposure}/reopen"),
        ["POST /api/exposures/{id:int}/notes"] = ("LDADDA", "/api/exposures/{exposure}/notes"),
        ["PUT /api/tokens/{id:int}/owner"] = ("LDADDA", "/api/tokens/{token}/owner"),
        // Revocation through the platforms and validation: Analysts and Admins.
        ["POST /api/exposures/{id:int}/revoke"] = ("LDADDA", "/api/exposures/{exposure}/revoke"),
        ["POST /api/exposures/revoke"] = ("LDADDA", null),
        // GitHub's alerts pulled now: Admin only (the GitHub App is not configured here: 422, past authorisation).
        ["POST /api/sync/alerts"] = ("LDDDDA", null),
        // GitHub's organisation sync now: Admin only (not configured here: 422, past authorisation).
        ["POST /api/sync/github"] = ("LDDDDA", null),
        // Revoking a synced PAT's organisation access: Analysts and Admins ({token} is not synced here: 404, past authorisation).
        ["POST /api/tokens/{id:int}/github-access/revoke"] = ("LDADDA", "/api/tokens/{token}/github-access/revoke"),
        // GitHub's webhook: anonymous, authenticated by its signature alone, so a session or an API key counts for nothing and
        // every caller without a valid X-Hub-Signature-256 gets 401 (SyncWebhookTests checks a signed delivery is taken).
        ["POST /api/webhooks/github"] = ("LLLLLL", null),
        ["POST /api/tokens/{id:int}/validate"] = ("LDADDA", "/api/tokens/{token}/validate"),
        // Measuring a token's reach uses its escrowed value against the platform: Analysts and Admins (audited).
        ["POST /api/tokens/{id:int}/reach"] = ("LDADDA", "/api/tokens/{token}/reach"),
        ["GET /api/my/tokens"] = ("LAAAAA", null),
        ["GET /api/my/tokens/{id:int}/exposures"] = ("LAAAAA", "/api/my/tokens/{token}/exposures"),
        ["POST /api/my/tokens/{id:int}/suggestion"] = ("LAAAAA", "/api/my/tokens/{token}/suggestion"),
        ["POST /api/my/tokens/{id:int}/transfer"] = ("LAAAAA", "/api/my/tokens/{token}/transfer"),
        ["POST /api/my/tokens/{id:int}/revocation"] = ("LAAAAA", "/api/my/tokens/{token}/revocation"),
        ["GET /api/my/transfers"] = ("LAAAAA", null),
        ["POST /api/my/transfers/{id:int}/answer"] = ("LAAAAA", "/api/my/transfers/{transfer}/answer"),
        ["POST /api/my/transfers/{id:int}/cancel"] = ("LAAAAA", "/api/my/transfers/{transfer}/cancel"),
        ["GET /api/my/attestations"] = ("LAAAAA", null),
        ["GET /api/my/notifications"] = ("LAAAAA", null),
        ["POST /api/my/notifications/{id:long}/read"] = ("LAAAAA", "/api/my/notifications/{notification}/read"),
        ["POST /api/my/notifications/read-all"] = ("LAAAAA", null),

        // CSV exports.
        ["GET /export/tokens.csv"] = ("LAAAAA", null),
        ["GET /export/exposures.csv"] = ("LAAAAA", null),
        ["GET /export/teams.csv"] = ("LDAAAA", null),
        ["GET /export/imports.csv"] = ("LDAAAA", null),
    };

    /// <summary>Framework endpoints that are no page or API of ours: the Blazor circuit hub and its script, static files.</summary>
    private static bool IsFramework(RouteEndpoint endpoint) =>
        endpoint.RoutePattern.RawText is { } route && (route.StartsWith("/_blazor", StringComparison.Ordinal) || route.StartsWith("_blazor", StringComparison.Ordinal)
            || route.StartsWith("/_framework/", StringComparison.Ordinal) || route.StartsWith("_framework/", StringComparison.Ordinal))
        || endpoint.Metadata.Any(m => m.GetType().Name == "StaticAssetDescriptor");

    [Fact]
    public async Task Every_page_and_endpoint_answers_each_caller_as_the_table_says()
    {
        var endpoints = Enumerate();
        var problems = new List<string>();
        var missing = new List<string>();

        foreach (var (key, endpoint) in endpoints)
        {
            var observed = new StringBuilder();
            var notes = new List<string>();
            var path = Path(key, Table.TryGetValue(key, out var row) ? row.Path : null);
            for (var i = 0; i < Callers.Length; i++)
            {
                var (answer, status) = await RequestAsync(key, path, Callers[i]);
                observed.Append(answer);
                if (answer == 'E') notes.Add($"{key} as {Callers[i]} ({path}): server error {status}");
                else if (row.Expected is { } expected && expected[i] != answer)
                    notes.Add($"{key} as {Callers[i]} ({path}): expected {Name(expected[i])}, got {Name(answer)} ({status})");
            }
            if (row.Expected is null) missing.Add($"[\"{key}\"] = (\"{observed}\", {(path == Route(key) ? "null" : $"\"{path}\"")}),   // observed now: check it before pasting");
            problems.AddRange(notes);
        }

        var stale = Table.Keys.Except(endpoints.Keys).Select(k => $"{k}: a row for a route the app no longer has (renamed or removed?)").ToList();
        var message = new StringBuilder();
        if (missing.Count > 0) message.AppendLine("Endpoints without a row in AuthorizationMatrixTests.Table (answers observed now; decide, then add):").AppendJoin('\n', missing).AppendLine();
        if (problems.Count > 0) message.AppendLine("Answers that differ from the table:").AppendJoin('\n', problems).AppendLine();
        if (stale.Count > 0) message.AppendLine("Rows without an endpoint:").AppendJoin('\n', stale).AppendLine();
        Assert.True(message.Length == 0, message.ToString());
    }

    [Fact]
    public void The_enumeration_sees_pages_api_and_exports()
    {
        var keys = Enumerate().Keys.ToList();
        Assert.Contains("PAGE /settings", keys);
        Assert.Contains("GET /api/metrics", keys);
        Assert.Contains("GET /export/tokens.csv", keys);
        Assert.True(keys.Count >= 50, $"only {keys.Count} endpoints enumerated");
    }

    private Dictionary<string, RouteEndpoint> Enumerate()
    {
        var result = new Dictionary<string, RouteEndpoint>(StringComparer.Ordinal);
        foreach (var endpoint in app.Factory.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>())
        {
            if (IsFramework(endpoint)) continue;
            var route = "/" + endpoint.RoutePattern.RawText!.Trim('/');
            if (endpoint.Metadata.GetMetadata<ComponentTypeMetadata>() is not null)
            {
                result["PAGE " + route] = endpoint;
                continue;
            }
            foreach (var method in endpoint.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? ["ANY"])
                result[$"{method} {route}"] = endpoint;
        }
        return result;
    }

    private static string Route(string key) => key[(key.IndexOf(' ', StringComparison.Ordinal) + 1)..];

    private string Path(string key, string? template)
    {
        // Route parameters, with or without a constraint ({id}, {id:int}), get a real id of the seeded store; a parameter
        // without one would only ever be answered 404, which says nothing about access.
        var path = System.Text.RegularExpressions.Regex.Replace(template ?? Route(key), @"\{(\w+)(:[^}]*)?\}",
            m => app.Ids.TryGetValue(m.Groups[1].Value, out var value) ? value : m.Value);
        Assert.False(path.Contains('{', StringComparison.Ordinal), $"{key}: no id for a parameter of {path}; add one to MatrixApp.Ids");
        return path;
    }

    private static string Name(char answer) => answer switch
    {
        'A' => "allowed", 'L' => "sign-in required (401 / redirect to /login)", 'D' => "denied (403 / redirect to /denied)", _ => "server error",
    };

    private async Task<(char Answer, string Status)> RequestAsync(string key, string path, string caller)
    {
        var method = key.StartsWith("PAGE ", StringComparison.Ordinal) ? "GET" : key[..key.IndexOf(' ', StringComparison.Ordinal)];
        var api = path.StartsWith("/api/", StringComparison.Ordinal) || path.StartsWith("/export/", StringComparison.Ordinal);
        var client = caller == "anonymous" ? app.Factory.Client() : api ? app.KeyClients[caller] : app.CookieClients[caller];
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        // A body no endpoint accepts: an allowed caller gets a 4xx of the request itself, and nothing is changed.
        if (method is "POST" or "PUT" or "PATCH") request.Content = new StringContent("not json", Encoding.UTF8, "application/json");
        using var response = await client.SendAsync(request);
        var status = ((int)response.StatusCode).ToString(CultureInfo.InvariantCulture);
        var location = response.Headers.Location is { } l ? (l.IsAbsoluteUri ? l.PathAndQuery : l.OriginalString) : "";
        var answer = response.StatusCode switch
        {
            HttpStatusCode.Unauthorized => 'L',
            HttpStatusCode.Forbidden => 'D',
            HttpStatusCode.Redirect or HttpStatusCode.Found when location.StartsWith("/login", StringComparison.Ordinal) && !path.StartsWith("/auth/", StringComparison.Ordinal) => 'L',
            HttpStatusCode.Redirect when location.StartsWith("/denied", StringComparison.Ordinal) => 'D',
            >= HttpStatusCode.InternalServerError => 'E',
            _ => 'A',
        };
        return (answer, location.Length > 0 ? $"{status} → {location}" : status);
    }

    /// <summary>The demo organisation, one signed-in client and one API-key client per role, and real ids for the routes.</summary>
    public sealed class MatrixApp : IAsyncLifetime
    {
        public AppFactory Factory { get; } = new();
        public Dictionary<string, HttpClient> CookieClients { get; } = [];
        public Dictionary<string, HttpClient> KeyClients { get; } = [];
        public Dictionary<string, string> Ids { get; } = [];

        public async Task InitializeAsync()
        {
            _ = Factory.Server;
            await Factory.Services.GetRequiredService<Demo.DemoSeeder>().SeedAsync();
            await using var db = Factory.Store.Factory.CreateDbContext();
            // One person per role and nothing else, so each column is that role alone.
            db.People.AddRange(
                new Person { Email = "matrix.admin@acme.example", DisplayName = "Matrix Admin", Roles = Roles.Admin, CreatedAt = DateTimeOffset.UtcNow },
                new Person { Email = "matrix.approver@acme.example", DisplayName = "Matrix Approver", Roles = Roles.Approver, CreatedAt = DateTimeOffset.UtcNow });
            await db.SaveChangesAsync();
            // An owner with tokens, and with a write-scope request of their own when the demo has one.
            var owner = await db.People.Where(p => p.Active && p.Roles == Roles.None && db.Tokens.Any(t => t.OwnerId == p.Id))
                .OrderByDescending(p => db.WriteScopeRequests.Any(r => r.RequesterId == p.Id && r.Status == RequestStatus.Pending)).ThenBy(p => p.Id).FirstAsync();
            var people = new Dictionary<string, string>
            {
                ["owner"] = owner.Email, ["Analyst"] = "sec.analyst@acme.example", ["Approver"] = "matrix.approver@acme.example",
                ["Auditor"] = "sec.auditor@acme.example", ["Admin"] = "matrix.admin@acme.example",
            };
            foreach (var (caller, email) in people)
            {
                CookieClients[caller] = await Factory.SignedInClientAsync(email);
                var key = await ApiKeys.CreateAsync(Factory.Store.Factory, email, "matrix", "test");
                var client = Factory.Client();
                client.DefaultRequestHeaders.Add(ApiKeyAuthenticationHandler.Header, key!.Key);
                KeyClients[caller] = client;
            }

            // The demo has no hand-overs or notifications: one of each for the owner, so those routes get real ids too.
            var ownerToken = await db.Tokens.Where(t => t.OwnerId == owner.Id).OrderBy(t => t.Id).FirstAsync();
            var colleague = await db.People.Where(p => p.Active && p.Id != owner.Id && p.Roles == Roles.None).OrderBy(p => p.Id).FirstAsync();
            db.OwnershipTransfers.Add(new OwnershipTransfer { TokenId = ownerToken.Id, FromPersonId = owner.Id, ToPersonId = colleague.Id, Status = TransferStatus.Pending, RequestedAt = DateTimeOffset.UtcNow });
            db.Notifications.Add(new Notification { PersonId = owner.Id, Kind = "test", Subject = "Matrix", Body = "Matrix", CreatedAt = DateTimeOffset.UtcNow });
            await db.SaveChangesAsync();

            string Id(int? id) => (id ?? throw new InvalidOperationException("the seeded store lacks an id a route needs")).ToString(CultureInfo.InvariantCulture);
            Ids["token"] = Id(ownerToken.Id);
            Ids["exposure"] = Id(await db.Exposures.Select(e => (int?)e.Id).MinAsync());
            Ids["campaign"] = Id(await db.AttestationCampaigns.Select(c => (int?)c.Id).MinAsync());
            Ids["task"] = Id(await db.AttestationTasks.Select(t => (int?)t.Id).MinAsync());
            Ids["request"] = Id(await db.WriteScopeRequests.Where(r => r.RequesterId == owner.Id && r.Status == RequestStatus.Pending).Select(r => (int?)r.Id).MinAsync());
            Ids["transfer"] = Id(await db.OwnershipTransfers.Where(t => t.FromPersonId == owner.Id).Select(t => (int?)t.Id).MinAsync());
            Ids["notification"] = (await db.Notifications.Where(n => n.PersonId == owner.Id).Select(n => n.Id).MinAsync()).ToString(CultureInfo.InvariantCulture);
            Ids["team"] = Uri.EscapeDataString(await db.People.Where(p => p.Team != null).Select(p => p.Team!).OrderBy(t => t).FirstAsync());
        }

        public async Task DisposeAsync() => await Factory.DisposeAsync();
    }
}
