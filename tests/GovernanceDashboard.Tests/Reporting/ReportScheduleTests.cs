using GovernanceDashboard.Reporting;
using GovernanceDashboard.Settings;

namespace GovernanceDashboard.Tests.Reporting;

public class ReportScheduleTests
{
    private static DateTimeOffset At(int y, int m, int d, int h = 0) => new(y, m, d, h, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Monthly_reports_the_calendar_month_before_and_is_next_due_when_the_running_month_ends()
    {
        Assert.Equal(new ReportPeriod(new(2026, 11, 1), new(2026, 11, 30)), ReportSchedule.LastComplete(ReportSchedule.Monthly, At(2026, 12, 2, 10)));
        Assert.Equal(new ReportPeriod(new(2025, 12, 1), new(2025, 12, 31)), ReportSchedule.LastComplete(ReportSchedule.Monthly, At(2026, 1, 1)));
        Assert.Equal(At(2027, 1, 1), ReportSchedule.NextDue(ReportSchedule.Monthly, At(2026, 12, 2, 10)));
        Assert.Equal(At(2026, 3, 1), ReportSchedule.NextDue(ReportSchedule.Monthly, At(2026, 2, 28, 23)));
    }

    [Fact]
    public void Weekly_reports_Monday_to_Sunday_before_and_Off_reports_nothing()
    {
        // 2026-12-02 is a Wednesday.
        Assert.Equal(new ReportPeriod(new(2026, 11, 23), new(2026, 11, 29)), ReportSchedule.LastComplete(ReportSchedule.Weekly, At(2026, 12, 2)));
        Assert.Equal(At(2026, 12, 7), ReportSchedule.NextDue(ReportSchedule.Weekly, At(2026, 12, 2)));
        Assert.Null(ReportSchedule.LastComplete(ReportSchedule.Off, At(2026, 12, 2)));
        Assert.Null(ReportSchedule.NextDue("Yearly", At(2026, 12, 2)));
    }

    [Fact]
    public void Recipients_are_trimmed_lower_case_and_once_each()
    {
        Assert.Equal(["a@x.test", "b@x.test"], ReportSchedule.Recipients(" A@x.test; b@x.test,a@x.test\n"));
        Assert.Empty(ReportSchedule.Recipients(null));
    }

    [Fact]
    public void A_report_period_runs_whole_UTC_days_whichever_way_it_was_picked()
    {
        var period = ReportPeriod.Of(new(2026, 11, 30), new(2026, 11, 1));
        Assert.Equal(30, period.Days);
        Assert.Equal(At(2026, 11, 1), period.Start);
        Assert.Equal(At(2026, 12, 1), period.End);
        Assert.Equal(new ReportPeriod(new(2026, 11, 3), new(2026, 12, 2)), ReportPeriod.LastDays(At(2026, 12, 2, 18), 30));
    }

    [Fact]
    public void Saving_one_tab_keeps_what_another_changed_since_it_loaded()
    {
        var loaded = new GovernanceSettings();
        var stored = loaded with { SlaHighHours = 48 };
        var edited = loaded with { ReportRecipients = "a@x.test" };

        var merged = GovernanceSettings.Merge(stored, loaded, edited);

        Assert.Equal(48, merged.SlaHighHours);
        Assert.Equal("a@x.test", merged.ReportRecipients);
    }
}
