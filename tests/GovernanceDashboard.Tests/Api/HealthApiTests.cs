using System.Net;
using GovernanceDashboard.Tests.Infrastructure;
using Microsoft.Data.Sqlite;

namespace GovernanceDashboard.Tests.Api;

/// <summary>/healthz through the real pipeline on a real SQLite file: healthy while the store answers a query over its schema,
/// 503 naming only the kind of failure once it does not.</summary>
public class HealthApiTests
{
    [Fact]
    public async Task Health_is_unhealthy_when_the_store_has_lost_its_schema()
    {
        await using var app = new AppFactory(extra: new() { ["Demo:SeedWhenEmpty"] = "false" });
        var client = app.Client();
        var healthy = await client.GetAsync("/healthz");
        Assert.Equal(HttpStatusCode.OK, healthy.StatusCode);
        Assert.Contains("database reachable", await healthy.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        await using (var connection = new SqliteConnection(app.Store.ConnectionString))
        {
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = "PRAGMA foreign_keys = OFF; DROP TABLE People;";
            await command.ExecuteNonQueryAsync();
        }
        var broken = await client.GetAsync("/healthz");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, broken.StatusCode);
        var body = await broken.Content.ReadAsStringAsync();
        Assert.Contains("database unreachable: SqliteException", body, StringComparison.Ordinal);
        Assert.DoesNotContain(app.Store.DatabasePath, body, StringComparison.Ordinal);
    }
}
