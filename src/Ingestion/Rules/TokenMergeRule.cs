namespace GovernanceDashboard.Ingestion.Rules;

/// <summary>What another sighting of a known token changes on it (docs/imports.md), the one definition: first and last seen
/// widen; a platform or kind of <c>Other</c> gives way to a known one; the first known detector stays; the latest known
/// account, organisations, scopes, role and expiry win; a known write capability replaces the stored one, <c>Unknown</c>
/// never does. Every step is associative, so the sightings of one file may be folded in memory first
/// (<see cref="Platform"/> ... <see cref="Latest{T}"/>) and merged into the stored row once (<see cref="SetSql"/>).</summary>
public static class TokenMergeRule
{
    public static TokenPlatform Platform(TokenPlatform current, TokenPlatform seen) => current == TokenPlatform.Other ? seen : current;

    public static TokenKind Kind(TokenKind current, TokenKind seen) => current == TokenKind.Other ? seen : current;

    public static WriteCapability Write(WriteCapability current, WriteCapability seen) => seen == WriteCapability.Unknown ? current : seen;

    /// <summary>The detector first known stays.</summary>
    public static string? Detector(string? current, string? seen) => current ?? seen;

    /// <summary>Account, organisations, scopes, role, expiry: the latest known value wins.</summary>
    public static T? Latest<T>(T? current, T? seen) where T : class => seen ?? current;

    /// <inheritdoc cref="Latest{T}(T, T)"/>
    public static T? Latest<T>(T? current, T? seen) where T : struct => seen ?? current;

    /// <summary>The rule as the SET list of an UPDATE (or ON CONFLICT DO UPDATE) of the tokens table: <paramref name="current"/>
    /// qualifies the stored row's columns, <paramref name="seen"/> the sighting's (<c>excluded</c>, a staging table's alias);
    /// <paramref name="least"/> and <paramref name="greatest"/> are the provider's two-argument min and max. Columns are
    /// named after the entity's properties, enums stored by name.</summary>
    public static string SetSql(string current, string seen, string least, string greatest)
    {
        static string C(string property) => "\"" + property + "\"";
        string Cur(string property) => current + "." + C(property);
        string New(string property) => seen + "." + C(property);
        return $"""
            {C(nameof(Token.FirstSeenAt))} = {least}({Cur(nameof(Token.FirstSeenAt))}, {New(nameof(Token.FirstSeenAt))}),
            {C(nameof(Token.LastSeenAt))} = {greatest}({Cur(nameof(Token.LastSeenAt))}, {New(nameof(Token.LastSeenAt))}),
            {C(nameof(Token.Platform))} = CASE WHEN {Cur(nameof(Token.Platform))} = '{nameof(TokenPlatform.Other)}' THEN {New(nameof(Token.Platform))} ELSE {Cur(nameof(Token.Platform))} END,
            {C(nameof(Token.Kind))} = CASE WHEN {Cur(nameof(Token.Kind))} = '{nameof(TokenKind.Other)}' THEN {New(nameof(Token.Kind))} ELSE {Cur(nameof(Token.Kind))} END,
            {C(nameof(Token.Detector))} = COALESCE({Cur(nameof(Token.Detector))}, {New(nameof(Token.Detector))}),
            {C(nameof(Token.Account))} = COALESCE({New(nameof(Token.Account))}, {Cur(nameof(Token.Account))}),
            {C(nameof(Token.Organizations))} = COALESCE({New(nameof(Token.Organizations))}, {Cur(nameof(Token.Organizations))}),
            {C(nameof(Token.Scopes))} = COALESCE({New(nameof(Token.Scopes))}, {Cur(nameof(Token.Scopes))}),
            {C(nameof(Token.Role))} = COALESCE({New(nameof(Token.Role))}, {Cur(nameof(Token.Role))}),
            {C(nameof(Token.WriteCapability))} = CASE WHEN {New(nameof(Token.WriteCapability))} = '{nameof(WriteCapability.Unknown)}' THEN {Cur(nameof(Token.WriteCapability))} ELSE {New(nameof(Token.WriteCapability))} END,
            {C(nameof(Token.ExpiresAt))} = COALESCE({New(nameof(Token.ExpiresAt))}, {Cur(nameof(Token.ExpiresAt))})
            """;
    }
}
