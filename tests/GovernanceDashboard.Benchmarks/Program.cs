using GovernanceDashboard.Benchmarks;

// imports: the benchmark; run-import / run-floor: its child processes (one measured run each); generate: just the file.
return args switch
{
    ["imports", .. var rest] => await ImportsBenchmark.RunAsync(rest),
    ["metrics", .. var rest] => await MetricsBenchmark.RunAsync(rest),
    ["revocations", .. var rest] => await RevocationBenchmark.RunAsync(rest),
    ["webhooks", .. var rest] => await WebhookBenchmark.RunAsync(rest),
    ["postgres", .. var rest] => await PostgresBenchmark.RunAsync(rest),
    ["run-import", var file, var workDirectory] => await ImportRun.RunAsync(file, workDirectory),
    ["run-floor", var file, var workDirectory, .. var pragmas] => await FloorRun.RunAsync(file, workDirectory, pragmas is [var p] ? p : null),
    ["generate", var file, var records, .. var more] => await GenerateAsync(file, int.Parse(records, System.Globalization.CultureInfo.InvariantCulture),
        more is [var seed] ? int.Parse(seed, System.Globalization.CultureInfo.InvariantCulture) : 20260901),
    _ => await UsageAsync(),
};

static async Task<int> GenerateAsync(string file, int records, int seed)
{
    await TruffleHogGenerator.WriteAsync(file, records, seed);
    Console.WriteLine($"{file}: {records} records, {new FileInfo(file).Length / (1024.0 * 1024.0):F1} MB");
    return 0;
}

static async Task<int> UsageAsync()
{
    await Console.Error.WriteLineAsync("""
        usage: dotnet run -c Release --project tests/GovernanceDashboard.Benchmarks -- imports [--records 100000,1000000] [--other-formats 100000] [--repeat N] [--seed N] [--keep] [--floor-pragmas SQL]
               ... -- metrics [--tokens 1000000] [--store DIR] [--no-browser] [--delete]   (metrics object, grid pages, Overview render on a large store)
               ... -- revocations [--exposures 10000]   (commit → last automatic revocation request at a stub platform)
               ... -- webhooks [--deliveries 100]       (GitHub webhook sent → its automatic revocation request at a stub, median)
               ... -- postgres [--records 100000,1000000] [--tokens 1000000] [--sqlite-store DIR] [--keep]   (GOVERNANCE_BENCH_POSTGRES set: imports on PostgreSQL vs SQLite vs floor; metrics and grid on PostgreSQL)
               ... -- generate FILE RECORDS [SEED]     (writes a TruffleHog v3 JSON-lines file only)
        """);
    return 1;
}
