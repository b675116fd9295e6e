using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using GovernanceDashboard.Auth;
using GovernanceDashboard.Domain;
using GovernanceDashboard.Tests.Importers;
using GovernanceDashboard.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace GovernanceDashboard.Tests.Ingestion;

/// <summary><c>Imports:MaxUploadMegabytes</c> against a real Kestrel port (the in-memory test server enforces no body limit),
/// in Production, where an unhandled error would be a 500 page.</summary>
public sealed class UploadLimitTests : IAsyncLifetime
{
    private const int Megabyte = 1024 * 1024;
    private readonly AppFactory _app = new("Production", new() { ["Imports:MaxUploadMegabytes"] = "40" });
    private HttpClient _client = default!;

    public async Task InitializeAsync()
    {
        _app.UseKestrel(0);
        _app.StartServer();
        var address = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First()
            .Replace("[::]", "127.0.0.1", StringComparison.Ordinal).Replace("localhost", "127.0.0.1", StringComparison.Ordinal);
        await using (var db = _app.Store.Factory.CreateDbContext())
        {
            db.People.Add(new Person { Email = "analyst@example.com", DisplayName = "Analyst", Roles = Roles.Analyst });
            await db.SaveChangesAsync();
        }
        var key = await ApiKeys.CreateAsync(_app.Store.Factory, "analyst@example.com", "ci", "test");
        // "Expect: 100-continue", as curl sends for a large body: a refused upload is answered before it is sent, rather
        // than the client seeing its connection closed mid-body.
        _client = new HttpClient(new SocketsHttpHandler { Expect100ContinueTimeout = TimeSpan.FromMinutes(1) })
        {
            BaseAddress = new Uri(address), Timeout = TimeSpan.FromMinutes(5),
        };
        _client.DefaultRequestHeaders.ExpectContinue = true;
        _client.DefaultRequestHeaders.Add("X-Api-Key", key!.Key);
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _app.DisposeAsync();
    }

    /// <summary>A TruffleHog file of about size bytes: a few records padded with long redacted text (fast to import).</summary>
    private static byte[] TruffleHogOf(long size)
    {
        var text = new StringBuilder();
        var padding = new string('x', 900 * 1024);
        for (var i = 0; text.Length < size; i++)
            text.Append("{\"SourceMetadata\":{\"Data\":{\"Git\":{\"repository\":\"https://github.com/acme/pad\",\"commit\":\"")
                .Append(i.ToString("x40", System.Globalization.CultureInfo.InvariantCulture)).Append("\",\"file\":\"f.py\",\"line\":1}}},")
                .Append("\"DetectorName\":\"HuggingFace\",\"Verified\":false,\"Raw\":\"hf_").Append(i.ToString("D10", System.Globalization.CultureInfo.InvariantCulture))
                .Append("padpadpadpadpadpadpadpadpa\",\"Redacted\":\"").Append(padding).Append("\"}\n");
        return Encoding.UTF8.GetBytes(text.ToString());
    }

    private static async Task AssertProblem413Async(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Contains("40 MB", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_file_under_the_setting_but_over_kestrels_default_is_imported()
    {
        var file = TruffleHogOf(35L * Megabyte);
        var response = await _client.PostAsync("/api/imports?fileName=padded.jsonl", new ByteArrayContent(file));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var summary = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.True(summary.GetProperty("tokensNew").GetInt32() >= 38);
    }

    [Fact]
    public async Task A_declared_50_MB_over_a_40_MB_setting_gets_413_problem_json()
    {
        var response = await _client.PostAsync("/api/imports", new ByteArrayContent(new byte[50 * Megabyte]));
        await AssertProblem413Async(response);
    }

    [Fact]
    public async Task A_streamed_body_without_a_length_one_byte_over_the_setting_gets_413_problem_json()
    {
        // One byte over: the server has read the whole body when it refuses it, so the client sees the answer.
        var content = new StreamContent(new UnknownLengthStream(new byte[40 * Megabyte + 1]));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        var response = await _client.PostAsync("/api/imports", content);
        await AssertProblem413Async(response);
    }

    [Fact]
    public async Task Other_endpoints_keep_kestrels_default_limit()
    {
        var body = new StringContent("{\"accept\":true," + new string(' ', 35 * Megabyte) + "}", Encoding.UTF8, "application/json");
        var response = await _client.PostAsync("/api/my/tokens/1/suggestion", body);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
    }

    /// <summary>A body sent chunked, as a pipeline streaming a scanner's output would.</summary>
    private sealed class UnknownLengthStream(byte[] data) : ForwardOnlyStream
    {
        private readonly MemoryStream _inner = new(data);

        public override int Read(byte[] buffer, int offset, int count)
        {
            var n = _inner.Read(buffer, offset, count);
            BytesRead += n;
            return n;
        }
    }
}
