namespace GovernanceDashboard.Ingestion.Rules;

/// <summary>An exposure's severity (docs/metrics.md "Severity"), judged on what its earliest detection reported.</summary>
public static class SeverityRule
{
    /// <summary>Inactive: low; verified with write access where anyone can read it: critical; verified: high; otherwise medium.</summary>
    public static Severity AtDetection(Verification verification, WriteCapability write, bool publicOrLeaked) => verification switch
    {
        Verification.Inactive => Severity.Low,
        Verification.Verified when write == WriteCapability.Write && publicOrLeaked => Severity.Critical,
        Verification.Verified => Severity.High,
        _ => Severity.Medium,
    };

    /// <summary>Whether a finding was where anyone can read it: a public repository, or GitHub says it leaked publicly.</summary>
    public static bool IsPublic(Finding finding) => finding.PubliclyLeaked || finding.Visibility == RepoVisibility.Public;
}
