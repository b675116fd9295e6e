using System.Data.Common;

namespace GovernanceDashboard.Ingestion;

/// <summary>Writes scanner findings into the store inside the import's transaction: one token per distinct secret,
/// one occurrence per place, exposures opened, moved earlier and closed per docs/imports.md and docs/metrics.md.</summary>
/// <remarks>
/// This is the one hot path that bypasses EF Core's change tracker: an import of a million records through tracked
/// entities would hold them all in memory and run several times slower. It uses prepared statements on the context's
/// own connection and transaction instead (<see cref="RowStatement"/>: on SQLite through SQLitePCLRaw directly), and keeps
/// in memory only the latest exposure of each token it touched.
/// The SQL is plain (quoted identifiers, ON CONFLICT, RETURNING), written for SQLite and PostgreSQL alike.
/// </remarks>
internal sealed class FindingWriter : FindingWriterBase
{
    private readonly int _importId;
    private readonly DateTimeOffset _scannedAt;
    private readonly RowStatement _upsertToken;
    private readonly RowStatement _insertOccurrence;
    private readonly RowStatement _latestExposure;
    private readonly RowStatement _openExposure;
    private readonly RowStatement _updateExposure;
    private readonly RowStatement _revokeToken;
    private readonly RowStatement _setStatus;
    private readonly long _nowMs;
    private Dictionary<int, TouchedToken> _touched = [];

    public FindingWriter(DbConnection connection, DbTransaction transaction, int importId, DateTimeOffset scannedAt,
        DateTimeOffset now, bool postgres)
    {
        _nowMs = now.ToUnixTimeMilliseconds();
        _importId = importId;
        _scannedAt = scannedAt;
        var least = postgres ? "LEAST" : "min";
        var greatest = postgres ? "GREATEST" : "max";
        var tokens = T(nameof(GovernanceDbContext.Tokens));
        var occurrences = T(nameof(GovernanceDbContext.Occurrences));
        var exposures = T(nameof(GovernanceDbContext.Exposures));

        _upsertToken = RowStatement.Prepare(connection, transaction, $"""
            INSERT INTO {tokens} ({C(nameof(Token.Identity))}, {C(nameof(Token.Identified))}, {C(nameof(Token.Mask))}, {C(nameof(Token.Platform))}, {C(nameof(Token.Kind))}, {C(nameof(Token.Detector))}, {C(nameof(Token.Account))}, {C(nameof(Token.Organizations))}, {C(nameof(Token.Scopes))}, {C(nameof(Token.Role))},
                {C(nameof(Token.WriteCapability))}, {C(nameof(Token.OwnerSource))}, {C(nameof(Token.Status))}, {C(nameof(Token.FirstSeenAt))}, {C(nameof(Token.LastSeenAt))}, {C(nameof(Token.ExpiresAt))}, {C(nameof(Token.CreatedImportId))})
            VALUES (@identity, @identified, @mask, @platform, @kind, @detector, @account, @orgs, @scopes, @role, @write, '{nameof(OwnerSource.None)}', '{nameof(TokenStatus.Exposed)}', @seen, @seen, @expires, @import)
            ON CONFLICT ({C(nameof(Token.Identity))}) DO UPDATE SET
            {TokenMergeRule.SetSql(tokens, "excluded", least, greatest)}
            RETURNING {C(nameof(Token.Id))}, {C(nameof(Token.CreatedImportId))}, {C(nameof(Token.RevokedAt))}, {C(nameof(Token.WriteCapability))}
            """, "identity", "identified", "mask", "platform", "kind", "detector", "account", "orgs", "scopes", "role", "write", "seen", "expires", "import");

        _insertOccurrence = RowStatement.Prepare(connection, transaction, $"""
            INSERT INTO {occurrences} ({C(nameof(Occurrence.TokenId))}, {C(nameof(Occurrence.ImportId))}, {C(nameof(Occurrence.Key))}, {C(nameof(Occurrence.Scanner))}, {C(nameof(Occurrence.Detector))}, {C(nameof(Occurrence.Repository))}, {C(nameof(Occurrence.File))}, {C(nameof(Occurrence.Line))}, {C(nameof(Occurrence.Column))}, {C(nameof(Occurrence.Commit))}, {C(nameof(Occurrence.Link))},
                {C(nameof(Occurrence.Visibility))}, {C(nameof(Occurrence.AuthorEmail))}, {C(nameof(Occurrence.CommitTime))}, {C(nameof(Occurrence.Verification))}, {C(nameof(Occurrence.DetectedAt))}, {C(nameof(Occurrence.AlertNumber))}, {C(nameof(Occurrence.AlertState))}, {C(nameof(Occurrence.AlertResolution))}, {C(nameof(Occurrence.AlertResolvedAt))}, {C(nameof(Occurrence.PubliclyLeaked))})
            VALUES (@token, @import, @key, @scanner, @detector, @repo, @file, @line, @column, @commit, @link,
                @visibility, @author, @commitTime, @verification, @detected, @alert, @alertState, @resolution, @resolvedAt, @leaked)
            ON CONFLICT ({C(nameof(Occurrence.Key))}) DO NOTHING
            RETURNING {C(nameof(Occurrence.Id))}
            """, "token", "import", "key", "scanner", "detector", "repo", "file", "line", "column", "commit", "link",
            "visibility", "author", "commitTime", "verification", "detected", "alert", "alertState", "resolution", "resolvedAt", "leaked");

        _latestExposure = RowStatement.Prepare(connection, transaction, $"""
            SELECT {C(nameof(Exposure.Id))}, {C(nameof(Exposure.DetectedAt))}, {C(nameof(Exposure.State))}, {C(nameof(Exposure.RemediatedAt))}, {C(nameof(Exposure.Escrow))} IS NOT NULL FROM {exposures} WHERE {C(nameof(Exposure.TokenId))} = @token ORDER BY {C(nameof(Exposure.Id))} DESC LIMIT 1
            """, "token");

        _openExposure = RowStatement.Prepare(connection, transaction, $"""
            INSERT INTO {exposures} ({C(nameof(Exposure.TokenId))}, {C(nameof(Exposure.DetectedAt))}, {C(nameof(Exposure.Severity))}, {C(nameof(Exposure.VerificationAtDetection))}, {C(nameof(Exposure.State))}, {C(nameof(Exposure.Escrow))})
            VALUES (@token, @detected, @severity, @verification, '{nameof(ExposureState.Open)}', @escrow) RETURNING {C(nameof(Exposure.Id))}
            """, "token", "detected", "severity", "verification", "escrow");

        // One statement for every change to an exposure; a null parameter leaves its column as it is.
        _updateExposure = RowStatement.Prepare(connection, transaction, $"""
            UPDATE {exposures} SET
                {C(nameof(Exposure.DetectedAt))} = COALESCE(@detected, {C(nameof(Exposure.DetectedAt))}),
                {C(nameof(Exposure.Severity))} = COALESCE(@severity, {C(nameof(Exposure.Severity))}),
                {C(nameof(Exposure.VerificationAtDetection))} = COALESCE(@verification, {C(nameof(Exposure.VerificationAtDetection))}),
                {C(nameof(Exposure.State))} = COALESCE(@state, {C(nameof(Exposure.State))}),
                {C(nameof(Exposure.RemediatedAt))} = COALESCE(@remediated, {C(nameof(Exposure.RemediatedAt))}),
                {C(nameof(Exposure.RemediatedBy))} = COALESCE(@by, {C(nameof(Exposure.RemediatedBy))}),
                {C(nameof(Exposure.DismissedAt))} = COALESCE(@dismissed, {C(nameof(Exposure.DismissedAt))}),
                {C(nameof(Exposure.DismissalReason))} = COALESCE(@reason, {C(nameof(Exposure.DismissalReason))}),
                {C(nameof(Exposure.Escrow))} = CASE WHEN @clearEscrow = 1 THEN NULL ELSE COALESCE(@escrow, {C(nameof(Exposure.Escrow))}) END
            WHERE {C(nameof(Exposure.Id))} = @id
            """, "detected", "severity", "verification", "state", "remediated", "by", "dismissed", "reason", "clearEscrow", "escrow", "id");

        _revokeToken = RowStatement.Prepare(connection, transaction, $"""
            UPDATE {tokens} SET {C(nameof(Token.RevokedAt))} = CASE WHEN {C(nameof(Token.RevokedAt))} IS NULL THEN @at ELSE {least}({C(nameof(Token.RevokedAt))}, @at) END, {C(nameof(Token.Status))} = '{nameof(TokenStatus.Revoked)}' WHERE {C(nameof(Token.Id))} = @id
            """, "at", "id");

        // The stored status is the current one, for filtering (TokenStatusRule: revocation and expiry outrank exposure).
        _setStatus = RowStatement.Prepare(connection, transaction, $"""
            UPDATE {tokens} SET {C(nameof(Token.Status))} = {Domain.Rules.TokenStatusRule.Sql(C(nameof(Token.RevokedAt)), C(nameof(Token.ExpiresAt)), "@now", "@status")}
            WHERE {C(nameof(Token.Id))} = @id
            """, "now", "status", "id");
    }

    // Quoted table and column names from the model, so that a rename breaks the build rather than an import; the
    // statements are built once per import, so naming costs nothing per record. Tables are named after the context's sets.
    private static string T(string set) => "\"" + set + "\"";
    private static string C(string property) => "\"" + property + "\"";

    /// <summary>Records one finding under its names (null: it has none); returns a reason when it cannot be recorded (then nothing of it was written).</summary>
    public override string? Write(Finding f, FindingNames? names)
    {
        if (names is null) return NoNames;
        var detectedAt = f.AlertCreatedAt ?? _scannedAt;
        var (tokenId, createdHere, revoked, write) = UpsertToken(f, names, detectedAt);
        if (!_touched.TryGetValue(tokenId, out var touched))
        {
            touched = new TouchedToken(createdHere, revoked);
            if (!createdHere) LoadLatestExposure(tokenId, touched);
            _touched[tokenId] = touched;
            if (createdHere) TokensNew++;
            else TokensSeen++;
        }
        touched.Revoked |= revoked;

        var verification = AlertStateRule.VerificationAtDetection(f);
        var isNew = InsertOccurrence(f, tokenId, names.PlaceKey, detectedAt, verification);
        if (isNew)
        {
            OccurrencesNew++;
            RecordExposure(tokenId, touched, f, names.EscrowCopy, detectedAt, verification, write);
        }
        else
        {
            Duplicates++;
        }
        ApplyAlertState(tokenId, touched, f);
        return null;
    }

    private (int Id, bool CreatedHere, bool Revoked, WriteCapability Write) UpsertToken(Finding f, FindingNames names, DateTimeOffset seenAt)
    {
        var p = _upsertToken;
        p["@identity"] = names.Identity;
        p["@identified"] = names.Identified;
        p["@mask"] = names.Mask;
        p["@platform"] = f.Platform.ToString();
        p["@kind"] = f.Kind.ToString();
        p["@detector"] = Db(f.Detector);
        p["@account"] = Db(f.Account);
        p["@orgs"] = f.Organizations.Count == 0 ? DBNull.Value : string.Join(", ", f.Organizations);
        p["@scopes"] = f.Scopes.Count == 0 ? DBNull.Value : string.Join(", ", f.Scopes);
        p["@role"] = Db(f.Role);
        p["@write"] = f.WriteCapability.ToString();
        p["@seen"] = seenAt.ToUnixTimeMilliseconds();
        p["@expires"] = Db(f.ExpiresAt);
        p["@import"] = _importId;
        using var reader = _upsertToken.ExecuteReader();
        reader.Read();
        var id = reader.GetInt32(0);
        var createdHere = !reader.IsDBNull(1) && reader.GetInt32(1) == _importId && !_touched.ContainsKey(id);
        var revoked = !reader.IsDBNull(2);
        var write = Enum.Parse<WriteCapability>(reader.GetString(3));
        return (id, createdHere, revoked, write);
    }

    private bool InsertOccurrence(Finding f, int tokenId, string placeKey, DateTimeOffset detectedAt, Verification verification)
    {
        var p = _insertOccurrence;
        p["@token"] = tokenId;
        p["@import"] = _importId;
        p["@key"] = placeKey;
        p["@scanner"] = f.Scanner;
        p["@detector"] = Db(f.Detector);
        p["@repo"] = Db(f.Repository);
        p["@file"] = Db(f.File);
        p["@line"] = Db(f.LineNumber);
        p["@column"] = Db(f.Column);
        p["@commit"] = Db(f.Commit);
        p["@link"] = Db(f.Link);
        p["@visibility"] = f.Visibility.ToString();
        p["@author"] = Db(f.AuthorEmail?.Trim().ToLowerInvariant());
        p["@commitTime"] = Db(f.CommitTime);
        p["@verification"] = verification.ToString();
        p["@detected"] = detectedAt.ToUnixTimeMilliseconds();
        p["@alert"] = Db(f.AlertNumber);
        p["@alertState"] = Db(f.AlertState);
        p["@resolution"] = Db(f.AlertResolution);
        p["@resolvedAt"] = Db(f.AlertResolvedAt);
        p["@leaked"] = f.PubliclyLeaked;
        return _insertOccurrence.ExecuteScalar() is not null;
    }

    private void RecordExposure(int tokenId, TouchedToken touched, Finding f, string? escrowCopy, DateTimeOffset detectedAt, Verification verification, WriteCapability write)
    {
        var severity = SeverityRule.AtDetection(verification, write, SeverityRule.IsPublic(f));
        var latest = touched.Latest;
        if (latest is null || latest.State != ExposureState.Open)
        {
            if (latest is not null && detectedAt < latest.DetectedAt)
                MoveDetectionEarlier(latest, detectedAt, severity, verification);
            if (touched.Revoked || latest is not null)
            {
                // Revoked, remediated (so revoked) or dismissed: recorded, opens nothing.
                OccurrencesOnClosedTokens++;
                return;
            }
            var p = _openExposure;
            p["@token"] = tokenId;
            p["@detected"] = detectedAt.ToUnixTimeMilliseconds();
            p["@severity"] = severity.ToString();
            p["@verification"] = verification.ToString();
            p["@escrow"] = Db(escrowCopy);
            var id = checked((int)_openExposure.ExecuteScalar()!.Value);
            touched.SetLatest(id, detectedAt, ExposureState.Open, null, escrowCopy is not null);
            ExposuresOpened++;
            // New tokens are inserted as Exposed; a known token becomes so now (unless expired).
            if (!touched.CreatedHere || f.ExpiresAt <= DateTimeOffset.FromUnixTimeMilliseconds(_nowMs)) SetStatus(tokenId, TokenStatus.Exposed);
            return;
        }

        // Already open: the earliest detection wins, whatever order files come in; nothing moves it later.
        if (detectedAt < latest.DetectedAt) MoveDetectionEarlier(latest, detectedAt, severity, verification);
        if (!latest.HasEscrow && escrowCopy is not null)
        {
            UpdateExposure(latest.Id, escrow: escrowCopy);
            latest.HasEscrow = true;
        }
    }

    private void MoveDetectionEarlier(ExposureRef exposure, DateTimeOffset detectedAt, Severity severity, Verification verification)
    {
        UpdateExposure(exposure.Id, detected: detectedAt, severity: severity, verification: verification);
        exposure.DetectedAt = detectedAt;
    }

    /// <summary>Applies <see cref="AlertStateRule"/>'s outcome for a GitHub alert.</summary>
    private void ApplyAlertState(int tokenId, TouchedToken touched, Finding f)
    {
        var outcome = AlertStateRule.Decide(f, _scannedAt);
        if (outcome.Remediate)
        {
            Remediate(tokenId, touched, outcome.At, outcome.By!);
            return;
        }
        if (outcome.DismissAs is { } reason && touched.Latest is { State: ExposureState.Open } open)
        {
            var at = Max(outcome.At, open.DetectedAt);
            UpdateExposure(open.Id, state: ExposureState.Dismissed, dismissed: at, reason: reason, clearEscrow: true);
            open.State = ExposureState.Dismissed;
            open.HasEscrow = false;
            ExposuresClosed++;
            SetStatus(tokenId, TokenStatus.Active);
        }
        if (outcome.RevokeTokenAt is { } revokedAt) RevokeToken(tokenId, touched, revokedAt);
    }

    private void RevokeToken(int tokenId, TouchedToken touched, DateTimeOffset at)
    {
        _revokeToken["@at"] = at.ToUnixTimeMilliseconds();
        _revokeToken["@id"] = tokenId;
        _revokeToken.ExecuteNonQuery();
        touched.Revoked = true;
    }

    /// <summary>Remediation is dated by the earliest evidence of revocation, never before the exposure's detection.</summary>
    private void Remediate(int tokenId, TouchedToken touched, DateTimeOffset at, string by)
    {
        RevokeToken(tokenId, touched, at);
        if (touched.Latest is not { } exposure) return;
        var when = Max(at, exposure.DetectedAt);
        if (exposure.State == ExposureState.Open)
        {
            UpdateExposure(exposure.Id, state: ExposureState.Remediated, remediated: when, by: by, clearEscrow: true);
            exposure.State = ExposureState.Remediated;
            exposure.RemediatedAt = when;
            exposure.HasEscrow = false;
            ExposuresClosed++;
        }
        else if (exposure.State == ExposureState.Remediated && exposure.RemediatedAt is { } current && when < current)
        {
            UpdateExposure(exposure.Id, remediated: when);
            exposure.RemediatedAt = when;
        }
    }

    private void UpdateExposure(int id, DateTimeOffset? detected = null, Severity? severity = null, Verification? verification = null,
        ExposureState? state = null, DateTimeOffset? remediated = null, string? by = null, DateTimeOffset? dismissed = null,
        string? reason = null, bool clearEscrow = false, string? escrow = null)
    {
        var p = _updateExposure;
        p["@detected"] = Db(detected);
        p["@severity"] = Db(severity?.ToString());
        p["@verification"] = Db(verification?.ToString());
        p["@state"] = Db(state?.ToString());
        p["@remediated"] = Db(remediated);
        p["@by"] = Db(by);
        p["@dismissed"] = Db(dismissed);
        p["@reason"] = Db(reason);
        p["@clearEscrow"] = clearEscrow ? 1 : 0;
        p["@escrow"] = Db(escrow);
        // Exposures.Id is a 32-bit integer: PostgreSQL typed the prepared parameter from the column and refuses 8 bytes.
        p["@id"] = id;
        _updateExposure.ExecuteNonQuery();
    }

    private void SetStatus(int tokenId, TokenStatus status)
    {
        var p = _setStatus;
        p["@now"] = _nowMs;
        p["@status"] = status.ToString();
        p["@id"] = tokenId;
        _setStatus.ExecuteNonQuery();
    }

    private void LoadLatestExposure(int tokenId, TouchedToken touched)
    {
        _latestExposure["@token"] = tokenId;
        using var reader = _latestExposure.ExecuteReader();
        if (!reader.Read()) return;
        touched.SetLatest(reader.GetInt32(0), DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(1)),
            Enum.Parse<ExposureState>(reader.GetString(2)),
            reader.IsDBNull(3) ? null : DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(3)), reader.GetBoolean(4));
    }

    private static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;

    private static object Db(string? value) => value is null ? DBNull.Value : value;

    private static object Db(int? value) => value is { } v ? v : DBNull.Value;

    private static object Db(long? value) => value is { } v ? v : DBNull.Value;

    private static object Db(DateTimeOffset? value) => value is { } v ? v.ToUnixTimeMilliseconds() : DBNull.Value;

    /// <summary>Writes nothing more (every row went in as it came); lets go of what it remembered of the tokens it touched
    /// (at 1,000,000 records ~700,000 of them, ~90 MB with the map), before the import rebuilds its indexes.</summary>
    public override void Complete() => _touched = [];

    public override void Dispose()
    {
        foreach (var c in new[] { _upsertToken, _insertOccurrence, _latestExposure, _openExposure, _updateExposure, _revokeToken, _setStatus }) c.Dispose();
    }

    /// <summary>What the writer remembers of a token it touched, and of the token's latest exposure (<see cref="Latest"/>).</summary>
    /// <remarks>One object per token, its instants as UTC ticks: at 1,000,000 records the writer remembers ~700,000
    /// tokens, and two objects each with <see cref="DateTimeOffset"/>s held ~130 bytes per token (~90 MB of the peak).
    /// The same object serves as the exposure's view, so that the rules below read <c>latest.State</c> as before.</remarks>
    private sealed class TouchedToken(bool createdHere, bool revoked) : ExposureRef
    {
        public bool CreatedHere { get; } = createdHere;
        public bool Revoked { get; set; } = revoked;
        private bool _hasLatest;

        public ExposureRef? Latest => _hasLatest ? this : null;

        public void SetLatest(int id, DateTimeOffset detectedAt, ExposureState state, DateTimeOffset? remediatedAt, bool hasEscrow)
        {
            _hasLatest = true;
            (Id, DetectedAt, State, RemediatedAt, HasEscrow) = (id, detectedAt, state, remediatedAt, hasEscrow);
        }
    }

    private abstract class ExposureRef
    {
        private const long NoTime = long.MinValue;
        private long _detectedAtTicks;
        private long _remediatedAtTicks = NoTime;

        public int Id { get; protected set; }
        public DateTimeOffset DetectedAt { get => new(_detectedAtTicks, TimeSpan.Zero); set => _detectedAtTicks = value.UtcTicks; }
        public ExposureState State { get; set; }
        public DateTimeOffset? RemediatedAt
        {
            get => _remediatedAtTicks == NoTime ? null : new DateTimeOffset(_remediatedAtTicks, TimeSpan.Zero);
            set => _remediatedAtTicks = value?.UtcTicks ?? NoTime;
        }
        public bool HasEscrow { get; set; }
    }
}
