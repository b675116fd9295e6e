using GovernanceDashboard.Domain;

namespace GovernanceDashboard.Importers;

/// <summary>Reads the people directory CSV (<c>email,display_name,team,manager_email,active[,roles]</c>) into person rows.
/// Without a <c>roles</c> column the rows carry no roles (null: existing roles stay as they are); with it, an empty
/// cell means "no role".</summary>
public static class PeopleCsvParser
{
    private static readonly string[] _required = ["email", "display_name", "team", "manager_email", "active"];
    private static readonly string[] _optional = ["roles"];

    /// <summary>Lazily parses the stream; see <see cref="Parsers.Parse"/> for the error contract. Emails are trimmed and lower-cased.</summary>
    public static IEnumerable<ParsedItem> Parse(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        return Iterate(stream);
    }

    private static IEnumerable<ParsedItem> Iterate(Stream stream)
    {
        var table = CsvTable.Open(stream, ImportFormats.PeopleCsv, _required, _optional);
        var requiredFields = table.LastRequiredIndex(_required) + 1;
        var hasRoles = table.HasColumn("roles");
        while (table.TryReadRow(out var row, out var line, out var reason))
        {
            if (reason is not null)
            {
                yield return new RejectedRecord(line, reason);
                continue;
            }
            if (row.FieldCount < requiredFields)
            {
                yield return new RejectedRecord(line, $"{row.FieldCount} fields where {requiredFields} are needed");
                continue;
            }
            yield return Map(row, line, hasRoles);
        }
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
