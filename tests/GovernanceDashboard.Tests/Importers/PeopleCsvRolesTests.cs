using System.Text;
using GovernanceDashboard.Domain;
using GovernanceDashboard.Importers;

namespace GovernanceDashboard.Tests.Importers;

/// <summary>A people-csv without a roles column says nothing about roles; with one, an empty cell means none.</summary>
public class PeopleCsvRolesTests
{
    private static List<PersonRow> Parse(string csv) =>
        PeopleCsvParser.Parse(new MemoryStream(Encoding.UTF8.GetBytes(csv))).OfType<PersonRow>().ToList();

    [Fact]
    public void Without_a_roles_column_rows_carry_no_roles()
    {
        var rows = Parse("email,display_name,team,manager_email,active\na@example.com,A,T,,true\n");
        Assert.Null(Assert.Single(rows).Roles);
    }

    [Fact]
    public void With_a_roles_column_an_empty_cell_is_no_role()
    {
        var rows = Parse("email,display_name,team,manager_email,active,roles\na@example.com,A,T,,true,\nb@example.com,B,T,,true,Auditor\n");
        Assert.Equal([Roles.None, Roles.Auditor], rows.Select(r => r.Roles));
    }
}
