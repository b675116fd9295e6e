using System.Security.Claims;
using Microsoft.AspNetCore.Authorization;

namespace GovernanceDashboard.Auth;

/// <summary>Authorisation policies by what a person comes for (README.md "Who uses it").</summary>
public static class Policies
{
    /// <summary>Inventory, imports, triage, revocation, owner assignment.</summary>
    public const string ManageInventory = "ManageInventory";

    /// <summary>Deciding write-scope requests.</summary>
    public const string Approve = "Approve";

    /// <summary>Scorecard, reports, audit trail, exports: read only.</summary>
    public const string ReadReports = "ReadReports";

    /// <summary>The audit trail: its page, filters and CSV export.</summary>
    public const string ReadAudit = "ReadAudit";

    /// <summary>Settings, API keys, the people directory.</summary>
    public const string Administer = "Administer";

    /// <summary>Importing the people directory (people-csv: who exists and their roles) — whoever may do this can grant
    /// any role, so Admins only; ownership rules (owners-csv) stay with <see cref="ManageInventory"/>.</summary>
    public const string ImportDirectory = "ImportDirectory";

    public static void Add(AuthorizationOptions options)
    {
        options.AddPolicy(ManageInventory, p => p.RequireRole(nameof(Roles.Admin), nameof(Roles.Analyst)));
        options.AddPolicy(Approve, p => p.RequireRole(nameof(Roles.Admin), nameof(Roles.Approver)));
        options.AddPolicy(ReadReports, p => p.RequireRole(nameof(Roles.Admin), nameof(Roles.Analyst), nameof(Roles.Approver), nameof(Roles.Auditor)));
        options.AddPolicy(ReadAudit, p => p.RequireRole(nameof(Roles.Admin), nameof(Roles.Auditor)));
        options.AddPolicy(Administer, p => p.RequireRole(nameof(Roles.Admin)));
        options.AddPolicy(ImportDirectory, p => p.RequireRole(nameof(Roles.Admin)));
        // Every page and endpoint needs a signed-in person unless it says otherwise.
        options.FallbackPolicy = new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build();
    }
}

/// <summary>Claims this product puts on a signed-in person.</summary>
public static class GovernanceClaims
{
    public const string PersonId = "gd:person_id";

    public static int? PersonIdOf(this ClaimsPrincipal user) =>
        int.TryParse(user.FindFirstValue(PersonId), out var id) ? id : null;

    public static string EmailOf(this ClaimsPrincipal user) =>
        user.FindFirstValue(ClaimTypes.Email) ?? user.FindFirstValue("preferred_username") ?? user.Identity?.Name ?? "unknown";

    public static Roles RolesOf(this ClaimsPrincipal user)
    {
        var roles = Roles.None;
        foreach (var role in Enum.GetValues<Roles>())
            if (role != Roles.None && user.IsInRole(role.ToString())) roles |= role;
        return roles;
    }

    public static ClaimsIdentity IdentityFor(Person person, string authenticationType)
    {
        var identity = new ClaimsIdentity(authenticationType, ClaimTypes.Name, ClaimTypes.Role);
        identity.AddClaim(new Claim(ClaimTypes.Name, person.DisplayName));
        identity.AddClaim(new Claim(ClaimTypes.Email, person.Email));
        identity.AddClaim(new Claim(PersonId, person.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        identity.AddClaim(new Claim(SessionStamps.StampClaim, person.SecurityStamp));
        foreach (var role in Enum.GetValues<Roles>())
            if (role != Roles.None && person.Roles.HasFlag(role)) identity.AddClaim(new Claim(ClaimTypes.Role, role.ToString()));
        return identity;
    }
}
