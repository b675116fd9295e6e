namespace GovernanceDashboard.Domain;

/// <summary>A key for CI pipelines that acts as one person with their roles; only its hash is stored.</summary>
public class ApiKey
{
    public int Id { get; set; }
    public int PersonId { get; set; }
    public Person? Person { get; set; }
    public required string Name { get; set; }

    /// <summary>The first characters of the key, shown to tell keys apart.</summary>
    public required string Prefix { get; set; }
    public required string Hash { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? RevokedAt { get; set; }
    public DateTimeOffset? LastUsedAt { get; set; }
}

/// <summary>An admin-editable setting (SLA targets, revocation automation, ...).</summary>
public class Setting
{
    public required string Key { get; set; }
    public required string Value { get; set; }
}
