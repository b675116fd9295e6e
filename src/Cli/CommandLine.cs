using System.CommandLine;

namespace GovernanceDashboard.Cli;

/// <summary>The command-line verbs of docs/interfaces.md, run by the same program as the dashboard, parsed by System.CommandLine
/// (so every verb has <c>--help</c>, and the usage is generated from the verbs' declarations rather than kept by hand).</summary>
public static class CommandLine
{
    private static readonly string[] HelpTokens = ["--help", "-h", "-?", "help"];

    /// <summary>Every verb, one line each: its name, what it does, its body, its arguments and options.</summary>
    private static IEnumerable<VerbCommand> Verbs() =>
    [
        Verb("import", "imports a scan, people or owners file", ImportVerb.RunAsync,
            Arg("FILE", "the file to import"), Opt("--format", "ID", "the format, when detection is not wanted"),
            Opt("--scanned-at", "ISO", "when the scan ran (ISO-8601)"), Json(), As()),
        Verb("metrics", "prints the metrics object", MetricsVerb.RunAsync,
            Opt("--as-of", "ISO", "the instant the figures are for (default: now)"), Opt("--from", "ISO", "start of the time-to-remediate window"),
            Opt("--team", "NAME", "one team's figures"), Json()),
        Verb("seed-demo", "fills an empty store with the demo organisation", SeedDemoVerb.RunAsync),
        Verb("apikey", "prints a new API key once", ApiKeyVerb.RunAsync,
            Arg("create", "the action", "create"), Opt("--person", "EMAIL", "the person the key acts as", required: true),
            Opt("--name", "NAME", "the key's name", required: true)),
        Verb("audit", "checks the audit chain (0 intact, 3 broken)", AuditVerb.RunAsync, Arg("verify", "the action", "verify")),
        Verb("revoke", "revokes an exposure's token through its platform", RevokeVerb.RunAsync,
            Opt("--exposure", "ID", "the exposure's id", required: true), Json(), As()),
        Verb("validate", "checks a token against its platform", ValidateVerb.RunAsync,
            Opt("--token", "ID", "the token's id", required: true), Json(), As()),
        Verb("reach", "reads what live write tokens can change and scores their blast radius", ReachVerb.RunAsync,
            Opt("--token", "ID", "one token's id (default: one pass over the tokens due)"), Json(), As()),
        Verb("sync", "pulls GitHub's secret scanning alerts, or syncs its organisations' tokens, now", SyncVerb.RunAsync,
            Arg("what", "alerts (secret scanning alerts) or github (fine-grained PATs, PAT requests, credential authorisations)", "alerts", "github"), Opt("--org", "NAME", "one organisation (default: every configured one)"), Json()),
    ];

    /// <summary>Anything but settings (which start with "--") is a command: a verb, --help, or a mistake that must not start the dashboard.</summary>
    public static bool IsCommand(string[] args) =>
        args.Length > 0 && (!args[0].StartsWith('-') || args[0] is "--help" or "-h" or "-?");

    public static async Task<int> RunAsync(string[] args)
    {
        // "--Section:Key=value" arguments configure the host as they do for the web app; the rest belong to the verb.
        var configArgs = args.Where(IsConfigArgument).ToArray();
        var verbArgs = args.Where(a => !IsConfigArgument(a)).ToArray();
        var root = new RootCommand("Token Governance Dashboard");
        foreach (var verb in Verbs())
        {
            verb.SetAction((parse, ct) => RunVerbAsync(verb, parse, configArgs));
            root.Add(verb);
        }
        if (verbArgs.Length == 0 || HelpTokens.Contains(verbArgs[0]))
        {
            await Console.Out.WriteLineAsync(Usage(root));
            return 0;
        }
        if (!root.Subcommands.Any(c => c.Name == verbArgs[0]))
        {
            await Console.Error.WriteLineAsync($"Unknown command \"{verbArgs[0]}\".\n\n{Usage(root)}");
            return 2;
        }
        // No response files: an argument starting with "@" is a file name or a value, never a list of arguments.
        var parse = root.Parse(verbArgs, new ParserConfiguration { ResponseFileTokenReplacer = null });
        if (parse.Errors.Count > 0)
        {
            var verb = parse.CommandResult.Command;
            foreach (var error in parse.Errors) await Console.Error.WriteLineAsync($"{verb.Name}: {error.Message}");
            await Console.Error.WriteLineAsync($"\nusage: {Synopsis(verb)}\n(dotnet run -- {verb.Name} --help describes its options)");
            return 2;
        }
        return await parse.InvokeAsync();
    }

    private static async Task<int> RunVerbAsync(VerbCommand verb, ParseResult parse, string[] configArgs)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            Args = Composition.HostArguments(configArgs),
            ContentRootPath = Directory.GetCurrentDirectory(),
        });
        // Standard output carries only the verb's answer (JSON with --json); logs go to standard error.
        builder.Logging.ClearProviders();
        builder.Logging.AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
        builder.Logging.AddFilter("Microsoft", LogLevel.Warning);
        builder.AddGovernanceCore();
        using var host = builder.Build();
        try
        {
            await host.Services.MigrateGovernanceStoreAsync();
            var context = new VerbContext(host.Services, new VerbArguments(parse), Console.Out, Console.Error);
            return await verb.Body(context);
        }
        catch (VerbUsageException ex)
        {
            await Console.Error.WriteLineAsync($"{verb.Name}: {ex.Message}\n\nusage: {Synopsis(verb)}");
            return 2;
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // Exit 1 with the kind of failure; messages of this program never carry a secret.
            await Console.Error.WriteLineAsync($"{verb.Name} failed: {ex.GetType().Name}: {ex.Message}");
            return 1;
        }
    }

    private static VerbCommand Verb(string name, string description, Func<VerbContext, Task<int>> body, params Symbol[] symbols)
    {
        var command = new VerbCommand(name, description, body);
        foreach (var symbol in symbols)
        {
            if (symbol is Argument argument) command.Add(argument);
            else command.Add((Option)symbol);
        }
        return command;
    }

    /// <summary>A verb's command with the body it runs once the host is up.</summary>
    private sealed class VerbCommand(string name, string description, Func<VerbContext, Task<int>> body) : Command(name, description)
    {
        public Func<VerbContext, Task<int>> Body { get; } = body;
    }

    /// <param name="accepts">the only values allowed, for an action word such as "create"</param>
    private static Argument<string> Arg(string name, string description, params string[] accepts)
    {
        var argument = new Argument<string>(name) { Description = description, HelpName = accepts.Length > 0 ? name : name.ToUpperInvariant() };
        if (accepts.Length > 0) argument.AcceptOnlyFromAmong(accepts);
        return argument;
    }

    private static Option<string> Opt(string name, string valueName, string description, bool required = false) =>
        new(name) { Description = description, HelpName = valueName, Required = required };

    private static Option<bool> Json() => new("--json") { Description = "writes the answer as JSON on standard output" };

    /// <summary>Who the audit trail names as acting (default cli:USER); for scripts, not shown in the usage.</summary>
    private static Option<string> As() => new("--as") { HelpName = "EMAIL", Hidden = true };

    /// <summary>The usage of the program: one line per verb, generated from its declaration.</summary>
    private static string Usage(RootCommand root)
    {
        var lines = root.Subcommands.Select(v => (Synopsis: Synopsis(v), v.Description)).ToList();
        var width = lines.Max(l => l.Synopsis.Length) + 3;
        var text = new System.Text.StringBuilder("""
            Usage: dotnet run [-- SETTINGS]          serves the dashboard (e.g. --urls=http://localhost:5080)
                   dotnet run -- VERB [OPTIONS] [--Section:Key=value ...]
                   dotnet run -- VERB --help         describes a verb's arguments and options

            Verbs:

            """);
        foreach (var (synopsis, description) in lines) text.Append("  ").Append(synopsis.PadRight(width)).AppendLine(description);
        return text.ToString();
    }

    /// <summary>A verb's one-line synopsis, e.g. "revoke --exposure ID [--json]".</summary>
    private static string Synopsis(Command verb) =>
        string.Join(' ', new[] { verb.Name }
            .Concat(verb.Arguments.Select(a => a.HelpName ?? a.Name))
            .Concat(verb.Options.Where(o => !o.Hidden && o is not System.CommandLine.Help.HelpOption).Select(o =>
                o.ValueType == typeof(bool) ? $"[{o.Name}]" : o.Required ? $"{o.Name} {o.HelpName}" : $"[{o.Name} {o.HelpName}]")));

    private static bool IsConfigArgument(string arg) =>
        arg.StartsWith("--", StringComparison.Ordinal) && arg.Contains('=', StringComparison.Ordinal);
}

/// <summary>What a verb gets: services, its arguments and the two output streams.</summary>
public sealed record VerbContext(IServiceProvider Services, VerbArguments Args, TextWriter Out, TextWriter Error);

/// <summary>A verb's parsed arguments, by the names the verb declared (options without their leading "--").</summary>
public sealed class VerbArguments(ParseResult parse)
{
    private Command Verb => parse.CommandResult.Command;

    public IReadOnlyList<string> Positionals =>
        Verb.Arguments.Select(a => parse.GetValue<string>(a.Name)).OfType<string>().ToList();

    public bool Flag(string name) => Declared(name) is Option<bool> flag && parse.GetValue(flag);

    public string? Option(string name) => Declared(name) is Option<string> option ? parse.GetValue(option) : null;

    public string Required(string name) =>
        Option(name) is { Length: > 0 } v ? v : throw new VerbUsageException($"--{name} is required.");

    public DateTimeOffset? Instant(string name) =>
        Instants.TryParse(Option(name), out var at) ? at : throw new VerbUsageException($"--{name} must be an ISO-8601 instant.");

    private Option? Declared(string name) => Verb.Options.FirstOrDefault(o => o.Name == "--" + name);
}

/// <summary>Wrong arguments for a verb: exit 2 with the message and the verb's usage.</summary>
public sealed class VerbUsageException(string message) : Exception(message);
