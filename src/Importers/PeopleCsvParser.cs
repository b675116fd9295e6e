namespace GovernanceDashboard.Importers;

/// <summary>Reads the people directory CSV (<c>email,display_name,team,manager_email,active[,roles][,github_login]</c>) into person rows.
/// Without a <c>roles</c> column the rows carry no roles (null: existing roles stay as they are); with it, an empty
/// cell means "no role".</summary>
public static class PeopleCsvParser
{
    // The columns, by header name (matched without case; spaces and hyphens read as underscores): a new column is added
    // here and read in Map.
    private static readonly string[] Required = ["email", "display_name", "team", "manager_email", "active"];
    private static readonly string[] Optional = ["roles", "github_login"];

    /// <summary>Lazily parses the stream; see <see cref="Parsers.Parse"/> for the error contract. Emails are trimmed and lower-cased.</summary>
    public static IEnumerable<ParsedItem> Parse(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        return Iterate(stream);
    }

    private static IEnumerable<ParsedItem> Iterate(Stream stream)
    {
        using var table = CsvTable.Open(stream, ImportFormats.PeopleCsv, Required, Optional);
        var hasRoles = table.HasColumn("roles");
        var hasLogin = table.HasColumn("github_login");
        foreach (var item in table.Records(Required, (row, line) => WithLogin(Map(row, line, hasRoles), row, line, hasLogin))) yield return item;
    }

    /// <summary>The <c>github_login</c> column, when present: "" for an empty cell (the login is cleared), null without the column
    /// (logins stay as they are). A login is checked by the rule the GitHub sync applies to GitHub's own (<see cref="Sync.SyncOptions.IsValidOwner"/>); kept lower-cased.</summary>
    private static ParsedItem WithLogin(ParsedItem item, CsvTable.Row row, int line, bool hasLogin)
    {
        if (!hasLogin || item is not PersonRow person) return item;
        var login = row["github_login"]?.Trim() ?? "";
        if (login.Length > 0 && !Sync.SyncOptions.IsValidOwner(login))
            return new RejectedRecord(line, $"github_login is {CsvValues.Quote(row["github_login"])}; expected a GitHub login (letters, digits, hyphens)");
        return person with { GitHubLogin = login.ToLowerInvariant() };
    }

    private static ParsedItem Map(CsvTable.Row row, int line, bool hasRoles)
    {
        var email = CsvValues.Email(row["email"]);
        if (email is null) return new RejectedRecord(line, "email is missing or not an address");

        var manager = row["manager_email"];
        var managerEmail = CsvValues.Email(manager);
        if (manager is not null && managerEmail is null) return new RejectedRecord(line, "manager_email is not an address");

        if (CsvValues.Bool(row["active"]) is not { } active)
        {
            return new RejectedRecord(line, $"active is {CsvValues.Quote(row["active"])}; expected true/false, yes/no or 1/0");
        }

        if (!hasRoles) return new PersonRow(line, email, row["display_name"] ?? email, row["team"], managerEmail, active, null);
        var roles = Roles.None;
        foreach (var name in (row["roles"] ?? "").Split([';', ','], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!Enum.TryParse<Roles>(name, ignoreCase: true, out var role) || role == Roles.None || !Enum.IsDefined(role) || !name.All(char.IsLetter))
            {
                return new RejectedRecord(line, $"unknown role {CsvValues.Quote(name)}; expected Admin, Analyst, Approver or Auditor");
            }
            roles |= role;
        }

        return new PersonRow(line, email, row["display_name"] ?? email, row["team"], managerEmail, active, roles);
    }
}
