// The same program is the dashboard and the command line (docs/interfaces.md).
if (CommandLine.IsCommand(args)) return await CommandLine.RunAsync(args);

var builder = WebApplication.CreateBuilder(Composition.HostArguments(args));
builder.AddGovernanceDashboard();

var app = builder.Build();
await app.UseGovernanceDashboardAsync();
await app.RunAsync();
return 0;

/// <summary>Entry point; public so tests can host it.</summary>
public partial class Program;
