using System.Linq.Expressions;

namespace GovernanceDashboard.Domain.Rules;

/// <summary>Where a token's secret can be read back from, the one definition: the escrow copy of its newest open exposure
/// that holds one. None once every exposure closed (closing erases the copy). Validation, revocation of a known value and
/// the blast-radius readers all read the value through it.</summary>
public static class EscrowCopyRule
{
    /// <summary>An exposure that holds an escrow copy: open, with a copy.</summary>
    public static readonly Expression<Func<Exposure, bool>> HoldsCopy = e => e.State == ExposureState.Open && e.Escrow != null;

    /// <summary>Each token with the copy of its newest exposure that holds one (null when none), for a query of the store:
    /// select from the result what else the caller needs.</summary>
    public static IQueryable<TokenWithCopy> WithEscrowCopy(this IQueryable<Token> tokens) => tokens.Select(t => new TokenWithCopy
    {
        Token = t,
        Escrow = t.Exposures.AsQueryable().Where(HoldsCopy).OrderByDescending(e => e.Id).Select(e => e.Escrow).FirstOrDefault(),
    });
}

/// <summary>A token and the escrow copy its secret can be read back from (<see cref="EscrowCopyRule"/>).</summary>
public sealed class TokenWithCopy
{
    public Token Token { get; init; } = null!;
    public string? Escrow { get; init; }
}
