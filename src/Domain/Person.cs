namespace GovernanceDashboard.Domain;

/// <summary>An entry of the people directory: who can own tokens and who may sign in.</summary>
public class Person
{
    public int Id { get; set; }
    public required string Email { get; set; }
    public required string DisplayName { get; set; }
    public string? Team { get; set; }
    public string? ManagerEmail { get; set; }
    public bool Active { get; set; } = true;
    public Roles Roles { get; set; }
    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>The person's GitHub login (people CSV <c>github_login</c>), lower-cased: owns the fine-grained PATs GitHub lists under it.</summary>
    public string? GitHubLogin { get; set; }

    /// <summary>Changes whenever the person's roles, activity or team change (the store assigns a new one on save), so a
    /// session signed in before such a change is recognised as stale and ended.</summary>
    public string SecurityStamp { get; set; } = NewSecurityStamp();

    /// <summary>Whether this person holds the Admin role and may sign in.</summary>
    public bool IsActiveAdmin => Active && Roles.HasFlag(Roles.Admin);

    public static string NormalizeEmail(string email) => email.Trim().ToLowerInvariant();

    public static string NewSecurityStamp() => Guid.NewGuid().ToString("N");
}
