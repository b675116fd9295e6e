using Npgsql;

namespace GovernanceDashboard.Ingestion.Postgres;

/// <summary>The import's write path on PostgreSQL: the same rows and counts as <see cref="FindingWriter"/>, written a batch of
/// records at a time through binary COPY into staging tables and a few set-based statements, inside the import's transaction.</summary>
/// <remarks>
/// Row by row, every record costs PostgreSQL three round trips (measured: 22× the SQLite floor at 100,000 records). Here a batch
/// (<see cref="DefaultBatchRecords"/>) costs about ten, whatever its size:
/// <list type="number">
/// <item>the batch's sightings of each token are folded in memory (<see cref="TokenMergeRule"/>, associative), copied into a
///   staging table, and inserted with <c>ON CONFLICT (Identity) DO NOTHING</c>: the unique identity, not luck, makes a secret
///   one token when imports race (a conflicting insert waits for the other transaction and then does nothing);</item>
/// <item>the tokens this import has not touched yet are locked (<c>FOR UPDATE</c>, in identity order) and their state read,
///   then, in a statement of its own (so that it sees what a raced import committed), their latest exposure;</item>
/// <item>the tokens' attributes are merged set-based with the same rule as the row-by-row upsert;</item>
/// <item>occurrences are copied and inserted with <c>ON CONFLICT (Key) DO NOTHING</c>, the first of a place in file order;</item>
/// <item>exposures opened, moved earlier and closed, and the tokens' status and revocation, depend on the order of records, so
///   they are decided in memory record by record, exactly as <see cref="FindingWriter"/> decides them (the same
///   <see cref="SeverityRule"/>, <see cref="AlertStateRule"/>, <see cref="TokenStatusRule"/>), and written back by COPY and one
///   INSERT or UPDATE per table.</item>
/// </list>
/// Staging tables are temporary (<c>ON COMMIT DROP</c>) and made from the real tables' columns, so their types follow the model.
/// Nothing clear is staged: identities and place keys are keyed hashes, escrow copies are encrypted before they are copied.
/// </remarks>
internal sealed class PostgresFindingWriter : FindingWriterBase
{
    /// <summary>Records per batch: large enough that the per-batch round trips vanish, small enough to hold in memory.</summary>
    public const int DefaultBatchRecords = 8192;

    /// <summary>The setting that changes it (tests use small batches to cross batch boundaries inside small files).</summary>
    public const string BatchSetting = "Imports:PostgresBatchRecords";

    private static readonly string Tokens = T(nameof(GovernanceDbContext.Tokens));
    private static readonly string Occurrences = T(nameof(GovernanceDbContext.Occurrences));
    private static readonly string Exposures = T(nameof(GovernanceDbContext.Exposures));

    private readonly NpgsqlConnection _connection;
    private readonly NpgsqlTransaction _transaction;
    private readonly int _importId;
    private readonly DateTimeOffset _scannedAt;
    private readonly long _nowMs;
    private readonly int _batchRecords;
    private readonly CancellationToken _ct;
    private readonly List<Pending> _pending;
    private readonly Dictionary<string, TouchedToken> _touched = new(StringComparer.Ordinal);
    private bool _staging;

    public PostgresFindingWriter(NpgsqlConnection connection, NpgsqlTransaction transaction, int importId,
        DateTimeOffset scannedAt, DateTimeOffset now, int batchRecords = DefaultBatchRecords, CancellationToken ct = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(batchRecords, 1);
        _connection = connection;
        _transaction = transaction;
        _importId = importId;
        _scannedAt = scannedAt;
        _nowMs = now.ToUnixTimeMilliseconds();
        _batchRecords = batchRecords;
        _ct = ct;
        _pending = new List<Pending>(Math.Min(batchRecords, 1 << 16));
    }

    public override string? Write(Finding f, FindingNames? names)
    {
        if (names is null) return NoNames;
        _pending.Add(new Pending(f, names, f.AlertCreatedAt ?? _scannedAt));
        if (_pending.Count >= _batchRecords) Flush();
        return null;
    }

    public override void Complete()
    {
        if (_pending.Count > 0) Flush();
    }

    private void Flush()
    {
        _ct.ThrowIfCancellationRequested();
        EnsureStaging();
        Execute("TRUNCATE gd_stage_tokens, gd_stage_occurrences, gd_stage_new_exposures, gd_stage_exposure_changes, gd_stage_token_changes");

        var folds = FoldTokens();
        CopyTokens(folds);
        var created = InsertNewTokens();
        LockAndLoad(folds, created);
        MergeTokenAttributes();
        var newOccurrences = InsertOccurrences();

        var opened = new List<(int Ordinal, ExposureRef Exposure)>();
        var changedTokens = new HashSet<TouchedToken>();
        var changedExposures = new HashSet<ExposureRef>();
        for (var i = 0; i < _pending.Count; i++)
        {
            var (f, names, detectedAt) = _pending[i];
            var touched = _touched[names.Identity];
            touched.Write = TokenMergeRule.Write(touched.Write, f.WriteCapability);
            touched.ExpiresAt = TokenMergeRule.Latest(touched.ExpiresAt, f.ExpiresAt?.ToUnixTimeMilliseconds());
            var verification = AlertStateRule.VerificationAtDetection(f);
            var decision = new Decision(touched, changedTokens, changedExposures);
            if (newOccurrences.Contains(i))
            {
                OccurrencesNew++;
                if (RecordExposure(decision, f, names.EscrowCopy, detectedAt, verification) is { } exposure) opened.Add((i, exposure));
            }
            else
            {
                Duplicates++;
            }
            ApplyAlertState(decision, f);
        }

        WriteExposures(opened, changedExposures);
        WriteTokenChanges(changedTokens);
        _pending.Clear();
    }

    private List<TokenFold> FoldTokens()
    {
        var folds = new Dictionary<string, TokenFold>(StringComparer.Ordinal);
        var list = new List<TokenFold>();
        foreach (var (f, names, detectedAt) in _pending)
        {
            var seen = detectedAt.ToUnixTimeMilliseconds();
            if (!folds.TryGetValue(names.Identity, out var fold))
            {
                fold = new TokenFold(names, f, seen, _touched.ContainsKey(names.Identity));
                folds[names.Identity] = fold;
                list.Add(fold);
                continue;
            }
            fold.Add(f, seen);
        }
        return list;
    }

    private void CopyTokens(List<TokenFold> folds)
    {
        using var copy = _connection.BeginBinaryImport($"""
            COPY gd_stage_tokens ({C(nameof(Token.Identity))}, {C(nameof(Token.Identified))}, {C(nameof(Token.Mask))}, {C(nameof(Token.Platform))}, {C(nameof(Token.Kind))}, {C(nameof(Token.Detector))}, {C(nameof(Token.Account))},
                {C(nameof(Token.Organizations))}, {C(nameof(Token.Scopes))}, {C(nameof(Token.Role))}, {C(nameof(Token.WriteCapability))}, {C(nameof(Token.FirstSeenAt))}, {C(nameof(Token.LastSeenAt))}, {C(nameof(Token.ExpiresAt))}, known)
            FROM STDIN (FORMAT BINARY)
            """);
        foreach (var t in folds)
        {
            copy.StartRow();
            copy.Write(t.Names.Identity);
            copy.Write(t.Names.Identified);
            copy.Write(t.Names.Mask);
            copy.Write(t.Platform.ToString());
            copy.Write(t.Kind.ToString());
            WriteOrNull(copy, t.Detector);
            WriteOrNull(copy, t.Account);
            WriteOrNull(copy, t.Organizations);
            WriteOrNull(copy, t.Scopes);
            WriteOrNull(copy, t.Role);
            copy.Write(t.Write.ToString());
            copy.Write(t.FirstSeen);
            copy.Write(t.LastSeen);
            WriteOrNull(copy, t.Expires);
            copy.Write(t.Known);
        }
        copy.Complete();
    }

    /// <summary>Inserts the tokens no transaction has stored yet, in identity order (raced imports then wait on each other in one
    /// order, never in a cycle); the batch's fold is their first row. Returns their ids by identity.</summary>
    private Dictionary<string, int> InsertNewTokens()
    {
        var created = new Dictionary<string, int>(StringComparer.Ordinal);
        using var command = Command($"""
            INSERT INTO {Tokens} ({C(nameof(Token.Identity))}, {C(nameof(Token.Identified))}, {C(nameof(Token.Mask))}, {C(nameof(Token.Platform))}, {C(nameof(Token.Kind))}, {C(nameof(Token.Detector))}, {C(nameof(Token.Account))},
                {C(nameof(Token.Organizations))}, {C(nameof(Token.Scopes))}, {C(nameof(Token.Role))}, {C(nameof(Token.WriteCapability))}, {C(nameof(Token.OwnerSource))}, {C(nameof(Token.Status))},
                {C(nameof(Token.FirstSeenAt))}, {C(nameof(Token.LastSeenAt))}, {C(nameof(Token.ExpiresAt))}, {C(nameof(Token.CreatedImportId))})
            SELECT {C(nameof(Token.Identity))}, {C(nameof(Token.Identified))}, {C(nameof(Token.Mask))}, {C(nameof(Token.Platform))}, {C(nameof(Token.Kind))}, {C(nameof(Token.Detector))}, {C(nameof(Token.Account))},
                {C(nameof(Token.Organizations))}, {C(nameof(Token.Scopes))}, {C(nameof(Token.Role))}, {C(nameof(Token.WriteCapability))}, '{nameof(OwnerSource.None)}', '{nameof(TokenStatus.Exposed)}',
                {C(nameof(Token.FirstSeenAt))}, {C(nameof(Token.LastSeenAt))}, {C(nameof(Token.ExpiresAt))}, @import
            FROM gd_stage_tokens WHERE NOT known ORDER BY {C(nameof(Token.Identity))}
            ON CONFLICT ({C(nameof(Token.Identity))}) DO NOTHING
            RETURNING {C(nameof(Token.Identity))}, {C(nameof(Token.Id))}
            """);
        command.Parameters.AddWithValue("import", _importId);
        using var reader = command.ExecuteReader();
        while (reader.Read()) created[reader.GetString(0)] = reader.GetInt32(1);
        return created;
    }

    /// <summary>Makes the batch's tokens known to this import: those it just created (no exposure yet), and the others locked
    /// until the import commits (identity order), their state read under the lock and their latest exposure read after it.</summary>
    private void LockAndLoad(List<TokenFold> folds, Dictionary<string, int> created)
    {
        var loaded = new Dictionary<int, TouchedToken>();
        using (var command = Command($"""
            SELECT t.{C(nameof(Token.Identity))}, t.{C(nameof(Token.Id))}, t.{C(nameof(Token.Status))}, t.{C(nameof(Token.RevokedAt))}, t.{C(nameof(Token.WriteCapability))}, t.{C(nameof(Token.ExpiresAt))}
            FROM gd_stage_tokens s JOIN {Tokens} t ON t.{C(nameof(Token.Identity))} = s.{C(nameof(Token.Identity))}
            WHERE NOT s.known AND t.{C(nameof(Token.CreatedImportId))} IS DISTINCT FROM @import
            ORDER BY t.{C(nameof(Token.Identity))} FOR UPDATE OF t
            """))
        {
            command.Parameters.AddWithValue("import", _importId);
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                var token = new TouchedToken(reader.GetInt32(1), createdHere: false, Enum.Parse<TokenStatus>(reader.GetString(2)),
                    reader.IsDBNull(3) ? null : reader.GetInt64(3), Enum.Parse<WriteCapability>(reader.GetString(4)), reader.IsDBNull(5) ? null : reader.GetInt64(5));
                _touched[reader.GetString(0)] = token;
                loaded[token.Id] = token;
            }
        }
        if (loaded.Count > 0)
        {
            // A statement of its own: its snapshot is taken after the locks were granted, so it sees a raced import's exposures.
            using var command = Command($"""
                SELECT DISTINCT ON ({C(nameof(Exposure.TokenId))}) {C(nameof(Exposure.TokenId))}, {C(nameof(Exposure.Id))}, {C(nameof(Exposure.DetectedAt))}, {C(nameof(Exposure.State))}, {C(nameof(Exposure.RemediatedAt))}, {C(nameof(Exposure.Escrow))} IS NOT NULL
                FROM {Exposures} WHERE {C(nameof(Exposure.TokenId))} = ANY(@tokens) ORDER BY {C(nameof(Exposure.TokenId))}, {C(nameof(Exposure.Id))} DESC
                """);
            command.Parameters.AddWithValue("tokens", loaded.Keys.ToArray());
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                loaded[reader.GetInt32(0)].Latest = new ExposureRef(reader.GetInt32(1), DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(2)),
                    Enum.Parse<ExposureState>(reader.GetString(3)), reader.IsDBNull(4) ? null : DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(4)), reader.GetBoolean(5));
            }
        }
        foreach (var fold in folds)
        {
            if (fold.Known) continue;
            if (created.TryGetValue(fold.Names.Identity, out var id))
            {
                // As inserted: the row-by-row path's first sighting, merged with the rest of the batch's.
                _touched[fold.Names.Identity] = new TouchedToken(id, createdHere: true, TokenStatus.Exposed, null, WriteCapability.Unknown, null);
                TokensNew++;
            }
            else
            {
                TokensSeen++;
            }
        }
    }

    /// <summary>Merges the batch's sightings into the tokens that were already stored (and those this import created in an
    /// earlier batch): the same <see cref="TokenMergeRule"/> as the row-by-row upsert, once per token.</summary>
    private void MergeTokenAttributes()
    {
        using var command = Command($"""
            UPDATE {Tokens} t SET
            {TokenMergeRule.SetSql("t", "s", "LEAST", "GREATEST")}
            FROM gd_stage_tokens s
            WHERE t.{C(nameof(Token.Identity))} = s.{C(nameof(Token.Identity))} AND (s.known OR t.{C(nameof(Token.CreatedImportId))} IS DISTINCT FROM @import)
            """);
        command.Parameters.AddWithValue("import", _importId);
        command.ExecuteNonQuery();
    }

    /// <summary>Inserts the batch's occurrences (the first record of each place, in file order, so ids follow the file) and
    /// returns the batch positions of the records that added one.</summary>
    private HashSet<int> InsertOccurrences()
    {
        string[] columns = [nameof(Occurrence.Key), nameof(Occurrence.Scanner), nameof(Occurrence.Detector), nameof(Occurrence.Repository), nameof(Occurrence.File),
            nameof(Occurrence.Line), nameof(Occurrence.Column), nameof(Occurrence.Commit), nameof(Occurrence.Link), nameof(Occurrence.Visibility), nameof(Occurrence.AuthorEmail),
            nameof(Occurrence.CommitTime), nameof(Occurrence.Verification), nameof(Occurrence.DetectedAt), nameof(Occurrence.AlertNumber), nameof(Occurrence.AlertState),
            nameof(Occurrence.AlertResolution), nameof(Occurrence.AlertResolvedAt), nameof(Occurrence.PubliclyLeaked)];
        var list = string.Join(", ", columns.Select(C));
        using (var copy = _connection.BeginBinaryImport($"COPY gd_stage_occurrences (ord, {C(nameof(Occurrence.TokenId))}, {list}) FROM STDIN (FORMAT BINARY)"))
        {
            for (var i = 0; i < _pending.Count; i++)
            {
                var (f, names, detectedAt) = _pending[i];
                copy.StartRow();
                copy.Write(i);
                copy.Write(_touched[names.Identity].Id);
                copy.Write(names.PlaceKey);
                copy.Write(f.Scanner);
                WriteOrNull(copy, f.Detector);
                WriteOrNull(copy, f.Repository);
                WriteOrNull(copy, f.File);
                WriteOrNull(copy, f.LineNumber);
                WriteOrNull(copy, f.Column);
                WriteOrNull(copy, f.Commit);
                WriteOrNull(copy, f.Link);
                copy.Write(f.Visibility.ToString());
                WriteOrNull(copy, f.AuthorEmail?.Trim().ToLowerInvariant());
                WriteOrNull(copy, f.CommitTime?.ToUnixTimeMilliseconds());
                copy.Write(AlertStateRule.VerificationAtDetection(f).ToString());
                copy.Write(detectedAt.ToUnixTimeMilliseconds());
                WriteOrNull(copy, f.AlertNumber);
                WriteOrNull(copy, f.AlertState);
                WriteOrNull(copy, f.AlertResolution);
                WriteOrNull(copy, f.AlertResolvedAt?.ToUnixTimeMilliseconds());
                copy.Write(f.PubliclyLeaked);
            }
            copy.Complete();
        }
        var added = new HashSet<int>();
        using var command = Command($"""
            WITH firsts AS MATERIALIZED (
                SELECT DISTINCT ON ({C(nameof(Occurrence.Key))}) * FROM gd_stage_occurrences ORDER BY {C(nameof(Occurrence.Key))}, ord),
            inserted AS (
                INSERT INTO {Occurrences} ({C(nameof(Occurrence.TokenId))}, {C(nameof(Occurrence.ImportId))}, {list})
                SELECT {C(nameof(Occurrence.TokenId))}, @import, {list} FROM firsts ORDER BY ord
                ON CONFLICT ({C(nameof(Occurrence.Key))}) DO NOTHING
                RETURNING {C(nameof(Occurrence.Key))})
            SELECT f.ord FROM inserted i JOIN firsts f ON f.{C(nameof(Occurrence.Key))} = i.{C(nameof(Occurrence.Key))}
            """);
        command.Parameters.AddWithValue("import", _importId);
        using var reader = command.ExecuteReader();
        while (reader.Read()) added.Add(reader.GetInt32(0));
        return added;
    }

    // ---- Decisions, record by record: FindingWriter.RecordExposure and ApplyAlertState, on the in-memory state. ----

    /// <summary>Returns the exposure it opened, if any.</summary>
    private ExposureRef? RecordExposure(Decision d, Finding f, string? escrowCopy, DateTimeOffset detectedAt, Verification verification)
    {
        var touched = d.Token;
        var severity = SeverityRule.AtDetection(verification, touched.Write, SeverityRule.IsPublic(f));
        var latest = touched.Latest;
        if (latest is null || latest.State != ExposureState.Open)
        {
            if (latest is not null && detectedAt < latest.DetectedAt) MoveDetectionEarlier(d, latest, detectedAt, severity, verification);
            if (touched.Revoked || latest is not null)
            {
                // Revoked, remediated (so revoked) or dismissed: recorded, opens nothing.
                OccurrencesOnClosedTokens++;
                return null;
            }
            var opened = new ExposureRef(0, detectedAt, ExposureState.Open, null, escrowCopy is not null)
            {
                Severity = severity, Verification = verification, EscrowCopy = escrowCopy,
            };
            touched.Latest = opened;
            ExposuresOpened++;
            // New tokens are inserted as Exposed; a known token becomes so now (unless expired).
            if (!touched.CreatedHere || f.ExpiresAt <= DateTimeOffset.FromUnixTimeMilliseconds(_nowMs)) SetStatus(d, TokenStatus.Exposed);
            return opened;
        }

        // Already open: the earliest detection wins, whatever order files come in; nothing moves it later.
        if (detectedAt < latest.DetectedAt) MoveDetectionEarlier(d, latest, detectedAt, severity, verification);
        if (!latest.HasEscrow && escrowCopy is not null)
        {
            latest.EscrowCopy = escrowCopy;
            latest.EscrowChange = EscrowChange.Set;
            latest.HasEscrow = true;
            d.Changed(latest);
        }
        return null;
    }

    private static void MoveDetectionEarlier(Decision d, ExposureRef exposure, DateTimeOffset detectedAt, Severity severity, Verification verification)
    {
        exposure.DetectedAt = detectedAt;
        exposure.Severity = severity;
        exposure.Verification = verification;
        d.Changed(exposure);
    }

    private void ApplyAlertState(Decision d, Finding f)
    {
        var outcome = AlertStateRule.Decide(f, _scannedAt);
        if (outcome.Remediate)
        {
            Remediate(d, outcome.At, outcome.By!);
            return;
        }
        if (outcome.DismissAs is { } reason && d.Token.Latest is { State: ExposureState.Open } open)
        {
            open.State = ExposureState.Dismissed;
            open.DismissedAt = Max(outcome.At, open.DetectedAt);
            open.DismissalReason = reason;
            open.HasEscrow = false;
            open.EscrowCopy = null;
            open.EscrowChange = EscrowChange.Clear;
            d.Changed(open);
            ExposuresClosed++;
            SetStatus(d, TokenStatus.Active);
        }
        if (outcome.RevokeTokenAt is { } revokedAt) RevokeToken(d, revokedAt);
    }

    private static void RevokeToken(Decision d, DateTimeOffset at)
    {
        var ms = at.ToUnixTimeMilliseconds();
        d.Token.RevokedAt = d.Token.RevokedAt is { } current ? Math.Min(current, ms) : ms;
        d.Token.Status = TokenStatus.Revoked;
        d.Changed(d.Token);
    }

    /// <summary>Remediation is dated by the earliest evidence of revocation, never before the exposure's detection.</summary>
    private void Remediate(Decision d, DateTimeOffset at, string by)
    {
        RevokeToken(d, at);
        if (d.Token.Latest is not { } exposure) return;
        var when = Max(at, exposure.DetectedAt);
        if (exposure.State == ExposureState.Open)
        {
            exposure.State = ExposureState.Remediated;
            exposure.RemediatedAt = when;
            exposure.RemediatedBy = by;
            exposure.HasEscrow = false;
            exposure.EscrowCopy = null;
            exposure.EscrowChange = EscrowChange.Clear;
            d.Changed(exposure);
            ExposuresClosed++;
        }
        else if (exposure.State == ExposureState.Remediated && exposure.RemediatedAt is { } current && when < current)
        {
            exposure.RemediatedAt = when;
            d.Changed(exposure);
        }
    }

    /// <summary>The stored status is the current one (TokenStatusRule: revocation and expiry outrank exposure), judged on the
    /// token's revocation and expiry as they stand at this record.</summary>
    private void SetStatus(Decision d, TokenStatus status)
    {
        d.Token.Status = TokenStatusRule.At(d.Token.RevokedAt ?? long.MaxValue, d.Token.ExpiresAt ?? long.MaxValue, _nowMs, status == TokenStatus.Exposed);
        d.Changed(d.Token);
    }

    private static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;

    // ---- Writing the decisions back. ----

    private void WriteExposures(List<(int Ordinal, ExposureRef Exposure)> opened, HashSet<ExposureRef> changed)
    {
        string[] columns = [nameof(Exposure.TokenId), nameof(Exposure.DetectedAt), nameof(Exposure.Severity), nameof(Exposure.VerificationAtDetection), nameof(Exposure.State),
            nameof(Exposure.RemediatedAt), nameof(Exposure.RemediatedBy), nameof(Exposure.DismissedAt), nameof(Exposure.DismissalReason), nameof(Exposure.Escrow)];
        var list = string.Join(", ", columns.Select(C));
        if (opened.Count > 0)
        {
            using (var copy = _connection.BeginBinaryImport($"COPY gd_stage_new_exposures (ord, {list}) FROM STDIN (FORMAT BINARY)"))
            {
                foreach (var (ordinal, e) in opened)
                {
                    copy.StartRow();
                    copy.Write(ordinal);
                    copy.Write(_touched[_pending[ordinal].Names.Identity].Id);
                    copy.Write(e.DetectedAt.ToUnixTimeMilliseconds());
                    copy.Write(e.Severity!.Value.ToString());
                    copy.Write(e.Verification!.Value.ToString());
                    copy.Write(e.State.ToString());
                    WriteOrNull(copy, e.RemediatedAt?.ToUnixTimeMilliseconds());
                    WriteOrNull(copy, e.RemediatedBy);
                    WriteOrNull(copy, e.DismissedAt?.ToUnixTimeMilliseconds());
                    WriteOrNull(copy, e.DismissalReason);
                    WriteOrNull(copy, e.EscrowCopy);
                }
                copy.Complete();
            }
            // In file order, as the row-by-row path opens them; at most one per token and import (an exposure once closed stays the latest).
            var byToken = opened.ToDictionary(o => _touched[_pending[o.Ordinal].Names.Identity].Id, o => o.Exposure);
            using var command = Command($"INSERT INTO {Exposures} ({list}) SELECT {list} FROM gd_stage_new_exposures ORDER BY ord RETURNING {C(nameof(Exposure.Id))}, {C(nameof(Exposure.TokenId))}");
            using var reader = command.ExecuteReader();
            while (reader.Read()) byToken[reader.GetInt32(1)].Id = reader.GetInt32(0);
        }
        foreach (var (_, e) in opened)
        {
            // Stored as decided: later batches change it like any stored exposure.
            changed.Remove(e);
            e.ClearChanges();
        }
        if (changed.Count == 0) return;

        using (var copy = _connection.BeginBinaryImport($"""
            COPY gd_stage_exposure_changes ({C(nameof(Exposure.Id))}, {C(nameof(Exposure.DetectedAt))}, {C(nameof(Exposure.Severity))}, {C(nameof(Exposure.VerificationAtDetection))}, {C(nameof(Exposure.State))},
                {C(nameof(Exposure.RemediatedAt))}, {C(nameof(Exposure.RemediatedBy))}, {C(nameof(Exposure.DismissedAt))}, {C(nameof(Exposure.DismissalReason))}, escrow_change, {C(nameof(Exposure.Escrow))})
            FROM STDIN (FORMAT BINARY)
            """))
        {
            foreach (var e in changed)
            {
                copy.StartRow();
                copy.Write(e.Id);
                // Detection, state and remediation time are written as they stand (unchanged: the stored value again).
                copy.Write(e.DetectedAt.ToUnixTimeMilliseconds());
                WriteOrNull(copy, e.Severity?.ToString());
                WriteOrNull(copy, e.Verification?.ToString());
                copy.Write(e.State.ToString());
                WriteOrNull(copy, e.RemediatedAt?.ToUnixTimeMilliseconds());
                WriteOrNull(copy, e.RemediatedBy);
                WriteOrNull(copy, e.DismissedAt?.ToUnixTimeMilliseconds());
                WriteOrNull(copy, e.DismissalReason);
                copy.Write((short)e.EscrowChange);
                WriteOrNull(copy, e.EscrowCopy);
                e.ClearChanges();
            }
            copy.Complete();
        }
        // A null keeps the stored value, as FindingWriter's one UPDATE statement does.
        using var update = Command($"""
            UPDATE {Exposures} e SET
                {C(nameof(Exposure.DetectedAt))} = COALESCE(s.{C(nameof(Exposure.DetectedAt))}, e.{C(nameof(Exposure.DetectedAt))}),
                {C(nameof(Exposure.Severity))} = COALESCE(s.{C(nameof(Exposure.Severity))}, e.{C(nameof(Exposure.Severity))}),
                {C(nameof(Exposure.VerificationAtDetection))} = COALESCE(s.{C(nameof(Exposure.VerificationAtDetection))}, e.{C(nameof(Exposure.VerificationAtDetection))}),
                {C(nameof(Exposure.State))} = COALESCE(s.{C(nameof(Exposure.State))}, e.{C(nameof(Exposure.State))}),
                {C(nameof(Exposure.RemediatedAt))} = COALESCE(s.{C(nameof(Exposure.RemediatedAt))}, e.{C(nameof(Exposure.RemediatedAt))}),
                {C(nameof(Exposure.RemediatedBy))} = COALESCE(s.{C(nameof(Exposure.RemediatedBy))}, e.{C(nameof(Exposure.RemediatedBy))}),
                {C(nameof(Exposure.DismissedAt))} = COALESCE(s.{C(nameof(Exposure.DismissedAt))}, e.{C(nameof(Exposure.DismissedAt))}),
                {C(nameof(Exposure.DismissalReason))} = COALESCE(s.{C(nameof(Exposure.DismissalReason))}, e.{C(nameof(Exposure.DismissalReason))}),
                {C(nameof(Exposure.Escrow))} = CASE s.escrow_change WHEN {(int)EscrowChange.Clear} THEN NULL WHEN {(int)EscrowChange.Set} THEN s.{C(nameof(Exposure.Escrow))} ELSE e.{C(nameof(Exposure.Escrow))} END
            FROM gd_stage_exposure_changes s WHERE e.{C(nameof(Exposure.Id))} = s.{C(nameof(Exposure.Id))}
            """);
        update.ExecuteNonQuery();
    }

    private void WriteTokenChanges(HashSet<TouchedToken> changed)
    {
        if (changed.Count == 0) return;
        using (var copy = _connection.BeginBinaryImport($"COPY gd_stage_token_changes ({C(nameof(Token.Id))}, {C(nameof(Token.Status))}, {C(nameof(Token.RevokedAt))}) FROM STDIN (FORMAT BINARY)"))
        {
            foreach (var t in changed)
            {
                copy.StartRow();
                copy.Write(t.Id);
                copy.Write(t.Status.ToString());
                WriteOrNull(copy, t.RevokedAt);
            }
            copy.Complete();
        }
        using var command = Command($"""
            UPDATE {Tokens} t SET {C(nameof(Token.Status))} = s.{C(nameof(Token.Status))}, {C(nameof(Token.RevokedAt))} = s.{C(nameof(Token.RevokedAt))}
            FROM gd_stage_token_changes s WHERE t.{C(nameof(Token.Id))} = s.{C(nameof(Token.Id))}
            """);
        command.ExecuteNonQuery();
    }

    // ---- Staging tables and plumbing. ----

    /// <summary>The staging tables, made once per import from the real tables' columns (so their types follow the model) and
    /// dropped at the end of the transaction, whether it commits or not.</summary>
    private void EnsureStaging()
    {
        if (_staging) return;
        string Cols(string alias, params string[] properties) => string.Join(", ", properties.Select(p => $"{alias}.{C(p)}"));
        Execute($"""
            CREATE TEMP TABLE gd_stage_tokens ON COMMIT DROP AS
                SELECT {Cols("t", nameof(Token.Identity), nameof(Token.Identified), nameof(Token.Mask), nameof(Token.Platform), nameof(Token.Kind), nameof(Token.Detector),
                    nameof(Token.Account), nameof(Token.Organizations), nameof(Token.Scopes), nameof(Token.Role), nameof(Token.WriteCapability), nameof(Token.FirstSeenAt),
                    nameof(Token.LastSeenAt), nameof(Token.ExpiresAt))}, true AS known FROM {Tokens} t WITH NO DATA;
            CREATE TEMP TABLE gd_stage_occurrences ON COMMIT DROP AS
                SELECT 0 AS ord, o.* FROM {Occurrences} o WITH NO DATA;
            CREATE TEMP TABLE gd_stage_new_exposures ON COMMIT DROP AS
                SELECT 0 AS ord, e.* FROM {Exposures} e WITH NO DATA;
            CREATE TEMP TABLE gd_stage_exposure_changes ON COMMIT DROP AS
                SELECT e.*, 0::smallint AS escrow_change FROM {Exposures} e WITH NO DATA;
            CREATE TEMP TABLE gd_stage_token_changes ON COMMIT DROP AS
                SELECT {Cols("t", nameof(Token.Id), nameof(Token.Status), nameof(Token.RevokedAt))} FROM {Tokens} t WITH NO DATA;
            """);
        _staging = true;
    }

    private void Execute(string sql)
    {
        using var command = Command(sql);
        command.ExecuteNonQuery();
    }

    private NpgsqlCommand Command(string sql) => new(sql, _connection, _transaction);

    private static void WriteOrNull(NpgsqlBinaryImporter copy, string? value)
    {
        if (value is null) copy.WriteNull();
        else copy.Write(value);
    }

    private static void WriteOrNull<T>(NpgsqlBinaryImporter copy, T? value) where T : struct
    {
        if (value is { } v) copy.Write(v);
        else copy.WriteNull();
    }

    private static string T(string set) => "\"" + set + "\"";
    private static string C(string property) => "\"" + property + "\"";

    // Holds nothing to release: its commands are created and disposed per batch.
    public override void Dispose() { }

    private readonly record struct Pending(Finding Finding, FindingNames Names, DateTimeOffset DetectedAt);

    /// <summary>One batch's sightings of a token, folded with <see cref="TokenMergeRule"/>; the first sighting's values start it.</summary>
    private sealed class TokenFold(FindingNames names, Finding first, long seen, bool known)
    {
        public FindingNames Names { get; } = names;
        public bool Known { get; } = known;
        public TokenPlatform Platform { get; private set; } = first.Platform;
        public TokenKind Kind { get; private set; } = first.Kind;
        public string? Detector { get; private set; } = first.Detector;
        public string? Account { get; private set; } = first.Account;
        public string? Organizations { get; private set; } = Joined(first.Organizations);
        public string? Scopes { get; private set; } = Joined(first.Scopes);
        public string? Role { get; private set; } = first.Role;
        public WriteCapability Write { get; private set; } = first.WriteCapability;
        public long FirstSeen { get; private set; } = seen;
        public long LastSeen { get; private set; } = seen;
        public long? Expires { get; private set; } = first.ExpiresAt?.ToUnixTimeMilliseconds();

        public void Add(Finding f, long seen)
        {
            Platform = TokenMergeRule.Platform(Platform, f.Platform);
            Kind = TokenMergeRule.Kind(Kind, f.Kind);
            Detector = TokenMergeRule.Detector(Detector, f.Detector);
            Account = TokenMergeRule.Latest(Account, f.Account);
            Organizations = TokenMergeRule.Latest(Organizations, Joined(f.Organizations));
            Scopes = TokenMergeRule.Latest(Scopes, Joined(f.Scopes));
            Role = TokenMergeRule.Latest(Role, f.Role);
            Write = TokenMergeRule.Write(Write, f.WriteCapability);
            FirstSeen = Math.Min(FirstSeen, seen);
            LastSeen = Math.Max(LastSeen, seen);
            Expires = TokenMergeRule.Latest(Expires, f.ExpiresAt?.ToUnixTimeMilliseconds());
        }

        private static string? Joined(IReadOnlyList<string> values) => values.Count == 0 ? null : string.Join(", ", values);
    }

    /// <summary>What the import knows of a token it touched: as stored when first touched, then as its decisions left it.</summary>
    private sealed class TouchedToken(int id, bool createdHere, TokenStatus status, long? revokedAt, WriteCapability write, long? expiresAt)
    {
        public int Id { get; } = id;
        public bool CreatedHere { get; } = createdHere;
        public TokenStatus Status { get; set; } = status;
        public long? RevokedAt { get; set; } = revokedAt;
        public bool Revoked => RevokedAt is not null;
        public WriteCapability Write { get; set; } = write;
        public long? ExpiresAt { get; set; } = expiresAt;
        public ExposureRef? Latest { get; set; }
    }

    private enum EscrowChange : short { Keep = 0, Clear = 1, Set = 2 }

    /// <summary>A token's latest exposure: as stored (or as this import decided it), and what must still be written (a null
    /// keeps the stored value, as in FindingWriter's one UPDATE statement).</summary>
    private sealed class ExposureRef(int id, DateTimeOffset detectedAt, ExposureState state, DateTimeOffset? remediatedAt, bool hasEscrow)
    {
        public int Id { get; set; } = id;
        public DateTimeOffset DetectedAt { get; set; } = detectedAt;
        public ExposureState State { get; set; } = state;
        public DateTimeOffset? RemediatedAt { get; set; } = remediatedAt;
        public bool HasEscrow { get; set; } = hasEscrow;
        public Severity? Severity { get; set; }
        public Verification? Verification { get; set; }
        public string? RemediatedBy { get; set; }
        public DateTimeOffset? DismissedAt { get; set; }
        public string? DismissalReason { get; set; }
        public string? EscrowCopy { get; set; }
        public EscrowChange EscrowChange { get; set; }

        /// <summary>After a write: what is stored now is the base of the next batch's changes.</summary>
        public void ClearChanges()
        {
            Severity = null;
            Verification = null;
            RemediatedBy = null;
            DismissedAt = null;
            DismissalReason = null;
            EscrowCopy = null;
            EscrowChange = EscrowChange.Keep;
        }
    }

    /// <summary>The token a record's decisions apply to, and the sets that collect what must be written back.</summary>
    private readonly record struct Decision(TouchedToken Token, HashSet<TouchedToken> TokensChanged, HashSet<ExposureRef> ExposuresChanged)
    {
        public void Changed(TouchedToken token) => TokensChanged.Add(token);
        public void Changed(ExposureRef exposure) => ExposuresChanged.Add(exposure);
    }
}
