namespace GovernanceDashboard.People;

/// <summary>The directory never loses its last active Admin, by any path (a people-csv import, an admin's edit): without
/// one nobody could administer, and the built-in administrator is offered on an empty directory only.</summary>
public static class LastAdminRule
{
    /// <summary>Why a change is refused, or null when it keeps an active Admin (or there was none to keep).</summary>
    /// <param name="before">the people as they were</param>
    /// <param name="after">the same people after the change (and any added)</param>
    public static string? Refusal(IReadOnlyCollection<(string Email, bool ActiveAdmin)> before, IReadOnlyCollection<(string Email, bool ActiveAdmin)> after)
    {
        if (!before.Any(p => p.ActiveAdmin) || after.Any(p => p.ActiveAdmin)) return null;
        var lost = before.Where(p => p.ActiveAdmin).Select(p => p.Email).Order(StringComparer.Ordinal);
        return $"This change would leave no active Admin (it removes the Admin role from, or deactivates, {string.Join(", ", lost)}). "
            + "Nothing was changed: keep at least one active person with the Admin role.";
    }

    public static (string Email, bool ActiveAdmin) Of(Person person) => (person.Email, person.IsActiveAdmin);
}
