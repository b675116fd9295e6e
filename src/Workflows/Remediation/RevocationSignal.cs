using System.Threading.Channels;

namespace GovernanceDashboard.Workflows.Remediation;

/// <summary>Wakes the revocation worker as soon as something is queued in this process (an import, "Revoke now"); work queued
/// by another process (a command-line import) is found by the worker's polling instead.</summary>
public sealed class RevocationSignal
{
    private readonly Channel<bool> _channel = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });

    public void Notify() => _channel.Writer.TryWrite(true);

    /// <summary>Waits for a notification or the timeout, whichever comes first.</summary>
    public async Task WaitAsync(TimeSpan timeout, CancellationToken ct)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        cts.CancelAfter(timeout);
        try
        {
            await _channel.Reader.ReadAsync(cts.Token);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            // The timeout: time to poll the table.
        }
    }
}
