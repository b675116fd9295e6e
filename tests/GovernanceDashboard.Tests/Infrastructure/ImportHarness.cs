using GovernanceDashboard.Data;
using GovernanceDashboard.Ingestion;
using GovernanceDashboard.Secrets;
using GovernanceDashboard.Tests.Postgres;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace GovernanceDashboard.Tests.Infrastructure;

/// <summary>The app's own services (no web host) on a real temporary store (SQLite unless a test asks for PostgreSQL), with every
/// log line captured.</summary>
public sealed class ImportHarness : IAsyncDisposable
{
    private readonly IHost _host;

    private readonly ProviderStore _store;

    private ImportHarness(IHost host, ProviderStore store, CapturedLogs logs)
    {
        _host = host;
        _store = store;
        Logs = logs;
    }

    /// <summary>The SQLite store (the tests that open its file or run the program on it).</summary>
    public TestStore Store => _store.Sqlite ?? throw new InvalidOperationException("This harness runs on PostgreSQL.");

    /// <summary>The store's temporary folder, on either provider.</summary>
    public string Directory => _store.Directory;
    public CapturedLogs Logs { get; }
    public IServiceProvider Services => _host.Services;
    public ImportService Imports => Services.GetRequiredService<ImportService>();
    public SecretProtector Secrets => Services.GetRequiredService<SecretProtector>();

    public static async Task<ImportHarness> StartAsync(StoreProvider provider = StoreProvider.Sqlite)
    {
        var store = await ProviderStore.CreateAsync(provider);
        var logs = new CapturedLogs();
        return new ImportHarness(await store.StartHostAsync(logs: logs), store, logs);
    }

    public GovernanceDbContext Db() => Services.GetRequiredService<IDbContextFactory<GovernanceDbContext>>().CreateDbContext();

    /// <summary>The one value <paramref name="sql"/> selects from the store, read on a connection of its own.</summary>
    public async Task<T> ScalarAsync<T>(string sql)
    {
        await using var db = Db();
        return await ScalarAsync<T>(db, sql);
    }

    /// <summary>The one value <paramref name="sql"/> selects, read on <paramref name="db"/>'s connection and inside its transaction if any.</summary>
    public static async Task<T> ScalarAsync<T>(GovernanceDbContext db, string sql)
    {
        await db.Database.OpenConnectionAsync();
        await using var command = db.Database.GetDbConnection().CreateCommand();
        command.Transaction = db.Database.CurrentTransaction?.GetDbTransaction();
        command.CommandText = sql;
        return (T)(await command.ExecuteScalarAsync())!;
    }

    /// <summary>Imports as an operator would (directory files allowed, as at the command line).</summary>
    public Task<ImportSummary> ImportAsync(string path, string? format = null, DateTimeOffset? scannedAt = null, string actor = "analyst@example.com") =>
        Imports.ImportFileAsync(path, new ImportRequest(Path.GetFileName(path), format, scannedAt, actor) { MayChangeDirectory = true });

    public async Task<string> WriteTempAsync(string name, byte[] content)
    {
        var path = Path.Combine(Directory, name);
        await File.WriteAllBytesAsync(path, content);
        return path;
    }

    public Task<string> WriteTempAsync(string name, string content) => WriteTempAsync(name, System.Text.Encoding.UTF8.GetBytes(content));

    /// <summary>Every row of every table, as text: two equal snapshots mean the store did not change. The history's record of a
    /// rejected import (written on purpose after the rejected one rolled back) is left out.</summary>
    public async Task<string> SnapshotAsync()
    {
        await using var db = Db();
        var connection = db.Database.GetDbConnection();
        await connection.OpenAsync();
        var tables = new List<string>();
        await using (var list = connection.CreateCommand())
        {
            list.CommandText = _store.Provider == StoreProvider.Postgres
                ? "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY table_name"
                : "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name";
            await using var reader = await list.ExecuteReaderAsync();
            while (await reader.ReadAsync()) tables.Add(reader.GetString(0));
        }
        var text = new System.Text.StringBuilder();
        foreach (var table in tables)
        {
            await using var select = connection.CreateCommand();
            select.CommandText = table == "Imports"
                ? "SELECT * FROM \"Imports\" WHERE \"Status\" <> 'Rejected' ORDER BY 1"
                : $"SELECT * FROM \"{table}\" ORDER BY 1";
            await using var reader = await select.ExecuteReaderAsync();
            text.Append("## ").AppendLine(table);
            while (await reader.ReadAsync())
            {
                for (var i = 0; i < reader.FieldCount; i++) text.Append(reader.IsDBNull(i) ? "∅" : reader.GetValue(i)).Append('|');
                text.AppendLine();
            }
        }
        return text.ToString();
    }

    public async ValueTask DisposeAsync()
    {
        _host.Dispose();
        await _store.DisposeAsync();
    }
}
