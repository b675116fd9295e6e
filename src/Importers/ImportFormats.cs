namespace GovernanceDashboard.Importers;

/// <summary>The format ids accepted by <see cref="Parsers.Parse"/> and returned by detection (docs/imports.md).</summary>
public static class ImportFormats
{
    public const string Auto = "auto";
    public const string TruffleHog = "trufflehog";
    public const string Gitleaks = "gitleaks";
    public const string GitHubAlerts = "github-alerts";
    public const string Sarif = "sarif";
    public const string PeopleCsv = "people-csv";
    public const string OwnersCsv = "owners-csv";

    /// <summary>What detection calls an empty JSON array (<c>[]</c>, <c>[][]</c>, <c>[[]]</c>): a scan that found nothing.
    /// gitleaks and GitHub's alert list both write it, so the file cannot say which tool it came from; it imports as an
    /// empty import under this id rather than under a guessed tool's name. Not offered as a choice.</summary>
    public const string NoFindings = "no-findings";

    /// <summary>Every concrete format id, in the order docs/imports.md lists them.</summary>
    public static IReadOnlyList<string> All { get; } = [TruffleHog, Gitleaks, GitHubAlerts, Sarif, PeopleCsv, OwnersCsv];

    /// <summary>What a person should be told a format looks like when a file is not it.</summary>
    internal static string Describe(string formatId) => formatId switch
    {
        TruffleHog => "trufflehog (TruffleHog v3 --json: one JSON object per line)",
        Gitleaks => "gitleaks (Gitleaks v8 --report-format json: a JSON array of findings)",
        GitHubAlerts => "github-alerts (GitHub secret scanning alerts REST response: a JSON array)",
        Sarif => "sarif (SARIF 2.1.0: an object with \"version\" and \"runs\")",
        PeopleCsv => "people-csv (CSV with header email,display_name,team,manager_email,active[,roles][,github_login])",
        OwnersCsv => "owners-csv (CSV with header platform,account,owner_email)",
        NoFindings => "no-findings (an empty JSON array: a report that found nothing)",
        _ => "one of " + string.Join(", ", All),
    };
}
