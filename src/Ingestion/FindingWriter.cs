using System.Data.Common;
using System.Globalization;
using GovernanceDashboard.Domain;
using GovernanceDashboard.Importers;
using GovernanceDashboard.Ingestion.Rules;
using GovernanceDashboard.Platforms;
using GovernanceDashboard.Secrets;

namespace GovernanceDashboard.Ingestion;

/// <summary>Writes scanner findings into the store inside the import's transaction: one token per distinct secret,
/// one occurrence per place, exposures opened, moved earlier and closed per docs/imports.md and docs/metrics.md.</summary>
/// <remarks>
/// This is the one hot path that bypasses EF Core's change tracker: an import of a million records through tracked
/// entities would hold them all in memory and run several times slower. It uses prepared statements on the context's
/// own connection and transaction instead, and keeps in memory only the latest exposure of each token it touched.
/// The SQL is plain (quoted identifiers, ON CONFLICT, RETURNING), written for SQLite and PostgreSQL alike.
/// </remarks>
internal sealed class FindingWriter : IDisposable
{
    private readonly SecretProtector _secrets;
    private readonly int _importId;
    private readonly DateTimeOffset _scannedAt;
    private readonly DbCommand _upsertToken;
    private readonly DbCommand _insertOccurrence;
    private readonly DbCommand _latestExposure;
    private readonly DbCommand _openExposure;
    private readonly DbCommand _updateExposure;
    private readonly DbCommand _revokeToken;
    private readonly DbCommand _setStatus;
    private readonly long _nowMs;
    private readonly Dictionary<int, TouchedToken> _touched = [];
    private EscrowBatch? _escrow;

    public FindingWriter(DbConnection connection, DbTransaction transaction, SecretProtector secrets, int importId, DateTimeOffset scannedAt,
        DateTimeOffset now, bool postgres)
    {
        _secrets = secrets;
        _nowMs = now.ToUnixTimeMilliseconds();
        _importId = importId;
        _scannedAt = scannedAt;
        var least = postgres ? "LEAST" : "min";
        var greatest = postgres ? "GREATEST" : "max";

        _upsertToken = Prepare(connection, transaction, $"""
            INSERT INTO "Tokens" ("Identity", "Identified", "Mask", "Platform", "Kind", "Detector", "Account", "Organizations", "Scopes", "Role",
                "WriteCapability", "OwnerSource", "Status", "FirstSeenAt", "LastSeenAt", "ExpiresAt", "CreatedImportId")
            VALUES (@identity, @identified, @mask, @platform, @kind, @detector, @account, @orgs, @scopes, @role, @write, '{nameof(OwnerSource.None)}', '{nameof(TokenStatus.Exposed)}', @seen, @seen, @expires, @import)
            ON CONFLICT ("Identity") DO UPDATE SET
                "FirstSeenAt" = {least}("Tokens"."FirstSeenAt", excluded."FirstSeenAt"),
                "LastSeenAt" = {greatest}("Tokens"."LastSeenAt", excluded."LastSeenAt"),
                "Platform" = CASE WHEN "Tokens"."Platform" = '{nameof(TokenPlatform.Other)}' THEN excluded."Platform" ELSE "Tokens"."Platform" END,
                "Kind" = CASE WHEN "Tokens"."Kind" = '{nameof(TokenKind.Other)}' THEN excluded."Kind" ELSE "Tokens"."Kind" END,
                "Detector" = COALESCE("Tokens"."Detector", excluded."Detector"),
                "Account" = COALESCE(excluded."Account", "Tokens"."Account"),
                "Organizations" = COALESCE(excluded."Organizations", "Tokens"."Organizations"),
                "Scopes" = COALESCE(excluded."Scopes", "Tokens"."Scopes"),
                "Role" = COALESCE(excluded."Role", "Tokens"."Role"),
                "WriteCapability" = CASE WHEN excluded."WriteCapability" = '{nameof(WriteCapability.Unknown)}' THEN "Tokens"."WriteCapability" ELSE excluded."WriteCapability" END,
                "ExpiresAt" = COALESCE(excluded."ExpiresAt", "Tokens"."ExpiresAt")
            RETURNING "Id", "CreatedImportId", "RevokedAt", "WriteCapability"
            """, "identity", "identified", "mask", "platform", "kind", "detector", "account", "orgs", "scopes", "role", "write", "seen", "expires", "import");

        _insertOccurrence = Prepare(connection, transaction, """
            INSERT INTO "Occurrences" ("TokenId", "ImportId", "Key", "Scanner", "Detector", "Repository", "File", "Line", "Column", "Commit", "Link",
                "Visibility", "AuthorEmail", "CommitTime", "Verification", "DetectedAt", "AlertNumber", "AlertState", "AlertResolution", "AlertResolvedAt", "PubliclyLeaked")
            VALUES (@token, @import, @key, @scanner, @detector, @repo, @file, @line, @column, @commit, @link,
                @visibility, @author, @commitTime, @verification, @detected, @alert, @alertState, @resolution, @resolvedAt, @leaked)
            ON CONFLICT ("Key") DO NOTHING
            RETURNING "Id"
            """, "token", "import", "key", "scanner", "detector", "repo", "file", "line", "column", "commit", "link",
            "visibility", "author", "commitTime", "verification", "detected", "alert", "alertState", "resolution", "resolvedAt", "leaked");

        _latestExposure = Prepare(connection, transaction, """
            SELECT "Id", "DetectedAt", "State", "RemediatedAt", "Escrow" IS NOT NULL FROM "Exposures" WHERE "TokenId" = @token ORDER BY "Id" DESC LIMIT 1
            """, "token");

        _openExposure = Prepare(connection, transaction, $"""
            INSERT INTO "Exposures" ("TokenId", "DetectedAt", "Severity", "VerificationAtDetection", "State", "Escrow")
            VALUES (@token, @detected, @severity, @verification, '{nameof(ExposureState.Open)}', @escrow) RETURNING "Id"
            """, "token", "detected", "severity", "verification", "escrow");

        // One statement for every change to an exposure; a null parameter leaves its column as it is.
        _updateExposure = Prepare(connection, transaction, """
            UPDATE "Exposures" SET
                "DetectedAt" = COALESCE(@detected, "DetectedAt"),
                "Severity" = COALESCE(@severity, "Severity"),
                "VerificationAtDetection" = COALESCE(@verification, "VerificationAtDetection"),
                "State" = COALESCE(@state, "State"),
                "RemediatedAt" = COALESCE(@remediated, "RemediatedAt"),
                "RemediatedBy" = COALESCE(@by, "RemediatedBy"),
                "DismissedAt" = COALESCE(@dismissed, "DismissedAt"),
                "DismissalReason" = COALESCE(@reason, "DismissalReason"),
                "Escrow" = CASE WHEN @clearEscrow = 1 THEN NULL ELSE COALESCE(@escrow, "Escrow") END
            WHERE "Id" = @id
            """, "detected", "severity", "verification", "state", "remediated", "by", "dismissed", "reason", "clearEscrow", "escrow", "id");

        _revokeToken = Prepare(connection, transaction, $"""
            UPDATE "Tokens" SET "RevokedAt" = CASE WHEN "RevokedAt" IS NULL THEN @at ELSE {least}("RevokedAt", @at) END, "Status" = '{nameof(TokenStatus.Revoked)}' WHERE "Id" = @id
            """, "at", "id");

        // The stored status is the current one, for filtering (TokenStatusRule: revocation and expiry outrank exposure).
        _setStatus = Prepare(connection, transaction, $"""
            UPDATE "Tokens" SET "Status" = {Domain.Rules.TokenStatusRule.Sql("\"RevokedAt\"", "\"ExpiresAt\"", "@now", "@status")}
            WHERE "Id" = @id
            """, "now", "status", "id");
    }

    public int TokensNew { get; private set; }
    public int TokensSeen { get; private set; }
    public int OccurrencesNew { get; private set; }
    public int Duplicates { get; private set; }
    public int ExposuresOpened { get; private set; }
    public int ExposuresClosed { get; private set; }
    public int OccurrencesOnClosedTokens { get; private set; }


    /// <summary>Records one finding under its names (null: it has none); returns a reason when it cannot be recorded (then nothing of it was written).</summary>
    public string? Write(Finding f, FindingNames? names)
    {
        if (names is null) return "the finding has neither a secret value nor a location";
        var detectedAt = f.AlertCreatedAt ?? _scannedAt;
        var (tokenId, createdHere, revoked, write) = UpsertToken(f, names, detectedAt);
        if (!_touched.TryGetValue(tokenId, out var touched))
        {
            touched = new TouchedToken(createdHere, revoked, createdHere ? null : LoadLatestExposure(tokenId));
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
            RecordExposure(tokenId, touched, f, detectedAt, verification, write);
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
        var p = _upsertToken.Parameters;
        p["@identity"].Value = names.Identity;
        p["@identified"].Value = names.Identified;
        p["@mask"].Value = names.Mask;
        p["@platform"].Value = f.Platform.ToString();
        p["@kind"].Value = f.Kind.ToString();
        p["@detector"].Value = Db(f.Detector);
        p["@account"].Value = Db(f.Account);
        p["@orgs"].Value = f.Organizations.Count == 0 ? DBNull.Value : string.Join(", ", f.Organizations);
        p["@scopes"].Value = f.Scopes.Count == 0 ? DBNull.Value : string.Join(", ", f.Scopes);
        p["@role"].Value = Db(f.Role);
        p["@write"].Value = f.WriteCapability.ToString();
        p["@seen"].Value = seenAt.ToUnixTimeMilliseconds();
        p["@expires"].Value = Db(f.ExpiresAt);
        p["@import"].Value = _importId;
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
        var p = _insertOccurrence.Parameters;
        p["@token"].Value = tokenId;
        p["@import"].Value = _importId;
        p["@key"].Value = placeKey;
        p["@scanner"].Value = f.Scanner;
        p["@detector"].Value = Db(f.Detector);
        p["@repo"].Value = Db(f.Repository);
        p["@file"].Value = Db(f.File);
        p["@line"].Value = Db(f.LineNumber);
        p["@column"].Value = Db(f.Column);
        p["@commit"].Value = Db(f.Commit);
        p["@link"].Value = Db(f.Link);
        p["@visibility"].Value = f.Visibility.ToString();
        p["@author"].Value = Db(f.AuthorEmail?.Trim().ToLowerInvariant());
        p["@commitTime"].Value = Db(f.CommitTime);
        p["@verification"].Value = verification.ToString();
        p["@detected"].Value = detectedAt.ToUnixTimeMilliseconds();
        p["@alert"].Value = Db(f.AlertNumber);
        p["@alertState"].Value = Db(f.AlertState);
        p["@resolution"].Value = Db(f.AlertResolution);
        p["@resolvedAt"].Value = Db(f.AlertResolvedAt);
        p["@leaked"].Value = f.PubliclyLeaked;
        return _insertOccurrence.ExecuteScalar() is not null;
    }

    private void RecordExposure(int tokenId, TouchedToken touched, Finding f, DateTimeOffset detectedAt, Verification verification, WriteCapability write)
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
            var p = _openExposure.Parameters;
            p["@token"].Value = tokenId;
            p["@detected"].Value = detectedAt.ToUnixTimeMilliseconds();
            p["@severity"].Value = severity.ToString();
            p["@verification"].Value = verification.ToString();
            p["@escrow"].Value = f.Secret is { Length: > 0 } secret ? Escrow(secret) : DBNull.Value;
            var id = Convert.ToInt64(_openExposure.ExecuteScalar(), CultureInfo.InvariantCulture);
            touched.Latest = new ExposureRef(id, detectedAt, ExposureState.Open, null, f.Secret is { Length: > 0 });
            ExposuresOpened++;
            // New tokens are inserted as Exposed; a known token becomes so now (unless expired).
            if (!touched.CreatedHere || f.ExpiresAt <= DateTimeOffset.FromUnixTimeMilliseconds(_nowMs)) SetStatus(tokenId, TokenStatus.Exposed);
            return;
        }

        // Already open: the earliest detection wins, whatever order files come in; nothing moves it later.
        if (detectedAt < latest.DetectedAt) MoveDetectionEarlier(latest, detectedAt, severity, verification);
        if (!latest.HasEscrow && f.Secret is { Length: > 0 } value)
        {
            UpdateExposure(latest.Id, escrow: Escrow(value));
            latest.HasEscrow = true;
        }
    }

    // One data key per import, made on the first secret that needs an escrow copy.
    private string Escrow(string secret) => (_escrow ??= _secrets.BeginEscrow()).Protect(secret);

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
        _revokeToken.Parameters["@at"].Value = at.ToUnixTimeMilliseconds();
        _revokeToken.Parameters["@id"].Value = tokenId;
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

    private void UpdateExposure(long id, DateTimeOffset? detected = null, Severity? severity = null, Verification? verification = null,
        ExposureState? state = null, DateTimeOffset? remediated = null, string? by = null, DateTimeOffset? dismissed = null,
        string? reason = null, bool clearEscrow = false, string? escrow = null)
    {
        var p = _updateExposure.Parameters;
        p["@detected"].Value = Db(detected);
        p["@severity"].Value = Db(severity?.ToString());
        p["@verification"].Value = Db(verification?.ToString());
        p["@state"].Value = Db(state?.ToString());
        p["@remediated"].Value = Db(remediated);
        p["@by"].Value = Db(by);
        p["@dismissed"].Value = Db(dismissed);
        p["@reason"].Value = Db(reason);
        p["@clearEscrow"].Value = clearEscrow ? 1 : 0;
        p["@escrow"].Value = Db(escrow);
        // Exposures.Id is a 32-bit integer: PostgreSQL typed the prepared parameter from the column and refuses 8 bytes.
        p["@id"].Value = checked((int)id);
        _updateExposure.ExecuteNonQuery();
    }

    private void SetStatus(int tokenId, TokenStatus status)
    {
        var p = _setStatus.Parameters;
        p["@now"].Value = _nowMs;
        p["@status"].Value = status.ToString();
        p["@id"].Value = tokenId;
        _setStatus.ExecuteNonQuery();
    }

    private ExposureRef? LoadLatestExposure(int tokenId)
    {
        _latestExposure.Parameters["@token"].Value = tokenId;
        using var reader = _latestExposure.ExecuteReader();
        if (!reader.Read()) return null;
        return new ExposureRef(reader.GetInt64(0), DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(1)),
            Enum.Parse<ExposureState>(reader.GetString(2)),
            reader.IsDBNull(3) ? null : DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(3)), reader.GetBoolean(4));
    }

    private static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;

    private static object Db(string? value) => value is null ? DBNull.Value : value;

    private static object Db(int? value) => value is { } v ? v : DBNull.Value;

    private static object Db(long? value) => value is { } v ? v : DBNull.Value;

    private static object Db(DateTimeOffset? value) => value is { } v ? v.ToUnixTimeMilliseconds() : DBNull.Value;

    private static DbCommand Prepare(DbConnection connection, DbTransaction transaction, string sql, params string[] parameters)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        foreach (var name in parameters)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = "@" + name;
            parameter.Value = DBNull.Value;
            command.Parameters.Add(parameter);
        }
        command.Prepare();
        return command;
    }

    public void Dispose()
    {
        _escrow?.Dispose();
        foreach (var c in new[] { _upsertToken, _insertOccurrence, _latestExposure, _openExposure, _updateExposure, _revokeToken, _setStatus }) c.Dispose();
    }

    private sealed class TouchedToken(bool createdHere, bool revoked, ExposureRef? latest)
    {
        public bool CreatedHere { get; } = createdHere;
        public bool Revoked { get; set; } = revoked;
        public ExposureRef? Latest { get; set; } = latest;
    }

    private sealed class ExposureRef(long id, DateTimeOffset detectedAt, ExposureState state, DateTimeOffset? remediatedAt, bool hasEscrow)
    {
        public long Id { get; } = id;
        public DateTimeOffset DetectedAt { get; set; } = detectedAt;
        public ExposureState State { get; set; } = state;
        public DateTimeOffset? RemediatedAt { get; set; } = remediatedAt;
        public bool HasEscrow { get; set; } = hasEscrow;
    }
}
