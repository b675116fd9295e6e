using System.Security.Claims;

namespace GovernanceDashboard.Workflows;

/// <summary>Who is acting in a workflow: the signed-in person (or API key) with the roles their claims carry.</summary>
/// <remarks>The role checks mirror <see cref="Policies"/>, so a service decides exactly as the endpoint's policy would.</remarks>
public sealed record Actor(int PersonId, string Email, Roles Roles)
{
    /// <summary>A person id that matches nobody, for principals without a directory entry.</summary>
    public const int NoPerson = -1;

    public static Actor From(ClaimsPrincipal user) =>
        new(user.PersonIdOf() ?? NoPerson, Person.NormalizeEmail(user.EmailOf()), user.RolesOf());

    /// <summary>Background services act as the system, with no person and no role.</summary>
    public static Actor System(string name) => new(NoPerson, name, Roles.None);

    public bool CanApprove => (Roles & (Roles.Admin | Roles.Approver)) != 0;
    public bool ManagesInventory => (Roles & (Roles.Admin | Roles.Analyst)) != 0;
    public bool ReadsReports => (Roles & (Roles.Admin | Roles.Analyst | Roles.Approver | Roles.Auditor)) != 0;
    public bool ReadsAudit => (Roles & (Roles.Admin | Roles.Auditor)) != 0;
}
