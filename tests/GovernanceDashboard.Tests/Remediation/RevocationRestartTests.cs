using System.Diagnostics;
using GovernanceDashboard.Domain;
using GovernanceDashboard.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace GovernanceDashboard.Tests.Remediation;

/// <summary>The queue survives a crash: the dashboard (a real child process) is killed while an automatic revocation it claimed hangs
/// on the platform; restarted against a working platform, it sends the revocation exactly once.</summary>
public class RevocationRestartTests
{
    [Fact]
    public async Task A_revocation_queued_by_a_command_line_import_survives_a_killed_dashboard_and_is_sent_exactly_once()
    {
        await using var store = await new TestStore().MigrateAsync();
        using var hanging = new HangingPort();
        await using var stub = await PlatformStub.StartAsync();
        // The policy is the Admin's setting in the store, so the command-line import and the dashboards share it.
        await using (var db = store.Factory.CreateDbContext())
        {
            db.Settings.Add(new Setting { Key = "AutoRevokeHuggingFace", Value = "Critical,High,Medium,Low" });
            await db.SaveChangesAsync();
        }

        using var first = StartDashboard(store, hanging.BaseUrl);
        var secret = RemediationHarness.HfSecret(42);
        var file = Path.Combine(store.Directory, "scan.jsonl");
        await File.WriteAllTextAsync(file, RemediationFiles.TruffleHog([secret]));
        var import = await CliRunner.RunAsync(store, "import", file);
        Assert.True(import.ExitCode == 0, import.Error);

        // The dashboard polls the table, claims the request and calls the platform, which never answers: kill it mid-call.
        await Seed.EventuallyAsync(() => Task.FromResult(hanging.Connections > 0));
        Assert.True(hanging.Connections > 0, "the first dashboard should have called the (hanging) platform: " + first.Output);
        first.Kill();
        await using (var db = store.Factory.CreateDbContext())
        {
            var request = await db.RevocationRequests.SingleAsync();
            Assert.Equal((RevocationState.Queued, 1), (request.State, request.Attempts));
            Assert.Equal(ExposureState.Open, (await db.Exposures.SingleAsync()).State);
        }
        Assert.Empty(stub.Requests);

        using var second = StartDashboard(store, stub.BaseUrl);
        await Seed.EventuallyAsync(async () =>
        {
            await using var db = store.Factory.CreateDbContext();
            return await db.Exposures.AnyAsync(e => e.State == ExposureState.Remediated);
        }, TimeSpan.FromSeconds(90));
        second.Kill();

        var sent = Assert.Single(stub.Requests);
        Assert.Equal([secret], sent.Credentials());
        await using var check = store.Factory.CreateDbContext();
        var done = await check.RevocationRequests.SingleAsync();
        Assert.Equal((RevocationState.Sent, 2), (done.State, done.Attempts));
        var exposure = await check.Exposures.SingleAsync();
        Assert.Equal((ExposureState.Remediated, (string?)null), (exposure.State, exposure.Escrow));
        Assert.DoesNotContain(secret, first.Output + second.Output, StringComparison.Ordinal);
    }

    private static Dashboard StartDashboard(TestStore store, string platformUrl)
    {
        var psi = CliRunner.StartInfo(store, "--urls=http://127.0.0.1:0", $"--HuggingFace:BaseUrl={platformUrl}", "--Remediation:PollSeconds=0.5",
            "--Remediation:Http:TimeoutSeconds=5", "--Remediation:Http:Retries=0");
        return new Dashboard(Process.Start(psi)!);
    }

    /// <summary>A running dashboard process whose output is drained (and kept, to look for secrets).</summary>
    private sealed class Dashboard : IDisposable
    {
        private readonly Process _process;
        private readonly System.Text.StringBuilder _output = new();

        public Dashboard(Process process)
        {
            _process = process;
            _process.OutputDataReceived += (_, e) => { lock (_output) _output.AppendLine(e.Data); };
            _process.ErrorDataReceived += (_, e) => { lock (_output) _output.AppendLine(e.Data); };
            _process.BeginOutputReadLine();
            _process.BeginErrorReadLine();
        }

        public string Output { get { lock (_output) return _output.ToString(); } }

        public void Kill()
        {
            if (!_process.HasExited) _process.Kill(entireProcessTree: true);
            _process.WaitForExit();
        }

        public void Dispose()
        {
            Kill();
            _process.Dispose();
        }
    }
}
