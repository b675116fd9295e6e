namespace GovernanceDashboard.Reporting;

/// <summary>Which period a scheduled report covers and when the next one is due; pure, so it is tested without a clock.</summary>
public static class ReportSchedule
{
    public const string Monthly = "Monthly";
    public const string Weekly = "Weekly";
    public const string Off = "Off";

    public static readonly string[] Frequencies = [Monthly, Weekly, Off];

    /// <summary>The calendar month before the one <paramref name="now"/> falls in.</summary>
    public static ReportPeriod LastMonth(DateTimeOffset now)
    {
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        var first = new DateOnly(today.Year, today.Month, 1);
        return new ReportPeriod(first.AddMonths(-1), first.AddDays(-1));
    }

    /// <summary>The Monday-to-Sunday week before the one <paramref name="now"/> falls in.</summary>
    public static ReportPeriod LastWeek(DateTimeOffset now)
    {
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        var monday = today.AddDays(-(((int)today.DayOfWeek + 6) % 7));
        return new ReportPeriod(monday.AddDays(-7), monday.AddDays(-1));
    }

    /// <summary>The last complete period of the schedule at <paramref name="now"/>: the one to mail if it was not yet.</summary>
    public static ReportPeriod? LastComplete(string frequency, DateTimeOffset now) => frequency switch
    {
        Monthly => LastMonth(now),
        Weekly => LastWeek(now),
        _ => null,
    };

    /// <summary>When the period running at <paramref name="now"/> ends, and its report becomes due.</summary>
    public static DateTimeOffset? NextDue(string frequency, DateTimeOffset now) =>
        LastComplete(frequency, now) is { } last ? Next(frequency, last).End : null;

    private static ReportPeriod Next(string frequency, ReportPeriod period) => frequency == Weekly
        ? new ReportPeriod(period.From.AddDays(7), period.To.AddDays(7))
        : new ReportPeriod(period.From.AddMonths(1), period.From.AddMonths(2).AddDays(-1));

    /// <summary>The addresses of a comma- or semicolon-separated list, trimmed, lower-case, each once.</summary>
    public static IReadOnlyList<string> Recipients(string? list) =>
        (list ?? "").Split([',', ';', '\n', ' '], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(Domain.Person.NormalizeEmail).Distinct(StringComparer.Ordinal).ToList();

    /// <summary>The audit subject of one period's mailing: what says it was sent, so a restart never sends it twice.</summary>
    public static string AuditSubject(ReportPeriod period) => $"report:{ReportPeriod.Day(period.From)}/{ReportPeriod.Day(period.To)}";
}
