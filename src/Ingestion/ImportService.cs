using Microsoft.EntityFrameworkCore.Storage;

namespace GovernanceDashboard.Ingestion;

/// <summary>Imports one file: detects or checks its format, parses it as a stream, and writes it in one transaction
/// (a rejected, failed or killed import leaves the store exactly as it was), then records and audits the import.</summary>
public sealed class ImportService(IDbContextFactory<GovernanceDbContext> dbFactory, SecretProtector secrets, TimeProvider clock, Notifier notifier,
    IConfiguration configuration, RevocationSignal revocationSignal, ILogger<ImportService> log)
{
    /// <summary>How many rejected records a summary lists (the count is always complete).</summary>
    public const int MaxListedRejections = 1000;
    /// <summary>Progress is reported every so many records: often enough for a live bar, rarely enough to cost nothing.</summary>
    private const int ProgressEveryRecords = 4096;

    private static readonly HashSet<string> ScanFormats = [ImportFormats.TruffleHog, ImportFormats.Gitleaks, ImportFormats.GitHubAlerts, ImportFormats.Sarif, ImportFormats.NoFindings];

    /// <summary>Imports a file on disk.</summary>
    /// <exception cref="ImportRejectedException">the file is not of the format, or more than half its records were rejected: nothing was written.</exception>
    public async Task<ImportSummary> ImportFileAsync(string path, ImportRequest request, IProgress<ImportProgress>? progress = null, CancellationToken ct = default)
    {
        var sha256 = await Sha256Async(path, ct);
        await using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
        return await ImportStreamAsync(file, sha256, request, progress, ct);
    }

    /// <summary>Imports an upload spooled (encrypted) by <see cref="UploadSpool"/>; its SHA-256 was taken while spooling.</summary>
    /// <exception cref="ImportRejectedException">the file is not of the format, or more than half its records were rejected: nothing was written.</exception>
    public async Task<ImportSummary> ImportUploadAsync(SpooledUpload upload, ImportRequest request, IProgress<ImportProgress>? progress = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(upload);
        await using var content = upload.OpenRead();
        return await ImportStreamAsync(content, upload.Sha256, request, progress, ct);
    }

    // content must be seekable: format detection reads its head and puts it back.
    private async Task<ImportSummary> ImportStreamAsync(Stream file, string sha256, ImportRequest request, IProgress<ImportProgress>? progress, CancellationToken ct)
    {
        try
        {
            return await CheckAndImportAsync(file, sha256, request, progress, ct);
        }
        catch (ImportRejectedException ex)
        {
            // After the rejected import rolled back, in a transaction of its own: the history shows it, and nothing else changed.
            await RecordRejectionAsync(ex, sha256, request, ct);
            throw;
        }
    }

    private async Task RecordRejectionAsync(ImportRejectedException ex, string sha256, ImportRequest request, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        db.Imports.Add(new ScanImport
        {
            Status = ImportStatus.Rejected, RejectionReason = Truncate(ex.Message, ScanImportLimits.RejectionReasonLength),
            Format = Truncate(ex.Format, ScanImportLimits.FormatLength), FileName = Truncate(Path.GetFileName(request.FileName), ScanImportLimits.FileNameLength),
            Sha256 = sha256, ImportedBy = request.Actor, ImportedAt = now, ScannedAt = request.ScannedAt ?? now,
        });
        await db.SaveChangesAsync(ct);
        log.LogInformation("Import of {FileName} ({Format}) by {Actor} rejected: {Reason}", Logging.LogValue.Clean(request.FileName), ex.Format,
            Logging.LogValue.Clean(request.Actor), Logging.LogValue.Clean(ex.Message));
    }

    private static string Truncate(string text, int length) => text.Length <= length ? text : text[..(length - 1)] + "…";

    private async Task<ImportSummary> CheckAndImportAsync(Stream file, string sha256, ImportRequest request, IProgress<ImportProgress>? progress, CancellationToken ct)
    {
        var format = string.IsNullOrWhiteSpace(request.Format) || request.Format.Trim().Equals(ImportFormats.Auto, StringComparison.OrdinalIgnoreCase)
            ? Parsers.Detect(file)
            : request.Format.Trim().ToLowerInvariant();
        if (!ImportFormats.All.Contains(format) && format != ImportFormats.NoFindings)
            throw new ImportRejectedException(format, $"Unknown format \"{format}\"; expected auto or one of {string.Join(", ", ImportFormats.All)}.");
        // Checked on the detected format, so a directory file cannot slip through as "auto".
        if (format == ImportFormats.PeopleCsv && !request.MayChangeDirectory)
            throw new ImportForbiddenException(format, "A people directory file (people-csv: who exists and their roles) can only be imported by an Admin. Nothing was written.");

        var now = clock.GetUtcNow();
        var scannedAt = request.ScannedAt ?? now;
        // The whole import is one transaction, and the audit trail's appends wait for it (they chain onto its event).
        var summary = await AuditTrail.WithLockAsync(() => ImportAsync(file, format, sha256, request, scannedAt, now, progress, ct), ct);
        log.LogInformation("Import {ImportId} ({Format}, {FileName}) by {Actor}: {Records} records, {TokensNew} new tokens, {OccurrencesNew} new occurrences, {Duplicates} duplicates, {Rejected} rejected",
            summary.ImportId, summary.Format, Logging.LogValue.Clean(summary.FileName), Logging.LogValue.Clean(request.Actor), summary.Records, summary.TokensNew, summary.OccurrencesNew, summary.Duplicates, summary.Rejected.Count);
        return summary;
    }

    private async Task<ImportSummary> ImportAsync(Stream file, string format, string sha256, ImportRequest request, DateTimeOffset scannedAt,
        DateTimeOffset now, IProgress<ImportProgress>? progress, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        db.ChangeTracker.AutoDetectChangesEnabled = false;
        await db.Database.OpenConnectionAsync(ct);
        await using var tuning = await SqliteImportTuning.ApplyAsync(db, ct);
        await using var tx = await db.Database.BeginTransactionAsync(ct);

        var earlier = await db.Imports.Where(i => i.Sha256 == sha256 && i.Status == ImportStatus.Completed).OrderBy(i => i.Id).Select(i => (int?)i.Id).FirstOrDefaultAsync(ct);
        var import = new ScanImport
        {
            Format = format, FileName = Path.GetFileName(request.FileName), Sha256 = sha256, ImportedBy = request.Actor,
            ImportedAt = now, ScannedAt = scannedAt, SameFileAsImportId = earlier,
        };
        db.Imports.Add(import);
        await db.SaveChangesAsync(ct);
        // After the first write the import holds the store's write lock: exposures above this id are the ones it opens.
        var exposureFloor = await AutomaticRevocation.ExposureFloorAsync(db, ct);
        var bulk = ScanFormats.Contains(format) ? await BulkLoad.BeginAsync(db, file.Length, ct) : null;

        using FindingWriterBase findings = db.Database.IsNpgsql()
            ? new Postgres.PostgresFindingWriter((Npgsql.NpgsqlConnection)db.Database.GetDbConnection(), (Npgsql.NpgsqlTransaction)tx.GetDbTransaction(), import.Id, scannedAt, now,
                configuration.GetValue(Postgres.PostgresFindingWriter.BatchSetting, Postgres.PostgresFindingWriter.DefaultBatchRecords), ct)
            : new FindingWriter(db.Database.GetDbConnection(), tx.GetDbTransaction(), import.Id, scannedAt, now, postgres: false);
        var directory = new DirectoryWriter(db, request.Actor, now);
        var rejected = new List<RejectedLine>();
        var rejectedCount = 0;
        var records = 0;
        var notSecret = 0;
        await foreach (var batch in ReadAhead.ParseAsync(format, file, secrets, ct))
        {
            foreach (var (item, names) in batch.Items)
            {
                ct.ThrowIfCancellationRequested();
                records++;
                if (item is SkippedRecord)
                {
                    notSecret++;
                    continue;
                }
                var reason = item switch
                {
                    RejectedRecord r => r.Reason,
                    Finding f => findings.Write(f, names),
                    PersonRow p => await WriteAsync(() => directory.WriteAsync(p, ct)),
                    OwnershipRow o => await WriteAsync(() => directory.WriteAsync(o, ct)),
                    _ => "unexpected record",
                };
                if (reason is not null)
                {
                    rejectedCount++;
                    if (rejected.Count < MaxListedRejections) rejected.Add(new RejectedLine(item.Line, reason));
                }
                if (records % ProgressEveryRecords == 0) progress?.Report(new ImportProgress(batch.BytesRead, file.Length, records));
            }
        }
        findings.Complete();
        // Results that are not secret findings were never candidates: the share of rejections is of the findings.
        if (rejectedCount * 2 > records - notSecret)
            throw new ImportRejectedException(format,
                $"{rejectedCount} of {records - notSecret} records were rejected, more than half: the file was not imported. First: line {rejected[0].Line}: {rejected[0].Reason}",
                rejected[0].Line);
        directory.EnsureAnActiveAdminRemains();
        // Before anything reads tokens by owner, occurrences by import or exposures by state.
        if (bulk is not null) await bulk.RestoreAsync(db, ct);

        db.ChangeTracker.DetectChanges();
        await db.SaveChangesAsync(ct);
        var directoryChanged = !ScanFormats.Contains(format);
        await PostgresImportTuning.AfterFindingsAsync(db, ct);
        var assigned = await OwnershipAssignment.ApplyRulesAsync(db, directoryChanged ? null : import.Id, now, ct);
        await OwnershipAssignment.SuggestFromCommitAuthorsAsync(db, directoryChanged ? null : import.Id, ct);

        import.Records = records;
        import.TokensNew = findings.TokensNew;
        import.TokensSeen = findings.TokensSeen;
        import.OccurrencesNew = findings.OccurrencesNew;
        import.Duplicates = findings.Duplicates;
        import.RejectedCount = rejectedCount;
        import.RejectedJson = rejected.Count == 0 ? null : JsonSerializer.Serialize(rejected, JsonOptions);
        import.ExposuresOpened = findings.ExposuresOpened;
        import.ExposuresClosed = findings.ExposuresClosed;
        import.OccurrencesOnClosedTokens = findings.OccurrencesOnClosedTokens;
        import.PeopleAdded = directory.PeopleAdded;
        import.PeopleUpdated = directory.PeopleUpdated;
        import.RulesSaved = directory.RulesSaved;
        import.TokensAssignedByRule = assigned;

        var summary = new ImportSummary
        {
            ImportId = import.Id, Format = format, FileName = import.FileName, Sha256 = sha256, ScannedAt = scannedAt, Records = records,
            TokensNew = import.TokensNew, TokensSeen = import.TokensSeen, OccurrencesNew = import.OccurrencesNew, Duplicates = import.Duplicates,
            Rejected = rejected, ExposuresOpened = import.ExposuresOpened, ExposuresClosed = import.ExposuresClosed,
            OccurrencesOnClosedTokens = import.OccurrencesOnClosedTokens, PeopleAdded = import.PeopleAdded, PeopleUpdated = import.PeopleUpdated,
            RulesSaved = import.RulesSaved, TokensAssignedByRule = assigned, SameFileAsImportId = earlier, NotSecretFindings = notSecret,
            Message = Describe(import, rejectedCount, earlier, notSecret),
        };
        await AuditTrail.AppendAsync(db, request.Actor, "import.completed", $"import:{import.Id}",
            after: summary with { Rejected = [], Message = summary.Message }, at: now, ct: ct);
        // The automatic revocation policy queues inside this transaction: a rolled-back import queues nothing.
        var policy = AutoRevokePolicy.From(await GovernanceSettings.LoadAsync(db, ct), configuration);
        var revocationsQueued = findings.ExposuresOpened > 0 ? await AutomaticRevocation.QueueOpenedAsync(db, policy, exposureFloor, now, ct) : 0;
        if (revocationsQueued > 0)
        {
            await AuditTrail.AppendAsync(db, RevocationService.AutomaticActor, "revocation.queued", $"import:{import.Id}",
                after: new { revocationsQueued, huggingFace = AutoRevokePolicy.Format(policy.HuggingFace), gitHub = AutoRevokePolicy.Format(policy.GitHub) }, at: now, ct: ct);
        }
        db.ChangeTracker.DetectChanges();
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        if (revocationsQueued > 0)
        {
            log.LogInformation("Import {ImportId}: {Count} revocation(s) queued by the automatic policy.", import.Id, revocationsQueued);
            revocationSignal.Notify();
        }
        // Owners hear of new exposures of their tokens (after the commit: a rolled-back import tells nobody anything).
        if (findings.ExposuresOpened > 0)
        {
            var owned = await db.Occurrences.Where(o => o.ImportId == import.Id && o.Token!.OwnerId != null).Select(o => o.TokenId).Distinct().ToListAsync(ct);
            await notifier.NotifyExposuresOpenedAsync(owned, ct);
        }
        progress?.Report(new ImportProgress(file.Length, file.Length, records));
        return summary with { Rejected = rejected, Records = records };
    }

    private static async Task<string?> WriteAsync(Func<Task> write)
    {
        await write();
        return null;
    }

    private static string Describe(ScanImport i, int rejected, int? earlier, int notSecret)
    {
        var changed = i.TokensNew + i.OccurrencesNew + i.ExposuresClosed + i.PeopleAdded + i.PeopleUpdated + i.RulesSaved + i.TokensAssignedByRule;
        var same = earlier is { } id ? $" This file was already imported (import {id})." : "";
        var rejects = (rejected > 0 ? $" {rejected} record(s) rejected." : "")
            + (notSecret > 0 ? $" {notSecret} result(s) skipped: not a secret finding." : "");
        if (i.Format == ImportFormats.NoFindings) return $"No findings: the file is an empty report (an empty JSON array).{same}";
        if (changed == 0) return $"Nothing new: {i.Records} record(s) read, {i.Duplicates} already known.{same}{rejects}";
        return i.Format switch
        {
            ImportFormats.PeopleCsv => $"{i.PeopleAdded} people added, {i.PeopleUpdated} updated; {i.TokensAssignedByRule} token owner(s) assigned.{rejects}",
            ImportFormats.OwnersCsv => $"{i.RulesSaved} ownership rule(s) saved; {i.TokensAssignedByRule} token owner(s) assigned.{rejects}",
            _ => $"{i.TokensNew} new token(s), {i.TokensSeen} seen again, {i.OccurrencesNew} new occurrence(s), {i.Duplicates} duplicate(s); "
                + $"{i.ExposuresOpened} exposure(s) opened, {i.ExposuresClosed} closed.{same}{rejects}",
        };
    }

    private static async Task<string> Sha256Async(string path, CancellationToken ct)
    {
        await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
        return Convert.ToHexStringLower(await SHA256.HashDataAsync(stream, ct));
    }

    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web);
}
