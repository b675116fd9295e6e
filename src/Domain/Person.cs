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

    public static string NormalizeEmail(string email) => email.Trim().ToLowerInvariant();
}
