using System.Diagnostics;

namespace GovernanceDashboard.Tests.Infrastructure;

/// <summary>Runs the built program as a real child process, as an operator or a CI pipeline would.</summary>
public static class CliRunner
{
    public sealed record Result(int ExitCode, string Out, string Error);

    public static string ProgramPath => Path.Combine(AppContext.BaseDirectory, "GovernanceDashboard.dll");

    public static ProcessStartInfo StartInfo(TestStore store, params string[] args)
    {
        var psi = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = store.Directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        psi.ArgumentList.Add(ProgramPath);
        foreach (var a in args) psi.ArgumentList.Add(a);
        // The store's settings, except those the test gives itself.
        foreach (var (key, value) in store.Settings)
            if (!args.Any(a => a.StartsWith($"--{key}=", StringComparison.Ordinal))) psi.ArgumentList.Add($"--{key}={value}");
        psi.Environment["DOTNET_ENVIRONMENT"] = "Testing";
        return psi;
    }

    public static async Task<Result> RunAsync(TestStore store, params string[] args)
    {
        using var process = Process.Start(StartInfo(store, args))!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(timeout.Token);
        return new Result(process.ExitCode, await stdout, await stderr);
    }
}
