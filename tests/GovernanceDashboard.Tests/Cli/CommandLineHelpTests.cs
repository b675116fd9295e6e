using GovernanceDashboard.Tests.Infrastructure;

namespace GovernanceDashboard.Tests.Cli;

/// <summary>The built program as a child process: --help on the program and on each verb, and a mistyped option refused with the
/// verb's usage (exit 2) rather than ignored.</summary>
public class CommandLineHelpTests
{
    [Fact]
    public async Task Help_lists_every_verb_with_its_arguments_generated_from_the_verbs()
    {
        await using var store = new TestStore();
        var help = await CliRunner.RunAsync(store, "--help");
        Assert.Equal(0, help.ExitCode);
        foreach (var line in new[]
        {
            "import FILE [--format ID] [--scanned-at ISO] [--json]", "metrics [--as-of ISO] [--from ISO] [--team NAME] [--json]", "seed-demo",
            "apikey create --person EMAIL --name NAME", "audit verify", "revoke --exposure ID [--json]", "validate --token ID [--json]",
            "reach [--token ID] [--json]",
        })
            Assert.Contains(line, help.Out, StringComparison.Ordinal);
        // --as is for scripts and stays out of the usage.
        Assert.DoesNotContain("--as ", help.Out, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("import", "--scanned-at")]
    [InlineData("metrics", "--as-of")]
    [InlineData("revoke", "--exposure")]
    [InlineData("apikey", "--person")]
    public async Task Each_verb_has_help_describing_its_options(string verb, string option)
    {
        await using var store = new TestStore();
        var help = await CliRunner.RunAsync(store, verb, "--help");
        Assert.Equal(0, help.ExitCode);
        Assert.Contains("Usage:", help.Out, StringComparison.Ordinal);
        Assert.Contains(option, help.Out, StringComparison.Ordinal);
        Assert.False(File.Exists(store.DatabasePath), "help must not open the store");
    }

    [Fact]
    public async Task An_unknown_option_prints_the_verbs_usage_and_exits_2()
    {
        await using var store = new TestStore();
        var result = await CliRunner.RunAsync(store, "metrics", "--jsn");
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--jsn", result.Error, StringComparison.Ordinal);
        Assert.Contains("usage: metrics [--as-of ISO]", result.Error, StringComparison.Ordinal);
        Assert.Equal("", result.Out);

        var action = await CliRunner.RunAsync(store, "audit", "verfy");
        Assert.Equal(2, action.ExitCode);
        Assert.Contains("usage: audit verify", action.Error, StringComparison.Ordinal);
    }
}
