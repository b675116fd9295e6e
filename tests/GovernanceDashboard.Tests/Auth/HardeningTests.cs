using System.Net;
using System.Net.Http.Headers;
using System.Runtime.Versioning;
using System.Text.RegularExpressions;
using GovernanceDashboard.Auth;
using GovernanceDashboard.Data;
using GovernanceDashboard.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace GovernanceDashboard.Tests.Auth;

/// <summary>Issue 10, item 10: headers, antiforgery on sign-out, return URLs, log lines, rate limits, file modes, proxies.</summary>
public class HardeningTests
{
    private const string Analyst = "analyst@example.com";

    private static string Sample(string name) => Path.Combine(AppContext.BaseDirectory, "Fixtures", "samples", name);

    private static async Task<AppFactory> AppWithAnalystAsync(Dictionary<string, string?>? extra = null, string environment = "Development")
    {
        var app = new AppFactory(environment, extra);
        _ = app.Server;
        await using var db = app.Store.Factory.CreateDbContext();
        db.People.AddRange(
            new Domain.Person { Email = Analyst, DisplayName = "Analyst", Roles = Domain.Roles.Analyst },
            new Domain.Person { Email = "other@example.com", DisplayName = "Other", Roles = Domain.Roles.Auditor });
        await db.SaveChangesAsync();
        return app;
    }

    private static async Task<HttpClient> KeyClientAsync(AppFactory app, string email)
    {
        var key = await ApiKeys.CreateAsync(app.Store.Factory, email, "test", "test");
        var client = app.Client();
        client.DefaultRequestHeaders.Add(ApiKeyAuthenticationHandler.Header, key!.Key);
        return client;
    }

    [Fact]
    public async Task Pages_carry_a_content_security_policy_whose_nonce_is_on_the_import_map_and_no_unsafe_eval()
    {
        await using var app = await AppWithAnalystAsync();
        var response = await app.Client().GetAsync("/login");
        var csp = string.Join(";", response.Headers.GetValues("Content-Security-Policy"));
        var html = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"/login: {(int)response.StatusCode} {html[..Math.Min(html.Length, 1000)]}");

        Assert.Equal("nosniff", Assert.Single(response.Headers.GetValues("X-Content-Type-Options")));
        Assert.Equal("no-referrer", Assert.Single(response.Headers.GetValues("Referrer-Policy")));
        Assert.DoesNotContain("unsafe-eval", csp, StringComparison.Ordinal);
        Assert.Contains("object-src 'none'", csp, StringComparison.Ordinal);
        Assert.Contains("frame-ancestors 'none'", csp, StringComparison.Ordinal);
        var nonce = Regex.Match(csp, "script-src 'self' 'nonce-([^']+)'").Groups[1].Value;
        Assert.NotEmpty(nonce);
        // Every inline script of the page carries the nonce; none runs without it.
        var inline = Regex.Matches(html, "<script(?![^>]*\\bsrc=)[^>]*>").Select(m => m.Value).ToList();
        Assert.NotEmpty(inline);
        Assert.All(inline, tag => Assert.Contains($"nonce=\"{nonce}\"", WebUtility.HtmlDecode(tag), StringComparison.Ordinal));
        // A nonce is per answer.
        var again = string.Join(";", (await app.Client().GetAsync("/login")).Headers.GetValues("Content-Security-Policy"));
        Assert.DoesNotContain(nonce, again, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/api/metrics")]
    [InlineData("/api/tokens")]
    [InlineData("/export/tokens.csv")]
    [InlineData("/export/teams.csv")]
    public async Task Api_and_export_answers_are_nosniff_no_referrer_and_never_stored(string path)
    {
        await using var app = await AppWithAnalystAsync();
        var client = await KeyClientAsync(app, Analyst);

        var response = await client.GetAsync(path);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("nosniff", Assert.Single(response.Headers.GetValues("X-Content-Type-Options")));
        Assert.Equal("no-referrer", Assert.Single(response.Headers.GetValues("Referrer-Policy")));
        Assert.True(response.Headers.CacheControl?.NoStore, "no Cache-Control: no-store");
    }

    [Fact]
    public async Task A_refused_api_answer_is_not_stored_either()
    {
        await using var app = await AppWithAnalystAsync();
        var response = await app.Client().GetAsync("/api/metrics");
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.True(response.Headers.CacheControl?.NoStore);
    }

    [Fact]
    public async Task Sign_out_needs_the_antiforgery_token_that_the_layouts_form_carries()
    {
        await using var app = await AppWithAnalystAsync();
        var client = await app.SignedInClientAsync(Analyst);

        // A cross-site form (no token) does not sign the person out.
        var forged = await client.PostAsync("/logout", new FormUrlEncodedContent([]));
        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/my-tokens")).StatusCode);

        // The layout's sign-out form, as the page renders it, does.
        var page = await client.GetStringAsync("/my-tokens");
        var form = Regex.Match(page, "<form method=\"post\" action=\"/logout\".*?</form>", RegexOptions.Singleline).Value;
        var token = Regex.Match(form, "name=\"__RequestVerificationToken\" value=\"([^\"]+)\"").Groups[1].Value;
        Assert.NotEmpty(token);
        var signOut = await client.PostAsync("/logout", new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = token }));
        Assert.Equal(HttpStatusCode.Redirect, signOut.StatusCode);
        Assert.Equal("/login", signOut.Headers.Location!.OriginalString);
        Assert.StartsWith("/login", (await client.GetAsync("/my-tokens")).Headers.Location!.PathAndQuery, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/\t/x", "/")]
    [InlineData("/\r\n/evil.example", "/")]
    [InlineData("/\\evil.example", "/")]
    [InlineData("//evil.example/", "/")]
    [InlineData("https://evil.example/", "/")]
    [InlineData("/tokens?status=Exposed", "/tokens?status=Exposed")]
    public async Task A_return_url_that_is_not_a_local_path_falls_back_to_the_overview(string returnUrl, string expected)
    {
        await using var app = await AppWithAnalystAsync();
        var client = app.Client();
        var token = await AppFactory.AntiforgeryTokenAsync(client);

        var response = await client.PostAsync("/auth/local", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["email"] = Analyst, ["returnUrl"] = returnUrl, ["__RequestVerificationToken"] = token,
        }));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal(expected, response.Headers.Location!.OriginalString);
    }

    [Fact]
    public async Task A_newline_in_the_uploaded_file_name_cannot_forge_a_log_line()
    {
        var logs = new CapturedLogs();
        await using var app = await AppWithAnalystAsync();
        await using var logged = app.WithWebHostBuilder(b => b.ConfigureLogging(l => l.AddProvider(logs)));
        var key = await ApiKeys.CreateAsync(app.Store.Factory, Analyst, "ci", "test");
        var client = logged.CreateClient();
        client.DefaultRequestHeaders.Add(ApiKeyAuthenticationHandler.Header, key!.Key);
        var fileName = Uri.EscapeDataString("scan.jsonl\nCritical GovernanceDashboard.Auth: admin@local granted Admin");

        var response = await client.PostAsync($"/api/imports?fileName={fileName}",
            new ByteArrayContent(await File.ReadAllBytesAsync(Sample("trufflehog.jsonl"))) { Headers = { ContentType = new MediaTypeHeaderValue("application/octet-stream") } });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var line = Assert.Single(logs.Lines, l => l.Contains("Import ", StringComparison.Ordinal) && l.Contains("scan.jsonl", StringComparison.Ordinal));
        Assert.DoesNotContain('\n', line.TrimEnd());
        Assert.Contains("scan.jsonl\\u000ACritical", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sign_in_is_rate_limited_per_client_with_429_and_retry_after()
    {
        await using var app = await AppWithAnalystAsync(new() { ["RateLimits:SignInPerMinute"] = "2" });
        var client = app.Client();

        Assert.Equal(HttpStatusCode.Redirect, (await AppFactory.SignInAsync(client, Analyst)).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await AppFactory.SignInAsync(client, "nobody@example.com")).StatusCode);
        var refused = await AppFactory.SignInAsync(client, Analyst);

        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.True(refused.Headers.RetryAfter?.Delta > TimeSpan.Zero, "429 without Retry-After");
        // The page itself is not a sign-in attempt: people still see where they are.
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/login")).StatusCode);
    }

    [Fact]
    public async Task The_api_is_rate_limited_per_person_with_429_and_retry_after()
    {
        await using var app = await AppWithAnalystAsync(new() { ["RateLimits:ApiPerMinute"] = "3" });
        var analyst = await KeyClientAsync(app, Analyst);
        var other = await KeyClientAsync(app, "other@example.com");

        for (var i = 0; i < 3; i++) Assert.Equal(HttpStatusCode.OK, (await analyst.GetAsync("/api/metrics")).StatusCode);
        var refused = await analyst.GetAsync("/export/teams.csv");

        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.True(refused.Headers.RetryAfter?.Delta > TimeSpan.Zero, "429 without Retry-After");
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
        // Another person has their own budget.
        Assert.Equal(HttpStatusCode.OK, (await other.GetAsync("/api/metrics")).StatusCode);
    }

    [Fact, UnsupportedOSPlatform("windows")]
    public async Task The_store_folder_it_creates_is_0700_and_the_database_wal_and_shm_are_0600()
    {
        await using var store = new TestStore();
        var folder = Path.Combine(store.Directory, "private", "data");
        var database = Path.Combine(folder, "governance.db");
        await using var app = new AppFactory(extra: new() { ["ConnectionStrings:Governance"] = $"Data Source={database}" });
        _ = app.Server;
        // Keep a connection open, so the WAL and shared-memory files exist while we look.
        var factory = app.Services.GetRequiredService<IDbContextFactory<GovernanceDbContext>>();
        await using var db = await factory.CreateDbContextAsync();
        await db.Database.OpenConnectionAsync();
        db.People.Add(new Domain.Person { Email = "x@example.com", DisplayName = "X" });
        await db.SaveChangesAsync();

        const UnixFileMode owner = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        Assert.Equal(owner | UnixFileMode.UserExecute, File.GetUnixFileMode(folder));
        foreach (var file in new[] { database, database + "-wal", database + "-shm" })
        {
            Assert.True(File.Exists(file), file + " missing");
            Assert.Equal(owner, File.GetUnixFileMode(file));
        }
    }

    [Fact, UnsupportedOSPlatform("windows")]
    public void A_store_made_before_the_rule_is_tightened_on_start()
    {
        var folder = Path.Combine(Path.GetTempPath(), "gd-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        try
        {
            var database = Path.Combine(folder, "governance.db");
            const UnixFileMode open = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead;
            File.WriteAllBytes(database, []);
            File.WriteAllBytes(database + "-wal", []);
            File.SetUnixFileMode(database, open);
            File.SetUnixFileMode(database + "-wal", open);

            DataRegistration.ResolveSqlitePath($"Data Source={database}", folder);

            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(database));
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(database + "-wal"));
        }
        finally
        {
            Directory.Delete(folder, true);
        }
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Behind_a_tls_proxy_cookies_are_secure_and_hsts_is_sent_only_when_forwarded_headers_are_enabled(bool enabled)
    {
        await using var app = new AppFactory("Production", new()
        {
            ["LocalSignIn:Enabled"] = "true",
            ["ForwardedHeaders:Enabled"] = enabled ? "true" : "false",
        });
        app.UseKestrel(0);
        app.StartServer();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First()
            .Replace("[::]", "127.0.0.1", StringComparison.Ordinal).Replace("localhost", "127.0.0.1", StringComparison.Ordinal);
        using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = new Uri(address) };
        // What a TLS-terminating proxy on the same host sends on: the site's name and the scheme the browser used.
        HttpRequestMessage ViaProxy(HttpMethod method, string path, string? cookie = null)
        {
            var request = new HttpRequestMessage(method, path);
            request.Headers.Host = "governance.example";
            request.Headers.Add("X-Forwarded-Proto", "https");
            request.Headers.Add("X-Forwarded-For", "203.0.113.7");
            if (cookie is not null) request.Headers.Add("Cookie", cookie);
            return request;
        }

        using var login = await http.SendAsync(ViaProxy(HttpMethod.Get, "/login"));
        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        Assert.Equal(enabled, login.Headers.Contains("Strict-Transport-Security"));
        var antiforgery = login.Headers.GetValues("Set-Cookie").Single().Split(';')[0];
        var token = Regex.Match(await login.Content.ReadAsStringAsync(), "name=\"__RequestVerificationToken\" value=\"([^\"]+)\"").Groups[1].Value;
        await using (var db = app.Store.Factory.CreateDbContext())
        {
            db.People.Add(new Domain.Person { Email = Analyst, DisplayName = "Analyst", Roles = Domain.Roles.Analyst });
            await db.SaveChangesAsync();
        }
        using var post = ViaProxy(HttpMethod.Post, "/auth/local", antiforgery);
        post.Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["email"] = Analyst, ["returnUrl"] = "/", ["__RequestVerificationToken"] = token });
        using var signIn = await http.SendAsync(post);

        Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
        var cookies = login.Headers.GetValues("Set-Cookie").Concat(signIn.Headers.GetValues("Set-Cookie")).ToList();
        Assert.Contains(cookies, c => c.StartsWith("gd.auth", StringComparison.Ordinal));
        Assert.All(cookies, c => Assert.Equal(enabled, c.Contains("secure", StringComparison.OrdinalIgnoreCase)));
    }
}
