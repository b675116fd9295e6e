using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Configuration;

namespace GovernanceDashboard.Tests.Infrastructure;

/// <summary>The real app, in process, on its own temporary SQLite store.</summary>
public sealed class AppFactory(string environment = "Development", Dictionary<string, string?>? extra = null) : WebApplicationFactory<Program>
{
    public TestStore Store { get; } = new();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment(environment);
        // Command-line style settings win over appsettings*.json, as they would for an operator; extra ones over the store's.
        var settings = new Dictionary<string, string?>(Store.Settings);
        foreach (var (key, value) in extra ?? []) settings[key] = value;
        foreach (var (key, value) in settings)
            builder.UseSetting(key, value);
        builder.ConfigureAppConfiguration(c => c.AddInMemoryCollection(settings));
    }

    /// <summary>A client that keeps cookies and does not follow redirects, so tests see them.</summary>
    public HttpClient Client() => CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });

    /// <summary>Signs in locally as a person of the directory through the real form (antiforgery included).</summary>
    public async Task<HttpClient> SignedInClientAsync(string email)
    {
        var client = Client();
        var response = await SignInAsync(client, email);
        if (response.StatusCode != HttpStatusCode.Redirect || response.Headers.Location?.OriginalString.Contains("error", StringComparison.Ordinal) == true)
            throw new InvalidOperationException($"Sign-in as {email} failed: {(int)response.StatusCode} {response.Headers.Location}");
        return client;
    }

    /// <summary>The antiforgery token the sign-in page's form carries, for posting forms as a browser would.</summary>
    public static async Task<string> AntiforgeryTokenAsync(HttpClient client)
    {
        var page = await client.GetStringAsync("/login");
        return Regex.Match(page, "name=\"__RequestVerificationToken\" value=\"([^\"]+)\"").Groups[1].Value;
    }

    public static async Task<HttpResponseMessage> SignInAsync(HttpClient client, string email)
    {
        var token = await AntiforgeryTokenAsync(client);
        return await client.PostAsync("/auth/local", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["email"] = email,
            ["returnUrl"] = "/",
            ["__RequestVerificationToken"] = token,
        }));
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        await Store.DisposeAsync();
    }
}
