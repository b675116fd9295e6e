using GovernanceDashboard.Data;

namespace GovernanceDashboard.Cli;

/// <summary>The command-line verbs of docs/interfaces.md, run by the same program as the dashboard.</summary>
public static class CommandLine
{
    private static readonly Dictionary<string, Func<VerbContext, Task<int>>> Verbs = new(StringComparer.Ordinal)
    {
        ["import"] = ImportVerb.RunAsync,
        ["metrics"] = MetricsVerb.RunAsync,
        ["seed-demo"] = SeedDemoVerb.RunAsync,
        ["apikey"] = ApiKeyVerb.RunAsync,
        ["audit"] = AuditVerb.RunAsync,
        ["revoke"] = RevokeVerb.RunAsync,
        ["validate"] = ValidateVerb.RunAsync,
        ["sync"] = SyncVerb.RunAsync,
    };

    /// <summary>One line per verb, for --help and for a mistyped command.</summary>
    private const string Usage = """
        Usage: dotnet run [-- SETTINGS]          serves the dashboard (e.g. --urls=http://localhost:5080)
               dotnet run -- VERB [OPTIONS] [--Section:Key=value ...]

        Verbs:
          import FILE [--format ID] [--scanned-at ISO] [--json]   imports a scan, people or owners file
          metrics [--as-of ISO] [--from ISO] [--team NAME] --json  prints the metrics object
          seed-demo                                               fills an empty store with the demo organisation
          apikey create --person EMAIL --name NAME                prints a new API key once
          audit verify                                            checks the audit chain (0 intact, 3 broken)
          revoke --exposure ID [--json]                           revokes an exposure's token through its platform
          validate --token ID [--json]                            checks a token against its platform
          sync alerts [--org NAME] [--json]                       pulls GitHub's secret scanning alerts now
        """;

    /// <summary>Anything but settings (which start with "--") is a command: a verb, --help, or a mistake that must not start the dashboard.</summary>
    public static bool IsCommand(string[] args) =>
        args.Length > 0 && (!args[0].StartsWith('-') || args[0] is "--help" or "-h" or "-?");

    public static async Task<int> RunAsync(string[] args)
    {
        if (args[0] is "--help" or "-h" or "-?" or "help")
        {
            await Console.Out.WriteLineAsync(Usage);
            return 0;
        }
        if (!Verbs.TryGetValue(args[0], out var verb))
        {
            await Console.Error.WriteLineAsync($"Unknown command \"{args[0]}\".\n\n{Usage}");
            return 2;
        }
        if (args.Skip(1).Any(a => a is "--help" or "-h"))
        {
            await Console.Out.WriteLineAsync(Usage);
            return 0;
        }
        // "--Section:Key=value" arguments configure the host as they do for the web app; the rest belong to the verb.
        var configArgs = args.Skip(1).Where(IsConfigArgument).ToArray();
        var verbArgs = args.Skip(1).Where(a => !IsConfigArgument(a)).ToArray();
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            // A verb reads its configuration once; watching the content root for changes would also watch the store's
            // WAL file under data/, costing every write of a long import a file-system event.
            Args = ["--hostBuilder:reloadConfigOnChange=false", .. configArgs],
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
            var context = new VerbContext(host.Services, new VerbArguments(verbArgs), Console.Out, Console.Error);
            return await verb(context);
        }
        catch (VerbUsageException ex)
        {
            await Console.Error.WriteLineAsync($"{args[0]}: {ex.Message}\n\n{Usage}");
            return 2;
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // Exit 1 with the kind of failure; messages of this program never carry a secret.
            await Console.Error.WriteLineAsync($"{args[0]} failed: {ex.GetType().Name}: {ex.Message}");
            return 1;
        }
    }

    private static bool IsConfigArgument(string arg) =>
        arg.StartsWith("--", StringComparison.Ordinal) && arg.Contains('=', StringComparison.Ordinal);
}

/// <summary>What a verb gets: services, its arguments and the two output streams.</summary>
public sealed record VerbContext(IServiceProvider Services, VerbArguments Args, TextWriter Out, TextWriter Error);

/// <summary>A verb's arguments: positionals, "--flag" and "--option value".</summary>
public sealed class VerbArguments
{
    private readonly List<string> _positionals = [];
    private readonly Dictionary<string, string?> _options = new(StringComparer.Ordinal);

    public VerbArguments(IReadOnlyList<string> args)
    {
        for (var i = 0; i < args.Count; i++)
        {
            if (args[i].StartsWith("--", StringComparison.Ordinal))
            {
                var hasValue = i + 1 < args.Count && !args[i + 1].StartsWith("--", StringComparison.Ordinal);
                _options[args[i][2..]] = hasValue ? args[++i] : null;
            }
            else
            {
                _positionals.Add(args[i]);
            }
        }
    }

    public IReadOnlyList<string> Positionals => _positionals;

    public bool Flag(string name) => _options.ContainsKey(name);

    public string? Option(string name) => _options.TryGetValue(name, out var v) ? v : null;

    public string Required(string name) =>
        Option(name) is { Length: > 0 } v ? v : throw new VerbUsageException($"--{name} is required.");

    public DateTimeOffset? Instant(string name) =>
        Api.ApiArguments.TryInstant(Option(name), out var at) ? at : throw new VerbUsageException($"--{name} must be an ISO-8601 instant.");
}

/// <summary>Wrong arguments for a verb: exit 1 with the message.</summary>
public sealed class VerbUsageException(string message) : Exception(message);
