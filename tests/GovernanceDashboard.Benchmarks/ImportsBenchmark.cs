using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using System.Runtime;
using System.Text;

namespace GovernanceDashboard.Benchmarks;

/// <summary><c>imports [--records 100000,1000000] [--other-formats 100000] [--repeat N] [--seed N] [--keep] [--floor-pragmas SQL]</c>:
/// for each size, generates one TruffleHog file, then runs the real import and the floor on it, each in its own child process
/// so that each peak resident set is its own; then the same for a Gitleaks JSON report and a GitHub alerts list carrying the
/// findings of a TruffleHog file of <c>--other-formats</c> records (0: none). With <c>--repeat N</c> each file is measured N
/// times, real and floor alternating, and the pair with the median ratio is printed (the machine's load moves both alike).</summary>
/// <remarks>--floor-pragmas gives the floor's connection extra settings (say the product's import starts setting
/// <c>PRAGMA cache_size</c>: give the floor the same, so that the ratio still compares work, not settings).</remarks>
public static class ImportsBenchmark
{
    private const double RatioGoal = 1.5;
    private const int PeakGoalRecords = 1_000_000;
    private const double PeakGoalMb = 300;
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    public static async Task<int> RunAsync(string[] args)
    {
        if (!TryParse(args, out var options, out var error))
        {
            await Console.Error.WriteLineAsync($"imports: {error}\nusage: {Usage}");
            return 1;
        }

        var (sizes, seed, keep, floorPragmas) = (options.Sizes, options.Seed, options.Keep, options.FloorPragmas);
        var root = Path.Combine(Path.GetTempPath(), "gd-bench", DateTime.UtcNow.ToString("yyyyMMdd-HHmmss", Invariant) + "-" + Guid.NewGuid().ToString("N")[..6]);
        Directory.CreateDirectory(root);
        Console.WriteLine($"Import benchmark: .NET {Environment.Version}, {Environment.ProcessorCount} cores, "
            + $"{(GCSettings.IsServerGC ? "Server" : "Workstation")} GC, seed {seed}, load average {LoadAverage()}, work folder {root}");
        if (floorPragmas is not null) Console.WriteLine($"floor connection settings: {floorPragmas}");

        var rows = new List<Row>();
        try
        {
            foreach (var size in sizes)
            {
                var file = Path.Combine(root, $"trufflehog-{size}.jsonl");
                var clock = Stopwatch.StartNew();
                await TruffleHogGenerator.WriteAsync(file, size, seed);
                await Console.Error.WriteLineAsync($"[trufflehog {size:N0}] generated {Mb(new FileInfo(file).Length):F1} MB in {clock.Elapsed.TotalSeconds:F1} s");
                rows.Add(await MeasureAsync("trufflehog", size, file, root, options));
                if (!keep) File.Delete(file);
            }
            if (options.OtherFormatRecords > 0)
            {
                var size = options.OtherFormatRecords;
                var source = Path.Combine(root, $"source-{size}.jsonl");
                await TruffleHogGenerator.WriteAsync(source, size, seed);
                foreach (var format in new[] { ScanFormatGenerator.Gitleaks, ScanFormatGenerator.GitHubAlerts })
                {
                    var file = Path.Combine(root, $"{format}-{size}.json");
                    await ScanFormatGenerator.WriteAsync(format, source, file);
                    await Console.Error.WriteLineAsync($"[{format} {size:N0}] generated {Mb(new FileInfo(file).Length):F1} MB");
                    rows.Add(await MeasureAsync(format, size, file, root, options));
                    if (!keep) File.Delete(file);
                }
                if (!keep) File.Delete(source);
            }
        }
        finally
        {
            if (!keep) Delete(root);
        }

        Print(rows);
        Console.WriteLine($"load average at the end: {LoadAverage()} (other work on the machine slows wall time; cpu s is less affected)");
        if (keep) Console.WriteLine($"kept: {root}");
        return 0;
    }

    private const string Usage = "imports [--records 100000,1000000] [--other-formats 100000] [--repeat N] [--seed N] [--keep] [--floor-pragmas SQL]";

    /// <summary>One file's figures: the pair with the median wall ratio, and every run's wall and cpu ratios (whose medians
    /// are printed: under a moving load each is the steadier figure of its kind).</summary>
    private sealed record Row(string Format, int Size, long FileBytes, RunResult Real, RunResult Floor, IReadOnlyList<double> Ratios, IReadOnlyList<double> CpuRatios)
    {
        public double WallMedian => Median(Ratios);
        public double CpuMedian => Median(CpuRatios);
        public double PeakMedianMb { get; init; }
    }

    private static double Median(IReadOnlyList<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
    }

    private sealed record Options(List<int> Sizes, int OtherFormatRecords, int Repeat, int Seed, bool Keep, string? FloorPragmas);

    /// <summary>Real import and floor on one file, alternating, <c>--repeat</c> times; the pair with the median ratio.</summary>
    private static async Task<Row> MeasureAsync(string format, int size, string file, string root, Options options)
    {
        var pairs = new List<(RunResult Real, RunResult Floor)>();
        for (var run = 1; run <= options.Repeat; run++)
        {
            var importDirectory = Path.Combine(root, $"import-{format}-{size}-{run}");
            var floorDirectory = Path.Combine(root, $"floor-{format}-{size}-{run}");
            await Console.Error.WriteLineAsync($"[{format} {size:N0}] run {run}: real import... (load {LoadAverage()})");
            var real = await RunChildAsync("run-import", file, importDirectory);
            await Console.Error.WriteLineAsync($"[{format} {size:N0}] run {run}: real import {real.Seconds:F1} s; floor...");
            var floor = await RunChildAsync("run-floor", file, floorDirectory, options.FloorPragmas);
            await Console.Error.WriteLineAsync($"[{format} {size:N0}] run {run}: floor {floor.Seconds:F1} s, ratio {real.Seconds / floor.Seconds:F2}");
            pairs.Add((real, floor));
            if (!options.Keep)
            {
                // Free the disk before the next run: a large file's stores run to gigabytes.
                Delete(importDirectory);
                Delete(floorDirectory);
            }
        }
        var ratios = pairs.Select(p => p.Real.Seconds / p.Floor.Seconds).ToList();
        var cpuRatios = pairs.Select(p => p.Real.CpuSeconds / p.Floor.CpuSeconds).ToList();
        var median = pairs.OrderBy(p => p.Real.Seconds / p.Floor.Seconds).ElementAt(pairs.Count / 2);
        return new Row(format, size, new FileInfo(file).Length, median.Real, median.Floor, ratios, cpuRatios)
        {
            PeakMedianMb = Median(pairs.Select(p => Kb(p.Real.PeakRssKb)).ToList()),
        };
    }

    private static void Print(List<Row> rows)
    {
        var table = new StringBuilder();
        table.AppendLine();
        table.AppendLine(string.Create(Invariant, $"{"format",-13}  {"records",10}  {"file MB",8}  {"run",-5}  {"seconds",8}  {"cpu s",7}  {"records/s",10}  {"peak RSS MB",11}  {"alloc MB",9}  {"store MB",8}  {"real/floor",10}  {"(cpu)",7}"));
        foreach (var (format, size, fileBytes, real, floor, _, _) in rows)
        {
            table.AppendLine(string.Create(Invariant, $"{format,-13}  {size,10:N0}  {Mb(fileBytes),8:F1}  {"real",-5}  {real.Seconds,8:F2}  {real.CpuSeconds,7:F2}  {real.Records / real.Seconds,10:N0}  {Kb(real.PeakRssKb),11:F0}  {Mb(real.AllocatedBytes),9:F0}  {Mb(real.StoreBytes),8:F0}  {real.Seconds / floor.Seconds,9:F2}×  {real.CpuSeconds / floor.CpuSeconds,6:F2}×"));
            table.AppendLine(string.Create(Invariant, $"{"",-13}  {"",10}  {"",8}  {"floor",-5}  {floor.Seconds,8:F2}  {floor.CpuSeconds,7:F2}  {floor.Records / floor.Seconds,10:N0}  {Kb(floor.PeakRssKb),11:F0}  {Mb(floor.AllocatedBytes),9:F0}  {Mb(floor.StoreBytes),8:F0}"));
        }
        table.AppendLine();
        foreach (var row in rows)
        {
            var (format, size, _, real, floor, ratios, cpuRatios) = row;
            table.AppendLine(string.Create(Invariant,
                $"{format} {size:N0} records, {ratios.Count} run(s): real/floor median wall {row.WallMedian:F2}× ({List(ratios)}), median cpu {row.CpuMedian:F2}× ({List(cpuRatios)}), median peak RSS {row.PeakMedianMb:F0} MB"));
            table.AppendLine(string.Create(Invariant,
                $"  import summary: {real.TokensNew:N0} tokens new, {real.TokensSeen:N0} seen again, {real.OccurrencesNew:N0} occurrences new, "
                + $"{real.Duplicates:N0} duplicates, {real.Rejected:N0} rejected, {real.ExposuresOpened:N0} exposures opened"));
            var same = floor.TokensNew == real.TokensNew && floor.OccurrencesNew == real.OccurrencesNew && floor.Duplicates == real.Duplicates;
            table.AppendLine(string.Create(Invariant,
                $"  floor counted: {floor.TokensNew:N0} tokens new, {floor.OccurrencesNew:N0} occurrences new, {floor.Duplicates:N0} duplicates, {floor.Rejected:N0} rejected {(same ? "(same)" : "(DIFFERENT)")}"));
            table.AppendLine(string.Create(Invariant,
                $"  RSS before the timed part: real {Kb(real.RssBeforeKb):F0} MB, floor {Kb(floor.RssBeforeKb):F0} MB; GCs (gen0/1/2, pause): real {real.Gen0Collections}/{real.Gen1Collections}/{real.Gen2Collections}, {real.GcPauseSeconds:F2} s; floor {floor.Gen0Collections}/{floor.Gen1Collections}/{floor.Gen2Collections}, {floor.GcPauseSeconds:F2} s"));
        }
        table.AppendLine();
        table.AppendLine(Goal(rows));
        Console.Write(table.ToString());
    }

    private static string List(IEnumerable<double> ratios) => string.Join(", ", ratios.Select(r => r.ToString("F2", Invariant)));

    /// <summary>The verdict: every file's median wall and median cpu ratio within the goal, and the peak at a million records.</summary>
    private static string Goal(List<Row> rows)
    {
        var ratios = rows.Select(r => (Label: string.Create(Invariant, $"{r.Format} {r.Size:N0}"), Ratio: Math.Max(r.WallMedian, r.CpuMedian), r.WallMedian, r.CpuMedian)).ToList();
        var ratioMet = ratios.All(r => r.Ratio <= RatioGoal);
        var atGoalSize = rows.Where(r => r.Size == PeakGoalRecords && r.Format == "trufflehog").Select(r => (double?)r.PeakMedianMb).FirstOrDefault();
        var peakMet = atGoalSize < PeakGoalMb;
        var ratioText = string.Join(", ", ratios.Select(r => string.Create(Invariant, $"{r.Label} wall {r.WallMedian:F2}× cpu {r.CpuMedian:F2}×")));
        var peakText = atGoalSize is { } peak ? string.Create(Invariant, $"peak {peak:F0} MB at {PeakGoalRecords:N0}") : $"peak not measured at {PeakGoalRecords:N0} records";
        var verdict = ratioMet && peakMet ? "MET" : "MISSED";
        return string.Create(Invariant, $"goal: real ≤ {RatioGoal}× floor; peak < {PeakGoalMb} MB at {PeakGoalRecords:N0} records: {verdict} ")
            + $"(ratio {(ratioMet ? "met" : "missed")}: {ratioText}; {(atGoalSize is null ? peakText : $"{peakText} {(peakMet ? "met" : "missed")}")})";
    }

    /// <summary>Runs one measured child process (<c>run-import</c>, <c>run-floor</c>); <paramref name="environment"/> sets or (null)
    /// removes variables for it, e.g. <c>GOVERNANCE_BENCH_POSTGRES</c>.</summary>
    internal static async Task<RunResult> RunChildAsync(string verb, string file, string workDirectory, string? extra = null,
        IReadOnlyDictionary<string, string?>? environment = null)
    {
        var start = new ProcessStartInfo(Environment.ProcessPath!)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var (name, value) in environment ?? new Dictionary<string, string?>())
        {
            if (value is null) start.Environment.Remove(name);
            else start.Environment[name] = value;
        }
        // Under "dotnet program.dll" the process is the host: hand it the program again.
        if (Path.GetFileNameWithoutExtension(Environment.ProcessPath) == "dotnet") start.ArgumentList.Add(Assembly.GetEntryAssembly()!.Location);
        start.ArgumentList.Add(verb);
        start.ArgumentList.Add(file);
        start.ArgumentList.Add(workDirectory);
        if (extra is not null) start.ArgumentList.Add(extra);
        using var child = Process.Start(start) ?? throw new InvalidOperationException($"could not start {verb}");
        var output = child.StandardOutput.ReadToEndAsync();
        var errors = child.StandardError.ReadToEndAsync();
        await child.WaitForExitAsync();
        var result = RunResult.FromOutput(await output);
        if (child.ExitCode != 0 || result is null)
        {
            throw new InvalidOperationException($"{verb} exited {child.ExitCode} without a result:\n{await output}\n{await errors}");
        }
        return result;
    }

    private static bool TryParse(string[] args, out Options options, out string? error)
    {
        List<int> sizes = [100_000, 1_000_000];
        int other = 100_000, repeat = 1, seed = 20260901;
        var keep = false;
        string? floorPragmas = null;
        options = null!;
        error = null;
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--keep":
                    keep = true;
                    break;
                case "--records" when i + 1 < args.Length:
                    sizes = [];
                    foreach (var part in args[++i].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                    {
                        if (!TryCount(part, 1, out var size))
                        {
                            error = $"not a record count: {part}";
                            return false;
                        }
                        sizes.Add(size);
                    }
                    break;
                case "--other-formats" when i + 1 < args.Length:
                    if (!TryCount(args[++i], 0, out other))
                    {
                        error = $"not a record count: {args[i]}";
                        return false;
                    }
                    break;
                case "--repeat" when i + 1 < args.Length:
                    if (!TryCount(args[++i], 1, out repeat))
                    {
                        error = $"not a number of runs: {args[i]}";
                        return false;
                    }
                    break;
                case "--floor-pragmas" when i + 1 < args.Length:
                    floorPragmas = args[++i];
                    break;
                case "--seed" when i + 1 < args.Length:
                    if (!int.TryParse(args[++i], NumberStyles.Integer, Invariant, out seed))
                    {
                        error = $"not a seed: {args[i]}";
                        return false;
                    }
                    break;
                default:
                    error = $"unknown argument: {args[i]}";
                    return false;
            }
        }
        if (sizes.Count == 0) error = "no record counts";
        options = new Options(sizes, other, repeat, seed, keep, floorPragmas);
        return error is null;
    }

    private static bool TryCount(string text, int least, out int count) =>
        int.TryParse(text.Replace("_", "", StringComparison.Ordinal), NumberStyles.None, Invariant, out count) && count >= least;

    internal static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";

    internal static double Mb(long bytes) => bytes / (1024.0 * 1024.0);

    internal static double Kb(long kib) => kib / 1024.0;

    internal static void Delete(string directory)
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            if (Directory.Exists(directory)) Directory.Delete(directory, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temporary folder is not worth failing the benchmark for.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
