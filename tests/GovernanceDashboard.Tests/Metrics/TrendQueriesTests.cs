using GovernanceDashboard.Facts;
using GovernanceDashboard.Metrics;
using GovernanceDashboard.Tests.Infrastructure;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace GovernanceDashboard.Tests.Metrics;

/// <summary>The chart series on a hand-computed scenario, as of Sunday 2026-11-15 00:00 UTC.</summary>
public class TrendQueriesTests
{
    private static readonly DateTimeOffset AsOf = new(2026, 11, 15, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Monthly_weekly_and_time_to_remediate_series_count_each_exposure_in_its_own_period()
    {
        await using var store = await new TestStore().MigrateAsync();
        // detected, remediated, dismissed
        Seed(store.ConnectionString,
            ("2026-09-10", "2026-09-11", null),   // a: opened Sep, remediated Sep in 24 h
            ("2026-10-01", "2026-10-03", null),   // b: opened Oct, remediated Oct in 48 h
            ("2026-10-20", "2026-11-02", null),   // c: opened Oct, remediated Nov in 312 h
            ("2026-11-01", null, "2026-11-03"),   // d: opened Nov, dismissed (no time to remediate)
            ("2026-08-01", "2026-09-02", null),   // e: opened before the window, remediated Sep in 768 h
            ("2026-11-10", null, null),           // f: opened Nov, still open
            ("2026-11-20", null, null));          // g: after asOf, not counted
        using var facts = new GovernanceFacts(store.Factory, NullLogger<GovernanceFacts>.Instance);
        var trends = new TrendQueries(facts, new FakeTimeProvider(AsOf));

        var months = await trends.ExposuresByMonthAsync(3);
        Assert.Equal([new DateOnly(2026, 9, 1), new DateOnly(2026, 10, 1), new DateOnly(2026, 11, 1)], months.Select(m => m.Month));
        Assert.Equal([1, 2, 2], months.Select(m => m.Opened));
        Assert.Equal([2, 1, 1], months.Select(m => m.Remediated));
        Assert.Equal([396.0, 48.0, 312.0], months.Select(m => m.MedianTtrHours!.Value));

        var ttr = await trends.TimeToRemediateByMonthAsync(3);
        Assert.Equal([2, 1, 1], ttr.Select(m => m.Count));
        Assert.Equal([396.0, 48.0, 312.0], ttr.Select(m => m.MedianHours!.Value));
        // p90 of {24, 768}: 24 + 0.9 × 744.
        Assert.Equal(693.6, ttr[0].P90Hours!.Value, precision: 9);

        // Weeks start on Monday: 2 Nov and 9 Nov. Opened: f (10 Nov). Closed: c (remediated 2 Nov) and d (dismissed 3 Nov).
        var weeks = await trends.ExposuresByWeekAsync(2);
        Assert.Equal([new DateOnly(2026, 11, 2), new DateOnly(2026, 11, 9)], weeks.Select(w => w.WeekStart));
        Assert.Equal([0, 1], weeks.Select(w => w.Opened));
        Assert.Equal([2, 0], weeks.Select(w => w.Closed));
    }

    private static void Seed(string connectionString, params (string Detected, string? Remediated, string? Dismissed)[] exposures)
    {
        static object Ms(string? day) => day is null ? DBNull.Value : DateTimeOffset.Parse(day + "T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture).ToUnixTimeMilliseconds();
        using var connection = new SqliteConnection(connectionString);
        connection.Open();
        using var token = connection.CreateCommand();
        token.CommandText = """
            INSERT INTO Tokens (Identity, Identified, Mask, Platform, Kind, WriteCapability, OwnerSource, Status, FirstSeenAt, LastSeenAt)
            VALUES ('s:1', 1, 'hf_…abcd', 'HuggingFace', 'Other', 'Read', 'Manual', 'Active', 0, 0)
            """;
        token.ExecuteNonQuery();
        foreach (var (detected, remediated, dismissed) in exposures)
        {
            using var command = connection.CreateCommand();
            command.CommandText = """
                INSERT INTO Exposures (TokenId, DetectedAt, Severity, VerificationAtDetection, State, RemediatedAt, DismissedAt)
                VALUES (1, @d, 'High', 'Verified', @s, @r, @x)
                """;
            command.Parameters.AddWithValue("@d", Ms(detected));
            command.Parameters.AddWithValue("@s", remediated is not null ? "Remediated" : dismissed is not null ? "Dismissed" : "Open");
            command.Parameters.AddWithValue("@r", Ms(remediated));
            command.Parameters.AddWithValue("@x", Ms(dismissed));
            command.ExecuteNonQuery();
        }
    }
}
