using System.Diagnostics;
using System.Text.Json;

namespace GovernanceDashboard.Benchmarks;

/// <summary>What one measured run (the real import or the floor) reports to the parent: a single JSON line on standard output.</summary>
public sealed record RunResult
{
    /// <summary>Prefix of the result line, so that anything else a child prints cannot be mistaken for it.</summary>
    public const string LinePrefix = "RESULT ";

    public double Seconds { get; init; }

    /// <summary>Processor time of the whole process (all threads, user and system) during the timed part: less disturbed
    /// than wall time by other work on the machine.</summary>
    public double CpuSeconds { get; init; }
    public int Records { get; init; }
    public int TokensNew { get; init; }
    public int TokensSeen { get; init; }
    public int OccurrencesNew { get; init; }
    public int Duplicates { get; init; }
    public int Rejected { get; init; }
    public int ExposuresOpened { get; init; }

    /// <summary>Resident set before the timed part (runtime, host, migrated store), in KiB.</summary>
    public long RssBeforeKb { get; init; }

    /// <summary>Peak resident set of the whole child process (VmHWM), in KiB.</summary>
    public long PeakRssKb { get; init; }

    /// <summary>Managed bytes allocated during the timed part.</summary>
    public long AllocatedBytes { get; init; }
    public int Gen0Collections { get; init; }
    public int Gen1Collections { get; init; }
    public int Gen2Collections { get; init; }

    /// <summary>Time the GC paused the program during the timed part.</summary>
    public double GcPauseSeconds { get; init; }

    /// <summary>Size of the database file and its WAL after the run.</summary>
    public long StoreBytes { get; init; }

    /// <summary>PostgreSQL runs: CPU seconds of the database server's processes during the run (the import's other half).</summary>
    public double ServerCpuSeconds { get; init; }

    public string ToLine() => LinePrefix + JsonSerializer.Serialize(this);

    public static RunResult? FromOutput(string output)
    {
        foreach (var line in output.Split('\n'))
        {
            if (line.StartsWith(LinePrefix, StringComparison.Ordinal)) return JsonSerializer.Deserialize<RunResult>(line[LinePrefix.Length..]);
        }
        return null;
    }
}

/// <summary>Times the measured part of a child run and collects the process-wide figures around it.</summary>
public sealed class RunMeter
{
    private readonly long _rssBefore = ProcStatus.KiB("VmRSS");
    private readonly long _allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
    private readonly int _gen0 = GC.CollectionCount(0);
    private readonly int _gen1 = GC.CollectionCount(1);
    private readonly int _gen2 = GC.CollectionCount(2);
    private readonly TimeSpan _paused = GC.GetTotalPauseDuration();
    private readonly TimeSpan _cpu = CpuTime();
    private readonly Stopwatch _clock = Stopwatch.StartNew();

    /// <summary>Stops the clock and fills in time, memory and GC figures (call when the measured work is done).</summary>
    public RunResult Complete(RunResult counts, params string[] storeFiles)
    {
        _clock.Stop();
        return counts with
        {
            Seconds = _clock.Elapsed.TotalSeconds,
            CpuSeconds = (CpuTime() - _cpu).TotalSeconds,
            RssBeforeKb = _rssBefore,
            PeakRssKb = ProcStatus.KiB("VmHWM"),
            AllocatedBytes = GC.GetTotalAllocatedBytes(precise: true) - _allocatedBefore,
            Gen0Collections = GC.CollectionCount(0) - _gen0,
            Gen1Collections = GC.CollectionCount(1) - _gen1,
            Gen2Collections = GC.CollectionCount(2) - _gen2,
            GcPauseSeconds = (GC.GetTotalPauseDuration() - _paused).TotalSeconds,
            StoreBytes = storeFiles.Where(File.Exists).Sum(f => new FileInfo(f).Length),
        };
    }

    private static TimeSpan CpuTime()
    {
        using var self = Process.GetCurrentProcess();
        return self.TotalProcessorTime;
    }
}

/// <summary>Reads this process's memory figures from /proc/self/status (Linux); elsewhere falls back to what Process reports.</summary>
public static class ProcStatus
{
    /// <summary>The value of a "Name:   1234 kB" line (VmHWM = peak resident set, VmRSS = current), in KiB.</summary>
    public static long KiB(string name)
    {
        const string StatusFile = "/proc/self/status";
        if (File.Exists(StatusFile))
        {
            foreach (var line in File.ReadLines(StatusFile))
            {
                if (!line.StartsWith(name + ":", StringComparison.Ordinal)) continue;
                var digits = line[(name.Length + 1)..].Trim().Split(' ')[0];
                return long.Parse(digits, System.Globalization.CultureInfo.InvariantCulture);
            }
        }
        using var self = Process.GetCurrentProcess();
        return (name == "VmHWM" ? self.PeakWorkingSet64 : self.WorkingSet64) / 1024;
    }
}
