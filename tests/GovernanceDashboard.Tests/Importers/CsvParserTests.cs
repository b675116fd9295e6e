using GovernanceDashboard.Domain;
using GovernanceDashboard.Importers;
using Xunit;
using static GovernanceDashboard.Tests.Importers.ImporterTestFiles;

namespace GovernanceDashboard.Tests.Importers;

public class CsvParserTests
{
    [Fact]
    public void People_sample_yields_four_people_with_roles_and_activity()
    {
        var people = ParseFile("people-csv", Sample("people.csv")).OfType<PersonRow>().ToList();

        Assert.Equal(4, people.Count);
        Assert.Equal([2, 3, 4, 5], people.Select(p => p.Line));
        Assert.Equal(new PersonRow(2, "jdoe@example.com", "Jane Doe", "ML Platform", "lead@example.com", true, Roles.None), people[0]);
        Assert.Equal(Roles.Analyst, people[1].Roles);
        Assert.Equal(Roles.Admin | Roles.Approver, people[2].Roles);
        Assert.Null(people[2].ManagerEmail);
        Assert.False(people[3].Active);
    }

    [Fact]
    public void Owners_sample_yields_three_rules()
    {
        var rules = ParseFile("owners-csv", Sample("owners.csv")).OfType<OwnershipRow>().ToList();

        Assert.Equal(
            [
                new OwnershipRow(2, TokenPlatform.HuggingFace, "jdoe", "jdoe@example.com"),
                new OwnershipRow(3, TokenPlatform.HuggingFace, "asmith", "asmith@example.com"),
                new OwnershipRow(4, TokenPlatform.GitHub, "jdoe", "jdoe@example.com"),
            ],
            rules);
    }

    [Theory]
    [InlineData("hf", TokenPlatform.HuggingFace)]
    [InlineData("Hugging Face", TokenPlatform.HuggingFace)]
    [InlineData("HUGGINGFACE", TokenPlatform.HuggingFace)]
    [InlineData("github", TokenPlatform.GitHub)]
    [InlineData("Other", TokenPlatform.Other)]
    public void Owner_platform_names_are_read_loosely(string name, TokenPlatform expected)
    {
        var row = ParseText("owners-csv", $"platform,account,owner_email\n{name},acct,Owner@Example.com\n").OfType<OwnershipRow>().Single();

        Assert.Equal(expected, row.Platform);
        Assert.Equal("owner@example.com", row.OwnerEmail);
    }

    [Fact]
    public void Quoted_fields_with_commas_quotes_and_line_breaks_are_read()
    {
        var csv = "email,display_name,team,manager_email,active,roles\r\n" +
                  "a@x.io,\"Doe, \"\"JJ\"\" Jane\",\"Team\nTwo\",,yes,\"Admin;auditor\"\r\n" +
                  "b@x.io,Bob,T,,0\r\n";

        var people = ParseText("people-csv", csv).OfType<PersonRow>().ToList();

        Assert.Equal(2, people.Count);
        Assert.Equal("Doe, \"JJ\" Jane", people[0].DisplayName);
        Assert.Equal("Team\nTwo", people[0].Team);
        Assert.Equal(Roles.Admin | Roles.Auditor, people[0].Roles);
        Assert.Equal(2, people[0].Line);
        Assert.Equal(4, people[1].Line);
        Assert.False(people[1].Active);
        Assert.Equal(Roles.None, people[1].Roles);
    }

    [Fact]
    public void Columns_may_come_in_any_order_with_a_byte_order_mark()
    {
        var csv = "\uFEFFactive,Email,team,display_name,manager_email\n1,c@x.io,T,Cee,\n";

        var person = ParseText("people-csv", csv).OfType<PersonRow>().Single();

        Assert.Equal("c@x.io", person.Email);
        Assert.True(person.Active);
    }

    [Fact]
    public void Bad_people_rows_are_rejected_alone()
    {
        var csv = "email,display_name,team,manager_email,active,roles\n" +
                  "ok@x.io,Ok,T,,true,\n" +
                  "not-an-address,Bad,T,,true,\n" +
                  "m@x.io,Bad,T,,maybe,\n" +
                  "r@x.io,Bad,T,,true,Superuser\n" +
                  "s@x.io,Short\n" +
                  "q@x.io,\"unterminated,T,,true\n";

        var items = ParseText("people-csv", csv);

        Assert.Single(items.OfType<PersonRow>());
        var rejected = items.Rejected();
        Assert.Equal([3, 4, 5, 6, 7], rejected.Select(r => r.Line));
        Assert.Contains("email", rejected[0].Reason);
        Assert.Contains("active", rejected[1].Reason);
        Assert.Contains("Superuser", rejected[2].Reason);
        Assert.Contains("fields", rejected[3].Reason);
        Assert.Contains("unterminated", rejected[4].Reason);
    }

    [Fact]
    public void Bad_owner_rows_are_rejected_alone()
    {
        var csv = "platform,account,owner_email\nGitLab,a,a@x.io\nGitHub,,a@x.io\nGitHub,a,nobody\nGitHub,a,a@x.io\n";

        var items = ParseText("owners-csv", csv);

        Assert.Single(items.OfType<OwnershipRow>());
        Assert.Equal([2, 3, 4], items.Rejected().Select(r => r.Line));
    }

    [Fact]
    public void Csv_missing_columns_is_rejected_naming_them()
    {
        var ex = Assert.Throws<ImportRejectedException>(() => ParseText("people-csv", "email,display_name\na@x.io,A\n"));

        Assert.Contains("team", ex.Message);
        Assert.Contains("manager_email", ex.Message);
        Assert.Contains("active", ex.Message);
        Assert.Equal("people-csv", ex.Format);
        Assert.Equal(1, ex.Line);
    }

    [Fact]
    public void Owners_csv_missing_owner_email_is_rejected_naming_it()
    {
        var ex = Assert.Throws<ImportRejectedException>(() => ParseText("owners-csv", "platform,account\nGitHub,a\n"));

        Assert.Contains("owner_email", ex.Message);
    }

    [Fact]
    public void Invalid_utf8_in_one_csv_row_rejects_that_row_alone()
    {
        var bytes = "platform,account,owner_email\nGitHub,a"u8.ToArray()
            .Concat(new byte[] { 0xFF, 0xFE })
            .Concat(",a@x.io\nGitHub,b,b@x.io\n"u8.ToArray()).ToArray();

        var items = ParseBytes("owners-csv", bytes);

        Assert.Equal(2, Assert.Single(items.Rejected()).Line);
        Assert.Equal("b", Assert.Single(items.OfType<OwnershipRow>()).Account);
    }

    [Fact]
    public void A_nul_byte_in_one_csv_row_rejects_that_row_alone()
    {
        var items = ParseText("owners-csv", "platform,account,owner_email\nGitHub,a\0b,a@x.io\nGitHub,b,b@x.io\n");

        var rejected = Assert.Single(items.Rejected());
        Assert.Equal(2, rejected.Line);
        Assert.Contains("NUL", rejected.Reason);
        Assert.Equal(3, Assert.Single(items.OfType<OwnershipRow>()).Line);
    }

    [Fact]
    public void An_unclosed_quote_holding_more_than_16_MiB_rejects_the_file_naming_its_line()
    {
        // Read in pieces, as an upload arrives: the reader must stop growing its buffer, not hold the rest of the file.
        var text = "platform,account,owner_email\nGitHub,a,a@x.io\nGitHub,\"" + new string('a', 17 * 1024 * 1024) + "\n";

        var ex = Assert.Throws<ImportRejectedException>(() =>
            Parsers.Parse("owners-csv", new TrickleStream(System.Text.Encoding.UTF8.GetBytes(text), 64 * 1024)).ToList());

        Assert.Equal(3, ex.Line);
        Assert.Contains("16 MiB", ex.Message);
    }

    [Fact]
    public void A_row_starting_with_a_quote_that_is_never_closed_is_rejected_with_its_line()
    {
        var items = ParseText("owners-csv", "platform,account,owner_email\nGitHub,b,b@x.io\n\r\nGitHub,\"a,\na@x.io\n");

        Assert.Equal(2, Assert.Single(items.OfType<OwnershipRow>()).Line);
        var rejected = Assert.Single(items.Rejected());
        Assert.Equal(4, rejected.Line);
        Assert.Contains("unterminated", rejected.Reason);
    }
}
